// Reads a registration spreadsheet (name,role,topics,goal,email; topics split by ";").
// A bad file is rejected whole, with every bad row named, so nothing is half-imported.
import { parse } from 'csv-parse/sync';
import { LIMITS, PersonSchema, describeIssues, type PersonInput } from '../../shared/schemas';
import { badRequest } from '../errors';

const REQUIRED = ['name', 'role'] as const;
const KNOWN = new Set(['name', 'role', 'topics', 'goal', 'email']);
const MAX_LISTED = 20;

export function parseRosterCsv(text: string): PersonInput[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw badRequest(`The CSV could not be read: ${(error as Error).message}`);
  }
  if (records.length === 0) throw badRequest('The CSV has no rows: put a header line "name,role,topics,goal,email" and one person per line.');
  if (records.length > LIMITS.importMax) throw badRequest(`The CSV has ${records.length} rows; at most ${LIMITS.importMax} can be imported at once.`);
  const columns = Object.keys(records[0] ?? {});
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) throw badRequest(`The CSV is missing the column(s) ${missing.join(', ')}; the header must be name,role,topics,goal,email.`);
  const unknown = columns.filter((c) => !KNOWN.has(c));
  if (unknown.length) throw badRequest(`The CSV has unknown column(s) ${unknown.join(', ')}; use name,role,topics,goal,email.`);

  const problems: string[] = [];
  const people: PersonInput[] = [];
  const emails = new Map<string, number>();
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
    const email = parsed.data.email?.toLowerCase();
    if (email) {
      const first = emails.get(email);
      if (first !== undefined) return void problems.push(`row ${row}: email ${email} is already used on row ${first}`);
      emails.set(email, row);
    }
    people.push(parsed.data);
  });
  if (problems.length) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    throw badRequest(`Nothing was imported: ${problems.length} row(s) need fixing — ${listed}${more}.`);
  }
  return people;
}
