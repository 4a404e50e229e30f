// Exact min-cost transportation over a sparse edge list: left nodes with
// supplies, right nodes with capacities, total supply = total capacity, integer
// edge costs (held exactly in float64). It is the primal-dual (Hungarian)
// method with node potentials, run in phases: one multi-source Dijkstra from
// every left node with supply left, on reduced costs, up to the nearest right
// node with room; potentials move by the distances so the shortest paths
// become zero-reduced-cost; then a depth-first search augments along as many
// zero-reduced-cost paths as it finds before the next Dijkstra.
//
// Invariant: every residual edge has reduced cost c(u,v) + π(u) − π(v) ≥ 0.
// When the last unit is placed the flow is perfect, so it is a min-cost
// perfect transportation by LP duality (no residual negative cycle). Edges can
// be added later (column generation): a left node that gets an edge of
// negative reduced cost gives its units back and lowers nothing but its own
// potential, which keeps the invariant, and solving simply resumes.

export interface NewEdge {
  from: number;
  to: number;
  cost: number;
  capacity: number;
}

/** Asked when no right node with room can be reached: returns edges to add (from left nodes with supply left). */
export type OnStuck = (freeLeft: readonly number[], roomyRight: readonly number[]) => NewEdge[];

export class Transport {
  readonly leftCount: number;
  readonly rightCount: number;
  /** Units each left node still has to place. */
  readonly spare: Int32Array;
  readonly capacity: Int32Array;
  readonly load: Int32Array;
  readonly potL: Float64Array;
  readonly potR: Float64Array;

  // Edges, grouped by left node: edges of left node u are [start[u], start[u + 1]).
  start: Int32Array;
  from: Int32Array;
  to: Int32Array;
  cost: Float64Array;
  cap: Int32Array;
  flow: Int32Array;

  // Edges carrying flow into each right node: memberEdge[memberStart[j] .. + memberCount[j]).
  private readonly memberStart: Int32Array;
  private readonly memberEdge: Int32Array;
  readonly memberCount: Int32Array;

  /** Phases run so far (Dijkstra calls), for diagnostics. */
  phases = 0;

  constructor(supply: Int32Array, capacity: Int32Array, start: Int32Array, to: Int32Array, cost: Float64Array, cap: Int32Array) {
    this.leftCount = supply.length;
    this.rightCount = capacity.length;
    this.spare = Int32Array.from(supply);
    this.capacity = capacity;
    this.load = new Int32Array(this.rightCount);
    this.start = start;
    this.to = to;
    this.cost = cost;
    this.cap = cap;
    this.flow = new Int32Array(to.length);
    this.from = fromOf(start, to.length);
    this.memberStart = new Int32Array(this.rightCount + 1);
    for (let j = 0; j < this.rightCount; j++) this.memberStart[j + 1] = this.memberStart[j]! + capacity[j]!;
    this.memberEdge = new Int32Array(this.memberStart[this.rightCount]!);
    this.memberCount = new Int32Array(this.rightCount);
    this.potR = new Float64Array(this.rightCount);
    this.potL = new Float64Array(this.leftCount);
    for (let u = 0; u < this.leftCount; u++) this.potL[u] = this.lowestFeasiblePotential(u);
  }

  /** Edges into right node j that carry flow. */
  membersOf(j: number): Int32Array {
    const s = this.memberStart[j]!;
    return this.memberEdge.subarray(s, s + this.memberCount[j]!);
  }

  reducedCost(e: number): number {
    return this.cost[e]! + this.potL[this.from[e]!]! - this.potR[this.to[e]!]!;
  }

  /**
   * Adds edges. A left node that gets one of negative reduced cost takes its
   * units back (its seats become free) and takes the potential that makes all
   * its edges non-negative again; it has no incoming residual edge then, so
   * nothing else is affected.
   */
  addEdges(edges: readonly NewEdge[]): void {
    if (edges.length === 0) return;
    const L = this.leftCount;
    const oldM = this.to.length;
    const count = new Int32Array(L + 1);
    for (let u = 0; u < L; u++) count[u + 1] = this.start[u + 1]! - this.start[u]!;
    for (const e of edges) count[e.from + 1]!++;
    const start = new Int32Array(L + 1);
    for (let u = 0; u < L; u++) start[u + 1] = start[u]! + count[u + 1]!;
    const m = start[L]!;
    const to = new Int32Array(m);
    const cost = new Float64Array(m);
    const cap = new Int32Array(m);
    const flow = new Int32Array(m);
    const remap = new Int32Array(oldM);
    const fill = start.slice(0, L);
    for (let u = 0; u < L; u++) {
      for (let e = this.start[u]!; e < this.start[u + 1]!; e++) {
        const f = fill[u]!++;
        remap[e] = f;
        to[f] = this.to[e]!;
        cost[f] = this.cost[e]!;
        cap[f] = this.cap[e]!;
        flow[f] = this.flow[e]!;
      }
    }
    const touched: number[] = [];
    for (const e of edges) {
      const f = fill[e.from]!++;
      to[f] = e.to;
      cost[f] = e.cost;
      cap[f] = e.capacity;
      if (e.cost + this.potL[e.from]! - this.potR[e.to]! < 0) touched.push(e.from);
    }
    for (let k = 0; k < this.memberEdge.length; k++) this.memberEdge[k] = remap[this.memberEdge[k]!] ?? 0;
    this.start = start;
    this.to = to;
    this.cost = cost;
    this.cap = cap;
    this.flow = flow;
    this.from = fromOf(start, m);
    for (const u of touched) {
      for (let e = start[u]!; e < start[u + 1]!; e++) {
        const f = flow[e]!;
        if (f === 0) continue;
        const j = to[e]!;
        flow[e] = 0;
        this.spare[u]! += f;
        this.load[j]! -= f;
        this.removeMember(j, e);
      }
      this.potL[u] = this.lowestFeasiblePotential(u);
    }
  }

  /** Places every unit at minimum total cost. Throws if `onStuck` cannot open a way. */
  solve(onStuck?: OnStuck): void {
    const L = this.leftCount;
    const V = L + this.rightCount;
    const dist = new Float64Array(V);
    const seen = new Int32Array(V); // Dijkstra stamp
    const settled: number[] = [];
    const heap = new IndexedHeap(V, dist);
    const visL = new Int32Array(L); // DFS stamps
    const visR = new Int32Array(this.rightCount);
    const itL = new Int32Array(L);
    const itR = new Int32Array(this.rightCount);
    const stackNode = new Int32Array(V + 1);
    const stackEdge = new Int32Array(V + 1);
    let stamp = 0;

    for (;;) {
      const sources: number[] = [];
      for (let u = 0; u < L; u++) if (this.spare[u]! > 0) sources.push(u);
      if (sources.length === 0) return;
      stamp++;
      this.phases++;

      // ---- Dijkstra from all sources on reduced costs, to the nearest right node with room.
      settled.length = 0;
      heap.clear();
      for (const u of sources) {
        dist[u] = 0;
        seen[u] = stamp;
        heap.push(u);
      }
      let D = -1;
      while (heap.size > 0) {
        const v = heap.pop();
        const dv = dist[v]!;
        settled.push(v);
        if (v < L) {
          const pu = this.potL[v]!;
          for (let e = this.start[v]!, end = this.start[v + 1]!; e < end; e++) {
            if (this.flow[e]! >= this.cap[e]!) continue;
            const j = this.to[e]!;
            const w = L + j;
            const nd = dv + this.cost[e]! + pu - this.potR[j]!;
            if (seen[w] !== stamp) {
              seen[w] = stamp;
              dist[w] = nd;
              heap.push(w);
            } else if (nd < dist[w]! && heap.has(w)) {
              dist[w] = nd;
              heap.decrease(w);
            }
          }
        } else {
          const j = v - L;
          if (this.load[j]! < this.capacity[j]!) {
            D = dv;
            break;
          }
          const pj = this.potR[j]!;
          const ms = this.memberStart[j]!;
          for (let k = ms, end = ms + this.memberCount[j]!; k < end; k++) {
            const e = this.memberEdge[k]!;
            const u = this.from[e]!;
            const nd = dv - this.cost[e]! + pj - this.potL[u]!;
            if (seen[u] !== stamp) {
              seen[u] = stamp;
              dist[u] = nd;
              heap.push(u);
            } else if (nd < dist[u]! && heap.has(u)) {
              dist[u] = nd;
              heap.decrease(u);
            }
          }
        }
      }

      if (D < 0) {
        const roomy: number[] = [];
        for (let j = 0; j < this.rightCount; j++) if (this.load[j]! < this.capacity[j]!) roomy.push(j);
        const extra = onStuck ? onStuck(sources, roomy) : [];
        if (extra.length === 0) throw new Error('transport: no feasible way to place every unit');
        this.addEdges(extra);
        continue;
      }

      // ---- Potentials: settled nodes move by D − dist, so every shortest path is tight.
      for (const v of settled) {
        const delta = D - dist[v]!;
        if (delta <= 0) continue;
        if (v < L) this.potL[v]! -= delta;
        else this.potR[v - L]! -= delta;
      }

      // ---- Augment along zero-reduced-cost paths (depth-first, current arc).
      for (const u of sources) itL[u] = this.start[u]!;
      for (const v of settled) {
        if (v < L) itL[v] = this.start[v]!;
        else itR[v - L] = 0;
      }
      for (const s of sources) {
        while (this.spare[s]! > 0 && visL[s] !== stamp) {
          if (!this.augmentFrom(s, stamp, visL, visR, itL, itR, stackNode, stackEdge, seen)) break;
        }
      }
    }
  }

  /**
   * One depth-first search from left node s over tight residual edges, within
   * nodes the last Dijkstra reached. Returns true when it placed a unit.
   * Nodes it leaves without success stay marked for the rest of the phase.
   */
  private augmentFrom(
    s: number,
    stamp: number,
    visL: Int32Array,
    visR: Int32Array,
    itL: Int32Array,
    itR: Int32Array,
    stackNode: Int32Array,
    stackEdge: Int32Array,
    reached: Int32Array,
  ): boolean {
    const L = this.leftCount;
    let depth = 0;
    stackNode[0] = s;
    stackEdge[0] = -1;
    visL[s] = stamp;
    while (depth >= 0) {
      const v = stackNode[depth]!;
      if (v < L) {
        const pu = this.potL[v]!;
        const end = this.start[v + 1]!;
        let advanced = false;
        for (let e = itL[v]!; e < end; e++) {
          itL[v] = e;
          if (this.flow[e]! >= this.cap[e]!) continue;
          const j = this.to[e]!;
          if (visR[j] === stamp || reached[L + j] !== stamp) continue;
          if (this.cost[e]! + pu - this.potR[j]! !== 0) continue;
          if (this.load[j]! < this.capacity[j]!) {
            stackEdge[depth + 1] = e;
            this.applyPath(depth + 1, stackNode, stackEdge);
            // Nodes on a successful path may serve another path in this phase.
            for (let k = 1; k <= depth; k++) {
              const w = stackNode[k]!;
              if (w < L) visL[w] = 0;
              else visR[w - L] = 0;
            }
            visL[s] = 0;
            return true;
          }
          visR[j] = stamp;
          depth++;
          stackNode[depth] = L + j;
          stackEdge[depth] = e;
          advanced = true;
          break;
        }
        if (!advanced) {
          itL[v] = end;
          depth--;
          if (depth >= 0) this.advance(stackNode[depth]!, L, itL, itR);
        }
      } else {
        const j = v - L;
        const pj = this.potR[j]!;
        const ms = this.memberStart[j]!;
        const n = this.memberCount[j]!;
        let advanced = false;
        for (let k = itR[j]!; k < n; k++) {
          itR[j] = k;
          const e = this.memberEdge[ms + k]!;
          const u = this.from[e]!;
          if (visL[u] === stamp || reached[u] !== stamp) continue;
          if (-this.cost[e]! + pj - this.potL[u]! !== 0) continue;
          visL[u] = stamp;
          depth++;
          stackNode[depth] = u;
          stackEdge[depth] = e;
          advanced = true;
          break;
        }
        if (!advanced) {
          itR[j] = n;
          depth--;
          if (depth >= 0) this.advance(stackNode[depth]!, L, itL, itR);
        }
      }
    }
    return false;
  }

  /** Moves a node's current arc past the edge that just led to a dead end. */
  private advance(v: number, L: number, itL: Int32Array, itR: Int32Array): void {
    if (v < L) itL[v]!++;
    else itR[v - L]!++;
  }

  /**
   * stackNode[0] is the source; stackEdge[k] is the edge used to enter
   * stackNode[k] (k ≥ 1), and stackEdge[last] the forward edge into the right
   * node with room. Odd steps are forward (left → right), even steps reverse.
   */
  private applyPath(last: number, stackNode: Int32Array, stackEdge: Int32Array): void {
    const s = stackNode[0]!;
    this.spare[s]!--;
    for (let k = 1; k <= last; k++) {
      const e = stackEdge[k]!;
      const j = this.to[e]!;
      if (k % 2 === 1) {
        if (this.flow[e]!++ === 0) this.addMember(j, e);
      } else if (--this.flow[e]! === 0) {
        this.removeMember(j, e);
      }
    }
    this.load[this.to[stackEdge[last]!]!]!++;
  }

  private addMember(j: number, e: number): void {
    this.memberEdge[this.memberStart[j]! + this.memberCount[j]!++] = e;
  }

  private removeMember(j: number, e: number): void {
    const s = this.memberStart[j]!;
    const n = this.memberCount[j]!;
    for (let k = 0; k < n; k++) {
      if (this.memberEdge[s + k] === e) {
        this.memberEdge[s + k] = this.memberEdge[s + n - 1]!;
        this.memberCount[j] = n - 1;
        return;
      }
    }
  }

  /** The lowest potential for left node u that keeps all its forward edges non-negative. */
  private lowestFeasiblePotential(u: number): number {
    let p = -Infinity;
    for (let e = this.start[u]!; e < this.start[u + 1]!; e++) p = Math.max(p, this.potR[this.to[e]!]! - this.cost[e]!);
    return p === -Infinity ? 0 : p;
  }
}

function fromOf(start: Int32Array, m: number): Int32Array {
  const from = new Int32Array(m);
  for (let u = 0; u + 1 < start.length; u++) from.fill(u, start[u]!, start[u + 1]!);
  return from;
}

/** Binary min-heap of node ids keyed by an external distance array. */
class IndexedHeap {
  private readonly items: Int32Array;
  private readonly pos: Int32Array;
  private readonly key: Float64Array;
  size = 0;

  constructor(n: number, key: Float64Array) {
    this.items = new Int32Array(n);
    this.pos = new Int32Array(n).fill(-1);
    this.key = key;
  }
  clear(): void {
    for (let i = 0; i < this.size; i++) this.pos[this.items[i]!] = -1;
    this.size = 0;
  }
  has(v: number): boolean {
    return this.pos[v]! >= 0;
  }
  push(v: number): void {
    this.items[this.size] = v;
    this.pos[v] = this.size;
    this.size++;
    this.up(this.size - 1);
  }
  decrease(v: number): void {
    this.up(this.pos[v]!);
  }
  pop(): number {
    const top = this.items[0]!;
    this.pos[top] = -1;
    this.size--;
    if (this.size > 0) {
      const last = this.items[this.size]!;
      this.items[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }
  private up(i: number): void {
    const items = this.items;
    const key = this.key;
    const v = items[i]!;
    const kv = key[v]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const w = items[p]!;
      if (key[w]! <= kv) break;
      items[i] = w;
      this.pos[w] = i;
      i = p;
    }
    items[i] = v;
    this.pos[v] = i;
  }
  private down(i: number): void {
    const items = this.items;
    const key = this.key;
    const n = this.size;
    const v = items[i]!;
    const kv = key[v]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && key[items[c + 1]!]! < key[items[c]!]!) c++;
      const w = items[c]!;
      if (key[w]! >= kv) break;
      items[i] = w;
      this.pos[w] = i;
      i = c;
    }
    items[i] = v;
    this.pos[v] = i;
  }
}
