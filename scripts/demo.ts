// `npm run demo`: creates a fresh event on a running Tablehop and fills it with the
// sample mentors and mentees, then prints the links to open.
//   npm run demo -- --url http://127.0.0.1:3000 --mentors 8 --mentees 30 --seats 2
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TABLEHOP_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    mentors: { type: 'string', default: '8' },
    mentees: { type: 'string', default: '30' },
    seats: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '4' },
    'round-seconds': { type: 'string', default: '300' },
    'changeover-seconds': { type: 'string', default: '60' },
  },
});

const base = values.url!.replace(/\/+$/, '');

/** The first n data rows of a sample file, header kept. */
function sample(file: string, n: number): string {
  const lines = readFileSync(new URL(`../data/${file}`, import.meta.url), 'utf8').trimEnd().split('\n');
  return [lines[0], ...lines.slice(1, n + 1)].join('\n') + '\n';
}

async function post(path: string, body: string, contentType: string, key?: string) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
  }).catch(() => {
    console.error(`Could not reach Tablehop at ${base}. Start it first with "npm start" (or pass --url).`);
    process.exit(1);
  });
  const reply = await response.json();
  if (!response.ok) {
    console.error(`${path}: ${reply.message}`);
    process.exit(1);
  }
  return reply;
}

const event = await post(
  '/api/events',
  JSON.stringify({
    name: 'Tablehop demo',
    rounds: Number(values.rounds),
    roundSeconds: Number(values['round-seconds']),
    changeoverSeconds: Number(values['changeover-seconds']),
    seatsPerTable: Number(values.seats),
  }),
  'application/json',
);
const mentors = await post(`/api/events/${event.id}/participants`, sample('mentors.csv', Number(values.mentors)), 'text/csv', event.organizerKey);
const mentees = await post(`/api/events/${event.id}/participants`, sample('mentees.csv', Number(values.mentees)), 'text/csv', event.organizerKey);

console.log(`Demo event "${event.code}" with ${mentors.participants.length} mentors and ${mentees.participants.length} mentees.
  Control (secret): ${event.controlUrl}
  Screen:           ${event.screenUrl}
  Report, door board and badges open from Control (Printouts and report).
  Join as mentee:   ${event.joinUrl}
  A mentor's phone: ${mentors.participants[0].joinUrl}
  A mentee's phone: ${mentees.participants[0].joinUrl}`);
