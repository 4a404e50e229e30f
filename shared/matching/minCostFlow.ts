// Exact min-cost flow on a sparse network whose nodes may supply units
// (sources) or absorb them (sinks with a capacity), with integer edge costs
// held exactly in float64. Primal-dual in phases: one multi-source Dijkstra on
// reduced costs from every node with supply left, up to the nearest sink with
// room; potentials move by the distances so shortest paths become tight (zero
// reduced cost); then depth-first searches push units along tight paths until
// none is left, and the next phase starts.
//
// Invariant: every residual arc has reduced cost c(u,v) + π(u) − π(v) ≥ 0.
// When every supply is placed the flow is a min-cost flow (no residual
// negative cycle; LP duality), whatever the starting potentials and flows, as
// long as they met the invariant. That is what makes warm starts and edges
// added or disabled between solves safe.

/** Asked when no sink with room can be reached: return true after changing the network, false to give up. */
export type OnStuck = (sources: readonly number[]) => boolean;

export class MinCostFlow {
  readonly nodeCount: number;
  /** Units each node still has to send. */
  readonly spare: Int32Array;
  /** Units each node can absorb, and has absorbed. */
  readonly sinkCapacity: Int32Array;
  readonly load: Int32Array;
  readonly potential: Float64Array;

  // Edge e: from[e] → to[e]; arc 2e is its forward residual arc, 2e + 1 the reverse.
  from: Int32Array = new Int32Array(16);
  to: Int32Array = new Int32Array(16);
  cap: Int32Array = new Int32Array(16);
  cost: Float64Array = new Float64Array(16);
  flow: Int32Array = new Int32Array(16);
  edgeCount = 0;

  // Arcs by tail node (CSR), rebuilt when edges were added.
  private arcStart = new Int32Array(0);
  private arcs = new Int32Array(0);
  private builtFor = -1;

  /** Dijkstra phases run so far. */
  phases = 0;

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.spare = new Int32Array(nodeCount);
    this.sinkCapacity = new Int32Array(nodeCount);
    this.load = new Int32Array(nodeCount);
    this.potential = new Float64Array(nodeCount);
  }

  addEdge(from: number, to: number, cap: number, cost: number): number {
    if (this.edgeCount === this.to.length) this.grow();
    const e = this.edgeCount++;
    this.from[e] = from;
    this.to[e] = to;
    this.cap[e] = cap;
    this.cost[e] = cost;
    this.flow[e] = 0;
    return e;
  }

  reducedCost(e: number): number {
    return this.cost[e]! + this.potential[this.from[e]!]! - this.potential[this.to[e]!]!;
  }

  /**
   * Lowers each node's potential to the least value at which none of its
   * residual out-arcs is negative. Only valid for nodes with no residual
   * in-arc (a source whose units are all unplaced), which is how it is used.
   */
  settlePotential(v: number): void {
    this.build();
    let p = -Infinity;
    for (let k = this.arcStart[v]!; k < this.arcStart[v + 1]!; k++) {
      const a = this.arcs[k]!;
      const e = a >> 1;
      if (a & 1 ? this.flow[e]! > 0 : this.flow[e]! < this.cap[e]!) {
        const head = a & 1 ? this.from[e]! : this.to[e]!;
        const c = a & 1 ? -this.cost[e]! : this.cost[e]!;
        p = Math.max(p, this.potential[head]! - c);
      }
    }
    this.potential[v] = p === -Infinity ? 0 : p;
  }

  /** Sets every source's potential so all its out-edges have non-negative reduced cost (a cold start). */
  initPotentials(): void {
    for (let v = 0; v < this.nodeCount; v++) if (this.spare[v]! > 0) this.settlePotential(v);
  }

  /** Sends every supply to a sink at minimum total cost. */
  solve(onStuck?: OnStuck): void {
    const n = this.nodeCount;
    const dist = new Float64Array(n);
    const seen = new Int32Array(n);
    const settled: number[] = [];
    const heap = new IndexedHeap(n, dist);
    const vis = new Int32Array(n);
    const it = new Int32Array(n);
    const stackNode = new Int32Array(n + 1);
    const stackArc = new Int32Array(n + 1);
    let stamp = 0;
    let dfsStamp = 0;
    const sources: number[] = [];

    for (;;) {
      this.build();
      sources.length = 0;
      for (let v = 0; v < n; v++) if (this.spare[v]! > 0) sources.push(v);
      if (sources.length === 0) return;
      stamp++;
      this.phases++;
      const arcStart = this.arcStart;
      const arcs = this.arcs;
      const pot = this.potential;

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
        for (let k = arcStart[u]!, end = arcStart[u + 1]!; k < end; k++) {
          const a = arcs[k]!;
          const e = a >> 1;
          let v: number;
          let nd: number;
          if (a & 1) {
            if (this.flow[e] === 0) continue;
            v = this.from[e]!;
            nd = base - this.cost[e]! - pot[v]!;
          } else {
            if (this.flow[e]! >= this.cap[e]!) continue;
            v = this.to[e]!;
            nd = base + this.cost[e]! - pot[v]!;
          }
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
      if (D < 0) {
        if (onStuck?.(sources)) continue;
        throw new Error('min-cost flow: some supply cannot reach a sink');
      }

      // ---- Potentials: settled nodes move by D − dist, so shortest paths become tight.
      for (const v of settled) {
        const delta = D - dist[v]!;
        if (delta > 0) pot[v]! -= delta;
      }

      // ---- Push along tight paths until a full round of searches finds none.
      for (;;) {
        dfsStamp++;
        for (let v = 0; v < n; v++) it[v] = arcStart[v]!;
        let pushed = 0;
        for (const s of sources) {
          while (this.spare[s]! > 0 && vis[s] !== dfsStamp && this.augmentFrom(s, dfsStamp, vis, it, stackNode, stackArc)) pushed++;
        }
        if (pushed === 0) break;
        let left = 0;
        for (const s of sources) left += this.spare[s]!;
        if (left === 0) break;
      }
    }
  }

  /** One depth-first search from s over tight residual arcs; true when it placed a unit. */
  private augmentFrom(s: number, stamp: number, vis: Int32Array, it: Int32Array, stackNode: Int32Array, stackArc: Int32Array): boolean {
    const arcStart = this.arcStart;
    const arcs = this.arcs;
    const pot = this.potential;
    let depth = 0;
    stackNode[0] = s;
    vis[s] = stamp;
    while (depth >= 0) {
      const u = stackNode[depth]!;
      const end = arcStart[u + 1]!;
      const pu = pot[u]!;
      let k = it[u]!;
      for (; k < end; k++) {
        const a = arcs[k]!;
        const e = a >> 1;
        let v: number;
        if (a & 1) {
          if (this.flow[e] === 0) continue;
          v = this.from[e]!;
          if (vis[v] === stamp || pu - this.cost[e]! - pot[v]! !== 0) continue;
        } else {
          if (this.flow[e]! >= this.cap[e]!) continue;
          v = this.to[e]!;
          if (vis[v] === stamp || pu + this.cost[e]! - pot[v]! !== 0) continue;
        }
        it[u] = k;
        stackArc[depth + 1] = a;
        if (this.load[v]! < this.sinkCapacity[v]!) {
          this.apply(s, v, depth + 1, stackArc);
          // Nodes of a successful path may carry another unit this round.
          for (let d = 0; d <= depth; d++) vis[stackNode[d]!] = 0;
          return true;
        }
        vis[v] = stamp;
        stackNode[++depth] = v;
        break;
      }
      if (k >= end) {
        it[u] = end;
        depth--;
        if (depth >= 0) it[stackNode[depth]!]!++;
      }
    }
    return false;
  }

  private apply(source: number, sink: number, length: number, stackArc: Int32Array): void {
    this.spare[source]!--;
    this.load[sink]!++;
    for (let d = 1; d <= length; d++) {
      const a = stackArc[d]!;
      if (a & 1) this.flow[a >> 1]!--;
      else this.flow[a >> 1]!++;
    }
  }

  private build(): void {
    if (this.builtFor === this.edgeCount) return;
    const n = this.nodeCount;
    const m = this.edgeCount;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      start[this.from[e]! + 1]!++;
      start[this.to[e]! + 1]!++;
    }
    for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
    const fill = start.slice(0, n);
    const arcs = new Int32Array(2 * m);
    // Forward arcs in insertion order, then reverse arcs: searches try moving on before moving back.
    for (let e = 0; e < m; e++) arcs[fill[this.from[e]!]!++] = 2 * e;
    for (let e = 0; e < m; e++) arcs[fill[this.to[e]!]!++] = 2 * e + 1;
    this.arcStart = start;
    this.arcs = arcs;
    this.builtFor = m;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      b.set(a);
      return b;
    };
    this.from = g(this.from);
    this.to = g(this.to);
    this.cap = g(this.cap);
    this.cost = g(this.cost);
    this.flow = g(this.flow);
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
