// Who has met whom, as ids kept apart: any string is an id (a '|' or any other character
// in it needs no escaping), and the planner reads each person's partners without
// splitting or rebuilding keys.

/** Pairs of ids in one direction: a mentor with each mentee they met. */
export class Pairs implements Iterable<[string, string]> {
  readonly #partners = new Map<string, Set<string>>();

  constructor(pairs: Iterable<readonly [string, string]> = []) {
    for (const [a, b] of pairs) this.add(a, b);
  }

  add(a: string, b: string): this {
    const partners = this.#partners.get(a);
    if (partners) partners.add(b);
    else this.#partners.set(a, new Set([b]));
    return this;
  }

  has(a: string, b: string): boolean {
    return this.#partners.get(a)?.has(b) ?? false;
  }

  /** Each id with everyone paired with it. */
  partners(): IterableIterator<[string, ReadonlySet<string>]> {
    return this.#partners.entries();
  }

  /** Every pair, once. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [a, partners] of this.#partners) for (const b of partners) yield [a, b];
  }
}

/**
 * Pairs in which the order does not count: mentees who shared a table. Each pair is kept
 * under both ids, so `partners()` lists it twice, once from each side.
 */
export class UnorderedPairs implements Iterable<[string, string]> {
  readonly #both = new Pairs();

  constructor(pairs: Iterable<readonly [string, string]> = []) {
    for (const [a, b] of pairs) this.add(a, b);
  }

  add(a: string, b: string): this {
    this.#both.add(a, b).add(b, a);
    return this;
  }

  has(a: string, b: string): boolean {
    return this.#both.has(a, b);
  }

  /** Each id with everyone paired with it: every pair under both its ids. */
  partners(): IterableIterator<[string, ReadonlySet<string>]> {
    return this.#both.partners();
  }

  /** Every pair, once, the smaller id first. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [a, b] of this.#both) if (a <= b) yield [a, b];
  }
}
