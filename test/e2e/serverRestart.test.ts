// The server dies mid-round (SIGKILL, on Redis) and comes back on the same port: every
// page — projector, Control, phones — shows its seat and a running countdown while it is
// gone, then returns to the right seat and remaining time with no second join. A rating
// given while the server is down is sent once it is back.
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/domain';
import { ORGANIZER_LAPTOP, PHONE, PROJECTOR, countdownDeadline, launchBrowser, openCountingDown } from '../support/browser';
import { api } from '../support/http';
import { serverProcess, type ServerProcess } from '../support/serverProcess';
import { PhonePage, remainingMs } from './pages';

let server: ServerProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await serverProcess();
  await server.start();
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.cleanup();
});

const open = (url: string, options: BrowserContextOptions) => openCountingDown(browser, contexts, url, options);

const reconnecting = (page: Page) => page.getByTestId('connection-note').count();

describe('a server restart mid-round (Redis)', () => {
  it('brings every page back to its seat and remaining time, and delivers a rating given while it was down', { timeout: 60_000 }, async () => {
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Restart night', rounds: 2, roundSeconds: 90, changeoverSeconds: 90 })).body;
    const joined = await Promise.all(
      [
        { name: 'Grace Mentor', role: 'mentor' },
        { name: 'Alan Mentor', role: 'mentor' },
        { name: 'Ada Mentee', role: 'mentee' },
        { name: 'Bob Mentee', role: 'mentee' },
      ].map(async (person) => ({ ...person, ...(await http.post('/api/join', { code: event.code, ...person })).body })),
    );
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    const link = (p: (typeof joined)[number]) => `${p.role === 'mentor' ? event.mentorJoinUrl : event.joinUrl}#t=${p.token}`;

    const [screen, control, ...phonePages] = await Promise.all([
      open(event.screenUrl, PROJECTOR),
      open(event.controlUrl, ORGANIZER_LAPTOP),
      ...joined.map((person) => open(link(person), PHONE)),
    ]);
    const phones = phonePages.map((page) => new PhonePage(page));
    const pages = [screen!, control!, ...phonePages];
    const seats = await Promise.all(joined.map(async (p) => (await http.get<MeView>('/api/me', p.token)).body.seat!));
    for (const [i, phone] of phones.entries()) await expect.poll(() => phone.tableNumber.textContent()).toBe(String(seats[i]!.table));

    // ---- Down: every page keeps its seat and a running countdown under a small note.
    await server.kill();
    for (const page of pages) await expect.poll(() => reconnecting(page), { timeout: 15_000 }).toBe(1);
    for (const [i, phone] of phones.entries()) expect(await phone.tableNumber.textContent()).toBe(String(seats[i]!.table));
    const whileDown = await Promise.all(pages.map((page) => remainingMs(page)));
    await expect.poll(async () => (await remainingMs(phones[0]!.page))!, { timeout: 3000 }).toBeLessThan(whileDown[2]! - 300);

    // ---- Back: the same seats, and the server's own deadline on every page.
    await server.start();
    for (const page of pages) await expect.poll(() => reconnecting(page), { timeout: 10_000 }).toBe(0);
    const state = (await http.get(`/api/events/${event.id}/state`)).body;
    expect(state.phase).toBe('talk');
    for (const [i, person] of joined.entries()) {
      const seat = (await http.get<MeView>('/api/me', person.token)).body.seat!;
      expect(seat.table).toBe(seats[i]!.table);
      expect(await phones[i]!.tableNumber.textContent()).toBe(String(seat.table));
    }
    await expect
      .poll(async () => Math.max(...(await Promise.all(pages.map((page) => countdownDeadline(page)))).map((d) => Math.abs(d - state.phaseEndsAt))), { timeout: 5000 })
      .toBeLessThan(100);
    expect((await http.get(`/api/events/${event.id}/state`)).body.headcount).toEqual({ mentors: 2, mentees: 2 });

    // ---- Down again in the changeover: a mentor rates offline; it arrives after the restart.
    await http.post(`/api/events/${event.id}/actions`, { action: 'skip' }, event.organizerKey);
    const grace = phones[0]!;
    await grace.waitForPhase('Switch tables');
    await server.kill();
    await expect.poll(() => reconnecting(grace.page), { timeout: 15_000 }).toBe(1);
    const graceMentee = seats[0]!.with[0]!;
    await grace.rateMentee(graceMentee.name, 5, { tags: ['follow up'] });
    await expect.poll(() => grace.ratingStatus().textContent()).toContain("when you're back online");

    await server.start();
    await expect.poll(() => grace.ratingStatus().textContent(), { timeout: 10_000 }).toContain('Rated 5');
    const rows: Record<string, string>[] = parse((await http.get(`/api/events/${event.id}/export.csv`, event.organizerKey)).text, { columns: true });
    const row = rows.find((r) => r.round === '1' && r.mentee_id === graceMentee.id)!;
    expect(row.mentor_score).toBe('5');
    expect(row.mentor_tags).toBe('follow up');
  });
});
