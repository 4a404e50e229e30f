// GET /api/events/:id/export.json: the event, its people, every pairing of the rounds that
// took place with both ratings (tags and notes included), who sat out, and the follow-ups.
// For the organizer only: it holds emails, ratings and private notes.
import type { EventExport, ExportRating, Participant, Rating } from '../../shared/domain';
import type { FollowUp } from '../store/Store';
import { personOf } from './person';
import type { EventSnapshot } from './snapshot';
import { eventHeadOf } from './summary';

export interface ExportSource {
  event: EventExport['event'];
  people: ReadonlyMap<string, Participant>;
  plans: { round: number; tables: { table: number; mentorId: string; menteeIds: string[] }[]; byes: string[] }[];
  ratings: Rating[];
  followUps: FollowUp[];
  exportedAt: number;
}

const asExportRating = (r: Rating | undefined): ExportRating | null =>
  r ? { score: r.score, tags: r.tags, ...(r.note ? { note: r.note } : {}), at: r.at } : null;

export function resultsJson(source: ExportSource): EventExport {
  const { event, people, ratings, followUps } = source;
  const byPair = new Map(ratings.map((r) => [`${r.round}:${r.raterId}:${r.targetId}`, r]));
  const ticks = new Set(followUps.map((f) => `${f.fromId} ${f.toId}`));
  const mutual = (a: string, b: string) => ticks.has(`${a} ${b}`) && ticks.has(`${b} ${a}`);
  const held = event.phase === 'lobby' ? [] : source.plans.filter((p) => p.round <= event.round).sort((a, b) => a.round - b.round);
  return {
    exportedAt: source.exportedAt,
    event,
    people: [...people.values()]
      .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'mentor' ? -1 : 1))
      .map((p) => ({
        ...personOf(p),
        present: !p.absent && !p.removed,
        removed: Boolean(p.removed),
        joinedAt: p.joinedAt,
        joinedRound: p.joinedRound,
      })),
    pairings: held.flatMap((plan) =>
      [...plan.tables]
        .sort((a, b) => a.table - b.table)
        .flatMap((table) =>
          table.menteeIds.map((menteeId) => ({
            round: plan.round,
            table: table.table,
            mentorId: table.mentorId,
            menteeId,
            mentorRating: asExportRating(byPair.get(`${plan.round}:${table.mentorId}:${menteeId}`)),
            menteeRating: asExportRating(byPair.get(`${plan.round}:${menteeId}:${table.mentorId}`)),
            mutualFollowUp: mutual(table.mentorId, menteeId),
          })),
        ),
    ),
    byes: held.map((plan) => ({ round: plan.round, menteeIds: plan.byes })),
    followUps: followUps
      .map((f) => ({ fromId: f.fromId, toId: f.toId, mutual: mutual(f.fromId, f.toId) }))
      .sort((a, b) => a.fromId.localeCompare(b.fromId) || a.toId.localeCompare(b.toId)),
  };
}

/** The export of a loaded event: its follow-ups are read for it, whatever the phase. */
export function exportOf({ event, state, people, plans }: EventSnapshot, ratings: Rating[], followUps: FollowUp[], exportedAt: number): EventExport {
  return resultsJson({
    event: { ...eventHeadOf(event, state), createdAt: event.createdAt },
    people,
    plans: [...plans.values()],
    ratings,
    followUps,
    exportedAt,
  });
}
