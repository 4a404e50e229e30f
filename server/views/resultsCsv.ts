// The organizer's export: one row per (round, table, mentor, mentee) pairing with both
// sides' ratings. RFC 4180 quoting comes from csv-stringify. A spreadsheet runs a cell
// that starts with = + - @ (or a tab or carriage return) as a formula, so such text cells
// get a leading ' (OWASP's advice): "=cmd|…" typed as a name stays a name.
import { stringify } from 'csv-stringify/sync';
import type { Participant, Rating, RoundState, SeatingPlan } from '../../shared/domain';

export const RESULTS_COLUMNS = [
  'round',
  'table',
  'mentor_id',
  'mentor_name',
  'mentee_id',
  'mentee_name',
  'mentor_score',
  'mentor_tags',
  'mentor_note',
  'mentee_score',
  'mentee_note',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet shows as text, never runs. */
export function inertCell(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** Rounds that took place: plans made ahead for a round that never started are left out. */
export function resultsCsv(state: RoundState, plans: SeatingPlan[], people: ReadonlyMap<string, Participant>, ratings: Rating[]): string {
  const byPair = new Map(ratings.map((r) => [`${r.round}:${r.raterId}:${r.targetId}`, r]));
  const rows: (string | number)[][] = [];
  const held = state.phase === 'lobby' ? [] : plans.filter((p) => p.round <= state.round).sort((a, b) => a.round - b.round);
  for (const plan of held) {
    for (const table of [...plan.tables].sort((a, b) => a.table - b.table)) {
      for (const menteeId of table.menteeIds) {
        const fromMentor = byPair.get(`${plan.round}:${table.mentorId}:${menteeId}`);
        const fromMentee = byPair.get(`${plan.round}:${menteeId}:${table.mentorId}`);
        rows.push([
          plan.round,
          table.table,
          table.mentorId,
          people.get(table.mentorId)?.name ?? '',
          menteeId,
          people.get(menteeId)?.name ?? '',
          fromMentor?.score ?? '',
          fromMentor?.tags.join(';') ?? '',
          fromMentor?.note ?? '',
          fromMentee?.score ?? '',
          fromMentee?.note ?? '',
        ]);
      }
    }
  }
  return stringify(
    rows.map((row) => row.map(inertCell)),
    { header: true, columns: [...RESULTS_COLUMNS], record_delimiter: 'windows' },
  );
}
