// At group tables, mentees who already shared a table should not be seated
// together again. That is not linear in the seating, so after the exact
// solve a local search makes moves that leave the total cost exactly
// unchanged (so repeats, fair byes and shared topics stay optimal) and lower
// the number of such pairs at a table: swap two seated mentees, swap a seated
// mentee with one sitting out, or move a mentee to an empty seat. The
// solver's potentials prune: a zero-cost swap needs both new edges to have
// zero reduced cost, so only tables whose reduced cost for the mover is 0 are
// searched. Every accepted move lowers the pair count, so it terminates. For each
// mentee the first move that frees it of every former table mate is taken.
import { hasMet, sharedCount, type SeatingProblem } from './seatingProblem';
import type { SeatingSolution } from './seatingSolver';

/** Upper bound on passes; each pass only tries mentees who still sit with a former table mate. */
const PASSES = 20;

export function reduceCoSeating(p: SeatingProblem, sol: SeatingSolution, room: Int32Array, fixedAt: readonly (readonly number[])[]): void {
  const { mentorOf, pool, empty, costOf, menteePotential: potL, mentorPotential: potR } = sol;
  if (!potL || !potR || p.seats < 2 || p.partnerList.length === 0) return;
  const N = p.mentors.length;

  const members: number[][] = Array.from({ length: N }, () => []);
  const movers: number[][] = Array.from({ length: N }, () => []);
  const byeMembers: number[] = [];
  for (const i of pool) {
    const j = mentorOf[i]!;
    if (j >= 0) {
      members[j]!.push(i);
      movers[j]!.push(i);
    } else byeMembers.push(i);
  }
  fixedAt.forEach((list, j) => members[j]!.push(...list));
  const hasBye = byeMembers.length > 0;

  const isPartner = (a: number, b: number): boolean => {
    let lo = p.partnerStart[a]!;
    let hi = p.partnerStart[a + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = p.partnerList[mid]!;
      if (v === b) return true;
      if (v < b) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  const clashes = (a: number, j: number, skip: number): number => {
    let c = 0;
    for (const b of members[j]!) if (b !== a && b !== skip && isPartner(a, b)) c++;
    return c;
  };
  const costAt = costOf;
  const shared = (i: number, j: number): number => sharedCount(p, i, j);
  const mentorsByPotential = new Map<number, number[]>();
  for (let j = 0; j < N; j++) {
    if (room[j]! <= 0) continue;
    const key = potR(j);
    const list = mentorsByPotential.get(key);
    if (list) list.push(j);
    else mentorsByPotential.set(key, [j]);
  }
  // Mentees sitting out who could take a seat with mentor potential π at no cost:
  // potential(b) = π − shared(b, ·); indexed by potential(b), searched per π.
  const byeByPotential = new Map<number, number[]>();
  const addBye = (b: number): void => {
    const list = byeByPotential.get(potL(b));
    if (list) list.push(b);
    else byeByPotential.set(potL(b), [b]);
  };
  for (const b of byeMembers) addBye(b);
  const remove = (list: number[], x: number): void => {
    list.splice(list.indexOf(x), 1);
  };

  // The mentee being moved, where it sits, what it loses there, and the best move found:
  // kept outside the loops so the search allocates nothing per mentee.
  let a = -1;
  let x = -1;
  let loss = 0;
  let cax = 0;
  let best = 0;
  let bestB = -1;
  let bestY = -2;
  /** Records the swap of a with b (b goes to x, a to y) if it lowers the pair count most so far. */
  const trySwap = (b: number, y: number, cay: number): void => {
    if (b === a) return;
    const cbx = costAt(b, x);
    if (cbx + potL(b) - potR(x) !== 0 || cay + cbx !== cax + costAt(b, y)) return;
    const gain = y >= 0 ? loss + clashes(b, y, -1) - clashes(a, y, b) - clashes(b, x, a) : loss - clashes(b, x, a);
    if (gain > best) [best, bestB, bestY] = [gain, b, y];
  };
  /** Tries every zero-cost move of a to mentor y (−1: sitting out), whose edge costs cay. */
  const consider = (y: number, cay: number): void => {
    if (y >= 0 && empty[y]! > 0 && cay === cax) {
      const gain = loss - clashes(a, y, -1);
      if (gain > best) [best, bestB, bestY] = [gain, -1, y];
    }
    if (y >= 0) {
      for (const b of movers[y]!) trySwap(b, y, cay);
      return;
    }
    // b sitting out fits at x at no cost only if potential(b) = π(x) + shared(b, x).
    const px = potR(x);
    for (let s = 0; s <= p.mostMentorTopics && best < loss; s++) {
      for (const b of byeByPotential.get(px + s) ?? []) {
        trySwap(b, -1, cay);
        if (best >= loss) return;
      }
    }
  };

  for (let pass = 0; pass < PASSES; pass++) {
    let improved = false;
    for (const mentee of pool) {
      a = mentee;
      x = mentorOf[a]!;
      if (x < 0 || p.partnerStart[a + 1] === p.partnerStart[a]) continue;
      loss = clashes(a, x, -1);
      if (loss === 0) continue;
      cax = costAt(a, x);
      best = 0;
      bestB = -1;
      bestY = -2;

      // Only tables where a's edge has zero reduced cost can take a at no cost:
      // potential(y) = potential(a) − shared(a, y) for a mentor a has not met.
      // A move that frees a of all its former table mates is good enough: the search
      // stops there (first improvement; scanning every table for more is what made it slow).
      const pa = potL(a);
      for (let s = 0; s <= p.menteeTopicCount[a]! && best < loss; s++) {
        for (const y of mentorsByPotential.get(pa - s) ?? []) {
          if (y !== x && shared(a, y) === s && !hasMet(p, a, y)) consider(y, -s);
          if (best >= loss) break;
        }
      }
      if (best < loss && hasBye && costAt(a, -1) + pa - potR(-1) === 0) consider(-1, costAt(a, -1));
      if (best <= 0) continue;

      improved = true;
      const y = bestY;
      remove(members[x]!, a);
      remove(movers[x]!, a);
      if (y >= 0) {
        members[y]!.push(a);
        movers[y]!.push(a);
      } else addBye(a);
      mentorOf[a] = y;
      if (bestB >= 0) {
        const b = bestB;
        if (y >= 0) {
          remove(members[y]!, b);
          remove(movers[y]!, b);
        } else remove(byeByPotential.get(potL(b))!, b);
        members[x]!.push(b);
        movers[x]!.push(b);
        mentorOf[b] = x;
      } else {
        empty[y]!--;
        empty[x]!++;
      }
    }
    if (!improved) break;
  }
}
