// Reads a registration spreadsheet (name,role,topics,goal,email; topics split by ";").
// A bad file is rejected whole, with every bad row named, so nothing is half-imported.
// What people typed is kept as text: a name like "=cmd|…" is just a name here (the CSV
// export neutralises it), and markup is only ever rendered as text.
import { parse } from 'csv-parse/sync';
import { LIMITS, PersonSchema, describeIssues, type PersonInput } from '../../shared/schemas';
import { badRequest } from '../errors';

const REQUIRED = ['name', 'role'] as const;
const KNOWN = new Set(['name', 'role', 'topics', 'goal', 'email']);
const MAX_LISTED = 20;
const SAVE_AS_UTF8 = 'save it again as "CSV UTF-8" (Excel: File → Save As → CSV UTF-8; Google Sheets: File → Download → CSV) and import that';

/**
 * The file's text. UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order
 * mark are read; anything else (Latin-1, a workbook, an image) is refused with what to do.
 */
export function decodeCsv(body: Buffer | string): string {
  if (typeof body === 'string') return body;
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  if (body.subarray(0, 4).equals(Buffer.from('PK\u0003\u0004', 'latin1'))) {
    throw badRequest(`Nothing was imported: that is a spreadsheet workbook (.xlsx or .ods), not a CSV file — ${SAVE_AS_UTF8}.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw badRequest(`Nothing was imported: the file is not UTF-8 text (names with accents would come out garbled) — ${SAVE_AS_UTF8}.`);
  }
  if (text.includes('\u0000')) throw badRequest(`Nothing was imported: the file holds binary data, not text — ${SAVE_AS_UTF8}.`);
  return text;
}

/** Emails already on the event, lower-cased, with the name they belong to. */
export type KnownEmails = ReadonlyMap<string, string>;

/**
 * Problems with the emails of people about to be added: one email twice in the list, or
 * an email already on the event (the same file imported twice, say). `where(i)` names row i.
 */
export function emailProblems(people: readonly PersonInput[], known: KnownEmails, where: (i: number) => string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  people.forEach((person, i) => {
    const email = person.email?.toLowerCase();
    if (!email) return;
    const first = seen.get(email);
    if (first !== undefined) problems.push(`${where(i)}: email ${email} is already used on ${where(first)}`);
    else if (known.has(email)) problems.push(`${where(i)}: email ${email} is already on this event (${known.get(email)}; imported before?)`);
    else seen.set(email, i);
  });
  return problems;
}

export function refuseImport(problems: string[]): never {
  const listed = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  throw badRequest(`Nothing was imported: ${problems.length} row(s) need fixing — ${listed}${more}.`);
}

export function parseRosterCsv(body: Buffer | string, known: KnownEmails = new Map()): PersonInput[] {
  const text = decodeCsv(body);
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw badRequest(`Nothing was imported: the CSV could not be read (${(error as Error).message}). Check that every row has the same columns as the header and that quotes are closed.`);
  }
  if (records.length === 0) throw badRequest('The CSV has no rows: put a header line "name,role,topics,goal,email" and one person per line.');
  if (records.length > LIMITS.importMax) throw badRequest(`Nothing was imported: the CSV has ${records.length} rows; at most ${LIMITS.importMax} can be imported at once — split the file.`);
  const columns = Object.keys(records[0] ?? {});
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) throw badRequest(`Nothing was imported: the CSV is missing the column(s) ${missing.join(', ')}; the header must be name,role,topics,goal,email.`);
  const unknown = columns.filter((c) => !KNOWN.has(c));
  if (unknown.length) throw badRequest(`Nothing was imported: the CSV has unknown column(s) ${unknown.join(', ')}; use name,role,topics,goal,email.`);

  const problems: string[] = [];
  const people: PersonInput[] = [];
  const rows: number[] = [];
  records.forEach((record, i) => {
    const row = i + 2; // row 1 is the header
    const parsed = PersonSchema.safeParse({
      name: record.name ?? '',
      role: (record.role ?? '').toLowerCase(),
      topics: (record.topics ?? '').split(';').map((t) => t.trim()).filter(Boolean),
      goal: record.goal || undefined,
      email: record.email || undefined,
    });
    if (!parsed.success) return void problems.push(`row ${row}: ${describeIssues(parsed.error)}`);
    people.push(parsed.data);
    rows.push(row);
  });
  problems.push(...emailProblems(people, known, (i) => `row ${rows[i]}`));
  if (problems.length) refuseImport(problems.sort((a, b) => rowNumber(a) - rowNumber(b)));
  return people;
}

const rowNumber = (problem: string) => Number(/^row (\d+)/.exec(problem)?.[1] ?? 0);
