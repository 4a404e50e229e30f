// Who met whom is kept as pairs of ids, never as joined strings: any character may be in an id.
import { describe, expect, it } from 'vitest';
import { Pairs, UnorderedPairs } from '../../shared/matching/pairs';
import { buildProblem, hasMet } from '../../shared/matching/seatingProblem';

describe('pairs of ids', () => {
  it('keep ids that a joined key would confuse apart', () => {
    const met = new Pairs([['a|b', 'c']]);
    expect(met.has('a|b', 'c')).toBe(true);
    expect(met.has('a', 'b|c')).toBe(false);
    expect([...new Pairs(met)]).toEqual([['a|b', 'c']]);
  });

  it('count (a, b) and (b, a) as one pair when the order does not matter', () => {
    const coSeated = new UnorderedPairs([['y', 'x'], ['x', 'y']]);
    expect(coSeated.has('x', 'y') && coSeated.has('y', 'x')).toBe(true);
    expect([...coSeated]).toEqual([['x', 'y']]);
  });

  it('reach the planner as the pairs they are', () => {
    const problem = buildProblem({
      round: 2,
      seatsPerTable: 1,
      mentors: [{ id: 'a|b', table: 1, topics: [] }, { id: 'a', table: 2, topics: [] }],
      mentees: [{ id: 'c', topics: [], sessions: 1 }, { id: 'b|c', topics: [], sessions: 1 }],
      met: new Pairs([['a|b', 'c']]),
      coSeated: new UnorderedPairs([['c', 'b|c']]),
      seed: 1,
    });
    // Mentees by id ('b|c', 'c'), mentors by table ('a|b', 'a').
    expect([hasMet(problem, 1, 0), hasMet(problem, 0, 1), hasMet(problem, 0, 0), hasMet(problem, 1, 1)]).toEqual([true, false, false, false]);
    expect([...problem.partnerList]).toEqual([1, 0]);
  });
});
