// Exact min-cost flow on a sparse network whose nodes may supply units
// (sources) or absorb them (sinks with a capacity), with integer edge costs
// held exactly in float64. Primal-dual in phases: one multi-source Dijkstra on
// reduced costs from every node with supply left, up to the nearest sink with
// room; potentials move by the distances so shortest paths become tight (zero
// reduced cost); then a max flow on the tight arcs (Dinic: BFS levels and
// blocking flows) places as many units as they carry, and the next phase starts.
//
// Invariant: every residual arc has reduced cost c(u,v) + π(u) − π(v) ≥ 0.
// When every supply is placed the flow is a min-cost flow (no residual
// negative cycle; LP duality), whatever the starting potentials and flows, as
// long as they met the invariant. That is what makes warm starts and edges
// added or disabled between solves safe.
//
// A node's residual arcs are its out-edges with room (a static list) and the
// reverses of its in-edges that carry flow (a list kept up to date), so a hub
// with thousands of in-edges but few units costs only its units to scan.

export class MinCostFlow {
  readonly nodeCount: number;
  /** Units each node still has to send. */
  readonly spare: Int32Array;
  /** Units each node can absorb, and has absorbed. */
  readonly sinkCapacity: Int32Array;
  readonly load: Int32Array;
  readonly potential: Float64Array;

  // Edge e: from[e] → to[e].
  from: Int32Array = new Int32Array(16);
  to: Int32Array = new Int32Array(16);
  cap: Int32Array = new Int32Array(16);
  cost: Float64Array = new Float64Array(16);
  private flows: Int32Array = new Int32Array(16);
  /** Position of edge e in the carrying list of to[e], or −1. */
  private inPos: Int32Array = new Int32Array(16).fill(-1);
  edgeCount = 0;

  // Out-edges by tail node (CSR), rebuilt when edges were added.
  private outStart = new Int32Array(0);
  private outEdges = new Int32Array(0);
  private builtFor = -1;
  /** Per node: edges into it that carry flow (their reverses are residual arcs out of it). */
  private readonly carrying: number[][];

  /** Dijkstra phases run so far. */
  phases = 0;

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.spare = new Int32Array(nodeCount);
    this.sinkCapacity = new Int32Array(nodeCount);
    this.load = new Int32Array(nodeCount);
    this.potential = new Float64Array(nodeCount);
    this.carrying = Array.from({ length: nodeCount }, () => []);
  }

  addEdge(from: number, to: number, cap: number, cost: number): number {
    if (this.edgeCount === this.to.length) this.grow();
    const e = this.edgeCount++;
    this.from[e] = from;
    this.to[e] = to;
    this.cap[e] = cap;
    this.cost[e] = cost;
    return e;
  }

  flowOn(e: number): number {
    return this.flows[e]!;
  }

  /** Changes the flow on edge e; the caller keeps supplies and loads consistent. */
  changeFlow(e: number, delta: number): void {
    const before = this.flows[e]!;
    const after = before + delta;
    this.flows[e] = after;
    if (before === 0 && after > 0) this.listCarrying(e);
    else if (before > 0 && after === 0) this.unlistCarrying(e);
  }

  /** The edge can carry nothing any more (its flow must be 0). */
  disable(e: number): void {
    this.cap[e] = 0;
  }

  /**
   * Sets node v's potential to the least value at which none of its residual
   * out-arcs is negative. Only valid for a node with no residual in-arc (a
   * source whose units are all unplaced), which is how it is used.
   */
  settlePotential(v: number): void {
    this.build();
    let p = -Infinity;
    for (let k = this.outStart[v]!; k < this.outStart[v + 1]!; k++) {
      const e = this.outEdges[k]!;
      if (this.flows[e]! < this.cap[e]!) p = Math.max(p, this.potential[this.to[e]!]! - this.cost[e]!);
    }
    for (const e of this.carrying[v]!) p = Math.max(p, this.potential[this.from[e]!]! + this.cost[e]!);
    this.potential[v] = p === -Infinity ? 0 : p;
  }

  /** Gives every source the least potential its out-edges allow (a cold start). */
  initPotentials(): void {
    for (let v = 0; v < this.nodeCount; v++) if (this.spare[v]! > 0) this.settlePotential(v);
  }

  /** Sends every supply to a sink at minimum total cost; throws if some supply cannot reach one. */
  solve(): void {
    const n = this.nodeCount;
    const dist = new Float64Array(n);
    const seen = new Int32Array(n);
    const settled: number[] = [];
    const heap = new IndexedHeap(n, dist);
    const level = new Int32Array(n);
    const queue = new Int32Array(n);
    const it = new Int32Array(n);
    const stackNode = new Int32Array(n + 1);
    const stackEdge = new Int32Array(n + 1);
    let stamp = 0;
    const sources: number[] = [];

    for (;;) {
      this.build();
      sources.length = 0;
      for (let v = 0; v < n; v++) if (this.spare[v]! > 0) sources.push(v);
      if (sources.length === 0) return;
      stamp++;
      this.phases++;
      const { outStart, outEdges, flows, cap, cost, to, from, potential: pot, carrying } = this;

      // ---- Dijkstra on reduced costs from all sources to the nearest sink with room.
      settled.length = 0;
      heap.clear();
      for (const v of sources) {
        dist[v] = 0;
        seen[v] = stamp;
        heap.push(v);
      }
      let D = -1;
      while (heap.size > 0) {
        const u = heap.pop();
        const du = dist[u]!;
        settled.push(u);
        if (this.load[u]! < this.sinkCapacity[u]!) {
          D = du;
          break;
        }
        const base = du + pot[u]!;
        for (let k = outStart[u]!, end = outStart[u + 1]!; k < end; k++) {
          const e = outEdges[k]!;
          if (flows[e]! >= cap[e]!) continue;
          const v = to[e]!;
          const nd = base + cost[e]! - pot[v]!;
          if (seen[v] !== stamp) {
            seen[v] = stamp;
            dist[v] = nd;
            heap.push(v);
          } else if (nd < dist[v]! && heap.has(v)) {
            dist[v] = nd;
            heap.decrease(v);
          }
        }
        for (const e of carrying[u]!) {
          const v = from[e]!;
          const nd = base - cost[e]! - pot[v]!;
          if (seen[v] !== stamp) {
            seen[v] = stamp;
            dist[v] = nd;
            heap.push(v);
          } else if (nd < dist[v]! && heap.has(v)) {
            dist[v] = nd;
            heap.decrease(v);
          }
        }
      }
      if (D < 0) throw new Error('min-cost flow: some supply cannot reach a sink');

      // ---- Potentials: settled nodes move by D − dist, so shortest paths become tight.
      for (const v of settled) {
        const delta = D - dist[v]!;
        if (delta > 0) pot[v]! -= delta;
      }

      // ---- Max flow on the tight arcs.
      while (this.levels(sources, level, queue)) {
        it.fill(0);
        let pushed = 0;
        for (const s of sources) {
          while (this.spare[s]! > 0 && level[s]! >= 0 && this.augmentFrom(s, level, it, stackNode, stackEdge)) pushed++;
        }
        if (pushed === 0) break;
      }
    }
  }

  /** BFS levels over tight residual arcs from every source; true if a sink with room is reached. */
  private levels(sources: readonly number[], level: Int32Array, queue: Int32Array): boolean {
    const { outStart, outEdges, flows, cap, cost, to, from, potential: pot, carrying } = this;
    level.fill(-1);
    let head = 0;
    let tail = 0;
    for (const s of sources) {
      if (this.spare[s]! <= 0) continue;
      level[s] = 0;
      queue[tail++] = s;
    }
    let reachedAt = -1;
    while (head < tail) {
      const u = queue[head++]!;
      const lu = level[u]!;
      if (reachedAt >= 0 && lu >= reachedAt) break;
      if (this.load[u]! < this.sinkCapacity[u]!) {
        reachedAt = lu;
        continue;
      }
      const pu = pot[u]!;
      for (let k = outStart[u]!, end = outStart[u + 1]!; k < end; k++) {
        const e = outEdges[k]!;
        if (flows[e]! >= cap[e]!) continue;
        const v = to[e]!;
        if (level[v]! >= 0 || pu + cost[e]! - pot[v]! !== 0) continue;
        level[v] = lu + 1;
        queue[tail++] = v;
      }
      for (const e of carrying[u]!) {
        const v = from[e]!;
        if (level[v]! >= 0 || pu - cost[e]! - pot[v]! !== 0) continue;
        level[v] = lu + 1;
        queue[tail++] = v;
      }
    }
    return reachedAt >= 0;
  }

  /**
   * One search from s along the level graph of tight arcs; true when it placed
   * a unit. stackEdge[d] is the edge used to enter stackNode[d], negative
   * (−e − 1) when taken backwards.
   */
  private augmentFrom(s: number, level: Int32Array, it: Int32Array, stackNode: Int32Array, stackEdge: Int32Array): boolean {
    const { outStart, outEdges, flows, cap, cost, to, from, potential: pot, carrying } = this;
    let depth = 0;
    stackNode[0] = s;
    while (depth >= 0) {
      const u = stackNode[depth]!;
      const pu = pot[u]!;
      const next = level[u]! + 1;
      const outFirst = outStart[u]!;
      const outCount = outStart[u + 1]! - outFirst;
      const back = carrying[u]!;
      let k = it[u]!;
      let v = -1;
      let taken = 0;
      for (; k < outCount + back.length; k++) {
        if (k < outCount) {
          const e = outEdges[outFirst + k]!;
          if (flows[e]! >= cap[e]!) continue;
          const w = to[e]!;
          if (level[w] !== next || pu + cost[e]! - pot[w]! !== 0) continue;
          v = w;
          taken = e;
        } else {
          const e = back[k - outCount]!;
          const w = from[e]!;
          if (level[w] !== next || pu - cost[e]! - pot[w]! !== 0) continue;
          v = w;
          taken = -e - 1;
        }
        break;
      }
      if (v < 0) {
        // Dead end for this level graph.
        it[u] = k;
        level[u] = -1;
        depth--;
        if (depth >= 0) it[stackNode[depth]!]!++;
        continue;
      }
      it[u] = k;
      stackEdge[++depth] = taken;
      stackNode[depth] = v;
      if (this.load[v]! < this.sinkCapacity[v]!) {
        this.spare[s]!--;
        this.load[v]!++;
        for (let d = 1; d <= depth; d++) {
          const t = stackEdge[d]!;
          if (t >= 0) this.changeFlow(t, 1);
          else this.changeFlow(-t - 1, -1);
        }
        return true;
      }
    }
    return false;
  }

  private listCarrying(e: number): void {
    const list = this.carrying[this.to[e]!]!;
    this.inPos[e] = list.length;
    list.push(e);
  }

  private unlistCarrying(e: number): void {
    const list = this.carrying[this.to[e]!]!;
    const at = this.inPos[e]!;
    const last = list.pop()!;
    if (last !== e) {
      list[at] = last;
      this.inPos[last] = at;
    }
    this.inPos[e] = -1;
  }

  private build(): void {
    if (this.builtFor === this.edgeCount) return;
    const n = this.nodeCount;
    const m = this.edgeCount;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) start[this.from[e]! + 1]!++;
    for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
    const fill = start.slice(0, n);
    const edges = new Int32Array(m);
    for (let e = 0; e < m; e++) edges[fill[this.from[e]!]!++] = e;
    this.outStart = start;
    this.outEdges = edges;
    this.builtFor = m;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, fillWith = 0): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      if (fillWith !== 0) b.fill(fillWith);
      b.set(a);
      return b;
    };
    this.from = g(this.from);
    this.to = g(this.to);
    this.cap = g(this.cap);
    this.cost = g(this.cost);
    this.flows = g(this.flows);
    this.inPos = g(this.inPos, -1);
  }
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
    const { items, key, pos } = this;
    const v = items[i]!;
    const kv = key[v]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const w = items[p]!;
      if (key[w]! <= kv) break;
      items[i] = w;
      pos[w] = i;
      i = p;
    }
    items[i] = v;
    pos[v] = i;
  }
  private down(i: number): void {
    const { items, key, pos } = this;
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
      pos[w] = i;
      i = c;
    }
    items[i] = v;
    pos[v] = i;
  }
}
