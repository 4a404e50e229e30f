// Small, readable cases of re-planning a round whose plan people have already seen.
// The property checks against an exact solver are in matching.exact.test.ts.
import { describe, expect, it } from 'vitest';
import type { SeatingPlan } from '../../shared/domain';
import { replanRound } from '../../shared/matching/replanRound';
import { Pairs, UnorderedPairs } from '../../shared/matching/pairs';
import type { MatchInput } from '../../shared/matching/types';
import { peopleWhoseSeatChanged } from '../../shared/seats';

const input = (over: Partial<MatchInput>): MatchInput => ({
  round: 3,
  seatsPerTable: 2,
  mentors: [],
  mentees: [],
  met: new Pairs(),
  coSeated: new UnorderedPairs(),
  seed: 7,
  ...over,
});

describe('replanRound', () => {
  it('seats a late mentee in the free seat that fits best and moves nobody else', () => {
    const shown: SeatingPlan = {
      round: 3,
      tables: [
        { table: 1, mentorId: 'M1', menteeIds: ['a'] },
        { table: 2, mentorId: 'M2', menteeIds: ['b'] },
      ],
      byes: [],
    };
    const mentors = [
      { id: 'M1', table: 1, topics: ['design'] },
      { id: 'M2', table: 2, topics: ['sales'] },
    ];
    const mentees = [
      { id: 'a', topics: [], sessions: 2 },
      { id: 'b', topics: [], sessions: 2 },
      { id: 'z', topics: ['design'], sessions: 0 },
    ];
    const plan = replanRound(shown, input({ mentors, mentees }));
    expect(plan.tables).toEqual([
      { table: 1, mentorId: 'M1', menteeIds: ['a', 'z'] },
      { table: 2, mentorId: 'M2', menteeIds: ['b'] },
    ]);
    expect(peopleWhoseSeatChanged(shown, plan)).toEqual(['M1', 'z']);
  });

  it('puts a late mentee on a bye when every seat is taken, and avoids a repeat over a better topic fit', () => {
    const shown: SeatingPlan = { round: 3, tables: [{ table: 1, mentorId: 'M1', menteeIds: ['a'] }], byes: [] };
    const full = replanRound(shown, input({ seatsPerTable: 1, mentors: [{ id: 'M1', table: 1, topics: [] }], mentees: [{ id: 'a', topics: [], sessions: 2 }, { id: 'y', topics: [], sessions: 0 }] }));
    expect(full).toEqual({ ...shown, byes: ['y'] });

    // y shares a topic with M1 but has met M1 already: the seat with M2 is taken instead.
    const mentors = [
      { id: 'M1', table: 1, topics: ['design'] },
      { id: 'M2', table: 2, topics: ['sales'] },
    ];
    const roomy = replanRound(
      { round: 3, tables: [{ table: 1, mentorId: 'M1', menteeIds: [] }, { table: 2, mentorId: 'M2', menteeIds: [] }], byes: [] },
      input({ mentors, mentees: [{ id: 'y', topics: ['design'], sessions: 1 }], met: new Pairs([['M1', 'y']]) }),
    );
    expect(roomy.tables.map((t) => t.menteeIds)).toEqual([[], ['y']]);
  });

  it('fills a late mentor table from those sitting out, fewest sessions first', () => {
    const shown: SeatingPlan = { round: 3, tables: [{ table: 1, mentorId: 'M1', menteeIds: ['a'] }], byes: ['c', 'd'] };
    const plan = replanRound(
      shown,
      input({
        seatsPerTable: 1,
        mentors: [{ id: 'M1', table: 1, topics: [] }, { id: 'M3', table: 3, topics: ['design'] }],
        mentees: [
          { id: 'a', topics: [], sessions: 1 },
          { id: 'c', topics: ['design'], sessions: 1 },
          { id: 'd', topics: [], sessions: 0 },
        ],
      }),
    );
    // d has sat out more often than c: fairness outranks c's better topic fit.
    expect(plan.tables).toEqual([
      { table: 1, mentorId: 'M1', menteeIds: ['a'] },
      { table: 3, mentorId: 'M3', menteeIds: ['d'] },
    ]);
    expect(plan.byes).toEqual(['c']);
  });

  it('a departed mentor frees their mentees, who avoid repeats; everyone else stays', () => {
    const shown: SeatingPlan = {
      round: 3,
      tables: [
        { table: 1, mentorId: 'M1', menteeIds: ['a', 'b'] },
        { table: 2, mentorId: 'M2', menteeIds: ['c'] },
        { table: 3, mentorId: 'M3', menteeIds: ['d'] },
      ],
      byes: ['e'],
    };
    const mentors = [
      { id: 'M2', table: 2, topics: ['y'] },
      { id: 'M3', table: 3, topics: ['x'] },
    ];
    const mentees = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, topics: id === 'a' ? ['x', 'y'] : [], sessions: id === 'e' ? 1 : 2 }));
    // 'a' already met M3, so a seat there would be a repeat; 'e' has sat out most, so 'e' is seated.
    const plan = replanRound(shown, input({ mentors, mentees, met: new Pairs([['M3', 'a']]) }));
    expect(plan.tables).toEqual([
      { table: 2, mentorId: 'M2', menteeIds: ['a', 'c'] },
      { table: 3, mentorId: 'M3', menteeIds: ['d', 'e'] },
    ]);
    expect(plan.byes).toEqual(['b']);
    expect(peopleWhoseSeatChanged(shown, plan)).toEqual(['M1', 'M2', 'M3', 'a', 'b', 'e']);
  });

  it('fills a seat freed by a leaver from those sitting out and moves nobody who is seated', () => {
    const shown: SeatingPlan = {
      round: 3,
      tables: [
        { table: 1, mentorId: 'M1', menteeIds: ['a', 'b'] },
        { table: 2, mentorId: 'M2', menteeIds: ['x', 'y'] },
      ],
      byes: ['c'],
    };
    const mentors = [{ id: 'M1', table: 1, topics: [] }, { id: 'M2', table: 2, topics: [] }];
    const mentees = ['a', 'b', 'c', 'y'].map((id) => ({ id, topics: [], sessions: 1 }));
    expect(replanRound(shown, input({ mentors, mentees }))).toEqual({
      round: 3,
      tables: [shown.tables[0], { table: 2, mentorId: 'M2', menteeIds: ['c', 'y'] }],
      byes: [],
    });
  });
});
