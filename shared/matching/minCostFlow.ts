// Exact min-cost flow by successive shortest paths (Dijkstra on reduced costs,
// potentials seeded by Bellman-Ford so negative edge costs are allowed).
// Costs are fixed-length integer vectors compared lexicographically: a
// prioritised objective then needs no big-M weights that could overflow or let a
// low-priority term outweigh a high one. Dijkstra with potentials only needs an
// ordered abelian group, which lexicographic integer vectors are. Each augment
// stops Dijkstra at the sink and updates potentials by min(dist, dist(sink)),
// which keeps every residual reduced cost non-negative.

export interface FlowResult {
  /** Units of flow sent from source to sink. */
  flow: number;
  /** Total cost vector of that flow (sum of flow × edge cost). */
  cost: number[];
}

export class MinCostFlow {
  readonly nodeCount: number;
  readonly dim: number;
  // Edge 2i is the i-th added edge, 2i+1 its residual reverse.
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private readonly capacity: number[] = [];
  private readonly costs: number[] = [];
  private residual: Float64Array = new Float64Array(0);

  constructor(nodeCount: number, dim: number) {
    if (!Number.isInteger(nodeCount) || nodeCount < 0) throw new RangeError('nodeCount must be a non-negative integer');
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError('dim must be a positive integer');
    this.nodeCount = nodeCount;
    this.dim = dim;
  }

  /** Adds a directed edge; returns its id (for `flowOn`). Cost components must be integers. */
  addEdge(from: number, to: number, capacity: number, cost: ArrayLike<number>): number {
    if (from < 0 || from >= this.nodeCount || to < 0 || to >= this.nodeCount) throw new RangeError('node out of range');
    if (cost.length !== this.dim) throw new RangeError(`cost must have ${this.dim} components`);
    const id = this.from.length >> 1;
    this.from.push(from, to);
    this.to.push(to, from);
    this.capacity.push(capacity, 0);
    for (let k = 0; k < this.dim; k++) this.costs.push(cost[k] ?? 0);
    for (let k = 0; k < this.dim; k++) this.costs.push(-(cost[k] ?? 0));
    return id;
  }

  /** Flow on edge `id` after `run`. */
  flowOn(id: number): number {
    return this.residual[2 * id + 1] ?? 0;
  }

  /**
   * Sends up to `maxFlow` units from `source` to `sink` at lexicographically
   * minimum total cost for the amount sent (which is the maximum possible when
   * `maxFlow` is not reached). Throws on a negative-cost cycle.
   */
  run(source: number, sink: number, maxFlow = Infinity): FlowResult {
    const n = this.nodeCount;
    const D = this.dim;
    const m = this.from.length;
    const to = Int32Array.from(this.to);
    const cost = Float64Array.from(this.costs);
    const res = Float64Array.from(this.capacity);
    this.residual = res;

    // Adjacency in CSR form, edges in insertion order (keeps runs deterministic).
    const start = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) start[this.from[e]! + 1]!++;
    for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
    const adj = new Int32Array(m);
    const fill = start.slice(0, n);
    for (let e = 0; e < m; e++) adj[fill[this.from[e]!]!++] = e;

    const pot = new Float64Array(n * D);
    const total = new Array<number>(D).fill(0);
    if (source === sink || n === 0) return { flow: 0, cost: total };

    this.initialPotentials(source, to, cost, res, pot);

    const dist = new Float64Array(n * D);
    const state = new Uint8Array(n); // 0 unseen, 1 in heap, 2 settled
    const prev = new Int32Array(n);
    const heap = new Int32Array(n);
    const pos = new Int32Array(n);
    const cand = new Float64Array(D);
    const base = new Float64Array(D);
    let heapSize = 0;

    const less = (a: number, b: number): boolean => {
      const oa = a * D;
      const ob = b * D;
      for (let k = 0; k < D; k++) {
        const x = dist[oa + k]!;
        const y = dist[ob + k]!;
        if (x !== y) return x < y;
      }
      return false;
    };
    const up = (i: number): void => {
      const v = heap[i]!;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const w = heap[p]!;
        if (!less(v, w)) break;
        heap[i] = w;
        pos[w] = i;
        i = p;
      }
      heap[i] = v;
      pos[v] = i;
    };
    const down = (i: number): void => {
      const v = heap[i]!;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= heapSize) break;
        if (c + 1 < heapSize && less(heap[c + 1]!, heap[c]!)) c++;
        const w = heap[c]!;
        if (!less(w, v)) break;
        heap[i] = w;
        pos[w] = i;
        i = c;
      }
      heap[i] = v;
      pos[v] = i;
    };

    let flow = 0;
    while (flow < maxFlow) {
      state.fill(0);
      heapSize = 0;
      for (let k = 0; k < D; k++) dist[source * D + k] = 0;
      state[source] = 1;
      heap[0] = source;
      pos[source] = 0;
      heapSize = 1;

      let reached = false;
      while (heapSize > 0) {
        const u: number = heap[0]!;
        heapSize--;
        if (heapSize > 0) {
          heap[0] = heap[heapSize]!;
          down(0);
        }
        state[u] = 2;
        if (u === sink) {
          reached = true;
          break;
        }
        const ou = u * D;
        for (let k = 0; k < D; k++) base[k] = dist[ou + k]! + pot[ou + k]!;
        for (let a: number = start[u]!, end: number = start[u + 1]!; a < end; a++) {
          const e: number = adj[a]!;
          if (res[e]! <= 0) continue;
          const v = to[e]!;
          const sv = state[v]!;
          if (sv === 2) continue;
          const ov = v * D;
          const oe = e * D;
          // Lexicographic compare as components are computed; most relaxations
          // are decided by the first component.
          let better = sv === 0;
          let k = 0;
          if (!better) {
            for (; k < D; k++) {
              const c = base[k]! + cost[oe + k]! - pot[ov + k]!;
              cand[k] = c;
              const d = dist[ov + k]!;
              if (c !== d) {
                better = c < d;
                k++;
                break;
              }
            }
            if (!better) continue;
          }
          for (; k < D; k++) cand[k] = base[k]! + cost[oe + k]! - pot[ov + k]!;
          for (k = 0; k < D; k++) dist[ov + k] = cand[k]!;
          prev[v] = e;
          if (sv === 0) {
            state[v] = 1;
            heap[heapSize] = v;
            pos[v] = heapSize;
            heapSize++;
            up(heapSize - 1);
          } else {
            up(pos[v]!);
          }
        }
      }
      if (!reached) break;

      // pot += min(dist, dist(sink)): settled nodes have dist <= dist(sink).
      const ot = sink * D;
      for (let v = 0; v < n; v++) {
        const o = v * D;
        const src = state[v] === 2 ? o : ot;
        for (let k = 0; k < D; k++) pot[o + k]! += dist[src + k]!;
      }

      let push = maxFlow - flow;
      for (let v = sink; v !== source; v = to[prev[v]! ^ 1]!) push = Math.min(push, res[prev[v]!]!);
      for (let v = sink; v !== source; v = to[prev[v]! ^ 1]!) {
        const e = prev[v]!;
        res[e]! -= push;
        res[e ^ 1]! += push;
        for (let k = 0; k < D; k++) total[k]! += push * cost[e * D + k]!;
      }
      flow += push;
    }
    return { flow, cost: total };
  }

  /** Bellman-Ford (edge-list passes) shortest distances from the source over edges with capacity. */
  private initialPotentials(source: number, to: Int32Array, cost: Float64Array, res: Float64Array, pot: Float64Array): void {
    const n = this.nodeCount;
    const D = this.dim;
    const m = to.length;
    const seen = new Uint8Array(n);
    seen[source] = 1;
    // Passes over all edges in insertion order: one or two passes when edges were
    // added roughly in topological order (the usual layered graph).
    for (let pass = 0; ; pass++) {
      let changed = false;
      for (let e = 0; e < m; e++) {
        if (res[e]! <= 0) continue;
        const u = to[e ^ 1]!;
        if (!seen[u]) continue;
        const v = to[e]!;
        const ou = u * D;
        const ov = v * D;
        const oe = e * D;
        let better = !seen[v];
        if (!better) {
          for (let k = 0; k < D; k++) {
            const c = pot[ou + k]! + cost[oe + k]!;
            const d = pot[ov + k]!;
            if (c !== d) {
              better = c < d;
              break;
            }
          }
        }
        if (better) {
          for (let k = 0; k < D; k++) pot[ov + k] = pot[ou + k]! + cost[oe + k]!;
          seen[v] = 1;
          changed = true;
        }
      }
      if (!changed) return;
      if (pass >= n) throw new Error('min-cost flow: negative-cost cycle');
    }
  }
}
