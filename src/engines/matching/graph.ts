import { type Pool, stampedValue, stampRelations, value } from './pool.ts';
import { bucketPoints, overlapMinutes, topicPoints } from './score.ts';

/** Candidate partners per member, with their `value`; index `size` is the observer's stand-in. */
export type Graph = { adj: number[][]; adjValue: number[][] };
/** The same candidates as a flat list, for the greedy pass to sort. */
export type Edges = { from: Int32Array; to: Int32Array; value: Float64Array; length: number };

export const FULL_LIMIT = 400; // members: up to this many, every allowed pair is a candidate
const CANDIDATES = 24; // best partners kept per member above FULL_LIMIT
const SCAN_BUDGET = 1_000; // partners scored per member at most while finding those

/** Candidate partners, as edges added to the graph: all allowed pairs for a small subset, else the best few. */
export function addCandidates(pool: Pool, graph: Graph, subset: Int32Array): Edges {
  const m = subset.length;
  if (m <= FULL_LIMIT) {
    const edges = newEdges((m * (m - 1)) / 2);
    for (let i = 0; i < m; i += 1) {
      for (let j = i + 1; j < m; j += 1) {
        const x = subset[i]!;
        const y = subset[j]!;
        const pair = value(pool, x, y);
        if (!Number.isNaN(pair)) addEdge(graph, edges, x, y, pair);
      }
    }
    return edges;
  }
  const lists = topCandidates(pool, subset);
  const edges = newEdges(m * CANDIDATES);
  const seen = new Int32Array(pool.size).fill(-1);
  for (let i = 0; i < m; i += 1) {
    const x = subset[i]!;
    for (const y of graph.adj[x]!) seen[y] = x;
    const { ids, values } = lists[i]!;
    for (let k = 0; k < ids.length; k += 1) {
      const y = ids[k]!;
      if (seen[y] === x) continue;
      seen[y] = x;
      addEdge(graph, edges, x, y, values[k]!);
    }
  }
  return edges;
}

function newEdges(capacity: number): Edges {
  return {
    from: new Int32Array(capacity),
    to: new Int32Array(capacity),
    value: new Float64Array(capacity),
    length: 0,
  };
}

function addEdge(graph: Graph, edges: Edges, x: number, y: number, pair: number): void {
  if (edges.length === edges.from.length) {
    const grow = (array: Int32Array) => {
      const bigger = new Int32Array(array.length * 2 + 16);
      bigger.set(array);
      return bigger;
    };
    edges.from = grow(edges.from);
    edges.to = grow(edges.to);
    const values = new Float64Array(edges.value.length * 2 + 16);
    values.set(edges.value);
    edges.value = values;
  }
  edges.from[edges.length] = x;
  edges.to[edges.length] = y;
  edges.value[edges.length] = pair;
  edges.length += 1;
  link(graph, x, y, pair);
}

export function link(graph: Graph, x: number, y: number, pair: number): void {
  graph.adj[x]!.push(y);
  graph.adjValue[x]!.push(pair);
  graph.adj[y]!.push(x);
  graph.adjValue[y]!.push(pair);
}

/**
 * The CANDIDATES best partners of each member of a large subset, without scoring all pairs: members are
 * bucketed by level and UTC offset, then by topic set; buckets are visited best bound first and skipped
 * once their bound cannot beat the worst kept candidate.
 */
function topCandidates(pool: Pool, subset: Int32Array): Array<{ ids: Int32Array; values: Float64Array }> {
  const bySet = pool.shared !== undefined;
  const slots = bySet ? pool.maskCount : 1;
  const bucketOf = new Map<number, number>();
  const bucketRank: number[] = [];
  const bucketOffset: number[] = [];
  const bucketMembers: Array<Array<number[] | undefined>> = [];
  const home = new Int32Array(subset.length);
  for (let i = 0; i < subset.length; i += 1) {
    const x = subset[i]!;
    const key = pool.rank[x]! * 100_000 + pool.offset[x]! + 50_000;
    let bucket = bucketOf.get(key);
    if (bucket === undefined) {
      bucket = bucketRank.length;
      bucketOf.set(key, bucket);
      bucketRank.push(pool.rank[x]!);
      bucketOffset.push(pool.offset[x]!);
      bucketMembers.push(new Array<number[] | undefined>(slots).fill(undefined));
    }
    home[i] = bucket;
    const slot = bySet ? pool.maskId[x]! : 0;
    const members = bucketMembers[bucket]!;
    const group = members[slot];
    if (group) group.push(x);
    else members[slot] = [x];
  }
  // Bound of any pair between two buckets, before topics: role and history terms only subtract.
  const count = bucketRank.length;
  const bounds = new Float64Array(count * count);
  const order: Int32Array[] = [];
  for (let a = 0; a < count; a += 1) {
    for (let b = 0; b < count; b += 1) {
      const gap = Math.abs(bucketRank[a]! - bucketRank[b]!);
      bounds[a * count + b] = bucketPoints(gap, overlapMinutes(bucketOffset[a]!, bucketOffset[b]!));
    }
    const row = bounds.subarray(a * count, a * count + count);
    order.push(Int32Array.from({ length: count }, (_, b) => b).sort((p, q) => row[q]! - row[p]! || p - q));
  }
  // Per topic set: the other sets by shared-topic bonus, best first.
  const setOrder: Int32Array[] = [];
  const setBonus: Float64Array[] = [];
  if (bySet) {
    const table = pool.shared!;
    for (let a = 0; a < slots; a += 1) {
      const bonus = (b: number) => topicPoints(table[a * slots + b]!);
      const sorted = Int32Array.from({ length: slots }, (_, b) => b).sort(
        (p, q) => bonus(q) - bonus(p) || p - q,
      );
      setOrder.push(sorted);
      setBonus.push(Float64Array.from(sorted, bonus));
    }
  }
  const heapId = new Int32Array(CANDIDATES);
  const heapValue = new Float64Array(CANDIDATES);
  const lists: Array<{ ids: Int32Array; values: Float64Array }> = [];
  for (let i = 0; i < subset.length; i += 1) {
    const x = subset[i]!;
    stampRelations(pool, x);
    let kept = 0;
    let scored = 0;
    let worst = Number.NEGATIVE_INFINITY; // the worst kept candidate's value once CANDIDATES are kept
    const topicMax = topicPoints(pool.topicCount[x]!);
    const ga = home[i]!;
    const visit = order[ga]!;
    const sets = bySet ? setOrder[pool.maskId[x]!]! : undefined;
    const bonuses = bySet ? setBonus[pool.maskId[x]!]! : undefined;
    for (let v = 0; v < count && scored < SCAN_BUDGET; v += 1) {
      const gb = visit[v]!;
      const base = bounds[ga * count + gb]!;
      if (base + topicMax <= worst) break;
      const members = bucketMembers[gb]!;
      for (let s = 0; s < slots; s += 1) {
        const bonus = bonuses ? bonuses[s]! : topicMax;
        if (base + bonus <= worst) break;
        const group = members[sets ? sets[s]! : 0];
        if (group === undefined) continue;
        // Each member starts at its own place in a group, so equal candidates are spread over members.
        const from = (i * 7_919) % group.length;
        for (let step = 0; step < group.length && scored < SCAN_BUDGET; step += 1) {
          const y = group[(from + step) % group.length]!;
          if (y === x) continue;
          scored += 1;
          // The search's own value; buckets and topic sets only order the scan and bound it.
          const pair = stampedValue(pool, x, y);
          if (Number.isNaN(pair)) continue;
          if (kept < CANDIDATES) {
            heapPush(heapId, heapValue, kept, y, pair);
            kept += 1;
            if (kept === CANDIDATES) worst = heapValue[0]!;
          } else if (pair > worst) {
            heapReplaceTop(heapId, heapValue, kept, y, pair);
            worst = heapValue[0]!;
          }
        }
      }
    }
    lists.push({ ids: heapId.slice(0, kept), values: heapValue.slice(0, kept) });
  }
  return lists;
}

function heapPush(ids: Int32Array, values: Float64Array, size: number, id: number, entry: number): void {
  let at = size;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (values[parent]! <= entry) break;
    ids[at] = ids[parent]!;
    values[at] = values[parent]!;
    at = parent;
  }
  ids[at] = id;
  values[at] = entry;
}

function heapReplaceTop(
  ids: Int32Array,
  values: Float64Array,
  size: number,
  id: number,
  entry: number,
): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && values[right]! < values[left]! ? right : left;
    if (values[child]! >= entry) break;
    ids[at] = ids[child]!;
    values[at] = values[child]!;
    at = child;
  }
  ids[at] = id;
  values[at] = entry;
}

/**
 * Grows the matching to the most pairs the graph's `ok` edges allow (Edmonds' blossom algorithm, one
 * breadth-first search per free vertex; state is reset only where a search touched it).
 */
export function augment(graph: Graph, mate: Int32Array, ok: (x: number, y: number) => boolean): void {
  const total = mate.length;
  const base = Int32Array.from({ length: total }, (_, at) => at);
  const parent = new Int32Array(total).fill(-1);
  const used = new Uint8Array(total);
  const blossom = new Uint8Array(total);
  const touchedFlag = new Uint8Array(total);
  const mark = new Int32Array(total);
  let stamp = 0;
  const touched: number[] = [];
  const queue: number[] = [];
  const touch = (v: number) => {
    if (touchedFlag[v] === 0) {
      touchedFlag[v] = 1;
      touched.push(v);
    }
  };
  const lca = (a0: number, b0: number) => {
    stamp += 1;
    let a = a0;
    for (;;) {
      a = base[a]!;
      mark[a] = stamp;
      if (mate[a] === -1) break;
      a = parent[mate[a]!]!;
    }
    let b = b0;
    for (;;) {
      b = base[b]!;
      if (mark[b] === stamp) return b;
      b = parent[mate[b]!]!;
    }
  };
  const markPath = (v0: number, b: number, child0: number) => {
    let v = v0;
    let child = child0;
    while (base[v] !== b) {
      blossom[base[v]!] = 1;
      blossom[base[mate[v]!]!] = 1;
      parent[v] = child;
      child = mate[v]!;
      v = parent[mate[v]!]!;
    }
  };
  const findPath = (root: number): number => {
    for (const v of touched) {
      base[v] = v;
      parent[v] = -1;
      used[v] = 0;
      touchedFlag[v] = 0;
    }
    touched.length = 0;
    queue.length = 0;
    touch(root);
    used[root] = 1;
    queue.push(root);
    for (let head = 0; head < queue.length; head += 1) {
      const v = queue[head]!;
      for (const to of graph.adj[v]!) {
        if (base[v] === base[to] || mate[v] === to || !ok(v, to)) continue;
        if (to === root || (mate[to] !== -1 && parent[mate[to]!] !== -1)) {
          const shared = lca(v, to);
          markPath(v, shared, to);
          markPath(to, shared, v);
          for (let k = 0; k < touched.length; k += 1) {
            const i = touched[k]!;
            if (blossom[base[i]!] === 1) {
              base[i] = shared;
              if (used[i] === 0) {
                used[i] = 1;
                queue.push(i);
              }
            }
          }
          for (const i of touched) blossom[i] = 0;
        } else if (parent[to] === -1) {
          touch(to);
          parent[to] = v;
          if (mate[to] === -1) return to;
          const next = mate[to]!;
          touch(next);
          used[next] = 1;
          queue.push(next);
        }
      }
    }
    return -1;
  };
  for (let root = 0; root < total; root += 1) {
    if (mate[root] !== -1) continue;
    let end = findPath(root);
    while (end !== -1) {
      const via = parent[end]!;
      const next = mate[via]!;
      mate[end] = via;
      mate[via] = end;
      end = next;
    }
  }
}
