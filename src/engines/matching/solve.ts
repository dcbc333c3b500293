import { addCandidates, augment, type Edges, FULL_LIMIT, type Graph, link } from './graph.ts';
import {
  AVOID,
  isRecent,
  type Pool,
  relationOf,
  score,
  scoreWith,
  stampedValue,
  stampRelations,
  value,
} from './pool.ts';
import { firstInterviews, groupScore, SCORE, searchValue } from './score.ts';
import type { Group } from './types.ts';

const STRAGGLERS = 64; // members left out by sparse candidates who then get every allowed partner
const VALUE_SPAN = 2_048; // edge values + SCORE.repeatCost fall in [0, VALUE_SPAN)

/** A pair being seated, with its observer (-1 while none); indexes into the pool. */
type Draft = { x: number; y: number; observer: number };
/** Groups of a round, members who could not be placed (pool indexes), and groups with a repeat. */
export type Round = { groups: Group[]; left: number[]; repeats: number };

// ---------------------------------------------------------------------------------------------------
// The search: greedy by weight, augmenting paths, 2-opt.

/** Matches the pool, repairs aside (see `matchPool`); mate[i] is i's partner, the stand-in `size`, or -1. */
export function solve(pool: Pool): { mate: Int32Array; graph: Graph } {
  const n = pool.size;
  const standIn = n % 2 === 1 ? n : -1;
  const total = standIn >= 0 ? n + 1 : n;
  const graph: Graph = { adj: [], adjValue: [] };
  for (let at = 0; at < total; at += 1) {
    graph.adj.push([]);
    graph.adjValue.push([]);
  }
  const mate = new Int32Array(total).fill(-1);
  const everyone = Int32Array.from({ length: n }, (_, at) => at);
  greedy(pool, mate, addCandidates(pool, graph, everyone));
  // Members whose candidates all went to others get a second chance among themselves.
  for (let pass = 0; pass < 8 && n > FULL_LIMIT; pass += 1) {
    const left = everyone.filter((at) => mate[at] === -1);
    if (left.length < 2) break;
    greedy(pool, mate, addCandidates(pool, graph, left));
    if (everyone.filter((at) => mate[at] === -1).length === left.length) break;
  }
  if (standIn >= 0) {
    for (let at = 0; at < n; at += 1) {
      graph.adj[at]!.push(standIn);
      graph.adjValue[at]!.push(pool.observing[at]!);
      graph.adj[standIn]!.push(at);
      graph.adjValue[standIn]!.push(pool.observing[at]!);
    }
  }
  const allowed = allowedIn(pool);
  augment(graph, mate, allowed);
  const stuck = everyone.filter((at) => mate[at] === -1);
  if (stuck.length > 0 && stuck.length <= STRAGGLERS && n > FULL_LIMIT) {
    // Sparse candidates left these out: give them every allowed partner, then look for paths again.
    for (const x of stuck) {
      const known = new Set(graph.adj[x]);
      for (let y = 0; y < n; y += 1) {
        const pair = y === x || known.has(y) ? Number.NaN : value(pool, x, y);
        if (!Number.isNaN(pair)) link(graph, x, y, pair);
      }
    }
    augment(graph, mate, allowed);
  }
  improve(pool, graph, mate);
  return { mate, graph };
}

/** Edges the matching may take: any pair but an avoided one; the observer's stand-in avoids no one. */
export function allowedIn(pool: Pool): (x: number, y: number) => boolean {
  const standIn = pool.size % 2 === 1 ? pool.size : -1;
  return (x, y) => x === standIn || y === standIn || relationOf(pool, x, y) !== AVOID;
}

/** Takes edges best first (ties by seeded hash, then by order of discovery) while both ends are free. */
export function greedy(pool: Pool, mate: Int32Array, edges: Edges): void {
  const count = edges.length;
  // Two stable counting-sort passes (hash, then value): linear; sorting ~200k edges by comparison
  // took longer than the rest of the greedy pass.
  const rank = new Uint16Array(count);
  const tie = new Uint16Array(count);
  for (let e = 0; e < count; e += 1) {
    rank[e] = VALUE_SPAN - 1 - Math.min(VALUE_SPAN - 1, Math.max(0, edges.value[e]! + SCORE.repeatCost));
    tie[e] = tieHash(pool.seed, pool.members[edges.from[e]!]!.id, pool.members[edges.to[e]!]!.id) >>> 16;
  }
  const byTie = countingSort(
    Int32Array.from({ length: count }, (_, e) => e),
    tie,
    65_536,
  );
  const order = countingSort(byTie, rank, VALUE_SPAN);
  for (let k = 0; k < count; k += 1) {
    const e = order[k]!;
    const x = edges.from[e]!;
    const y = edges.to[e]!;
    if (mate[x] === -1 && mate[y] === -1) {
      mate[x] = y;
      mate[y] = x;
    }
  }
}

/** Stable sort of `items` by `keyOf[item]`, keys in [0, span). */
function countingSort(items: Int32Array, keyOf: Uint16Array, span: number): Int32Array {
  const starts = new Int32Array(span + 1);
  for (let k = 0; k < items.length; k += 1) starts[keyOf[items[k]!]! + 1]! += 1;
  for (let key = 0; key < span; key += 1) starts[key + 1]! += starts[key]!;
  const sorted = new Int32Array(items.length);
  for (let k = 0; k < items.length; k += 1) {
    const item = items[k]!;
    sorted[starts[keyOf[item]!]!++] = item;
  }
  return sorted;
}

/**
 * 2-opt: for a member a paired with b and a candidate c paired with d, re-pair as (a, c) and (b, d) when
 * that gains. Free members count -SCORE.unmatchedCost, so moves never leave more people out.
 */
export function improve(pool: Pool, graph: Graph, mate: Int32Array): void {
  const n = pool.size;
  const current = new Float64Array(mate.length);
  for (let at = 0; at < mate.length; at += 1) {
    current[at] = mate[at] === -1 ? -SCORE.unmatchedCost : value(pool, at, mate[at]!);
  }
  const stack: number[] = [];
  const queued = new Uint8Array(mate.length);
  for (let at = n - 1; at >= 0; at -= 1) {
    stack.push(at);
    queued[at] = 1;
  }
  const push = (v: number) => {
    if (v >= 0 && v < n && queued[v] === 0) {
      queued[v] = 1;
      stack.push(v);
    }
  };
  let budget = 200 * mate.length; // moves; each strictly gains, this only bounds pathological inputs
  while (stack.length > 0 && budget > 0) {
    const a = stack.pop()!;
    queued[a] = 0;
    const b = mate[a]!;
    let bestGain = 0;
    let bestC = -1;
    let bestAC = 0;
    let bestBD = 0;
    const neighbours = graph.adj[a]!;
    const values = graph.adjValue[a]!;
    const stamped = b >= 0 && b < n;
    if (stamped) stampRelations(pool, b);
    for (let k = 0; k < neighbours.length; k += 1) {
      const c = neighbours[k]!;
      if (c === b) continue;
      const d = mate[c]!;
      const ac = values[k]!;
      let bd = 0;
      let gain: number;
      if (b >= 0 && d >= 0) {
        bd = stamped ? stampedValue(pool, b, d) : value(pool, b, d);
        if (Number.isNaN(bd)) continue;
        gain = ac + bd - current[a]! - current[c]!;
      } else if (b >= 0) {
        gain = ac - current[a]!;
      } else if (d >= 0) {
        gain = ac - current[c]!;
      } else {
        gain = ac + 2 * SCORE.unmatchedCost;
      }
      if (gain > bestGain) {
        bestGain = gain;
        bestC = c;
        bestAC = ac;
        bestBD = bd;
      }
    }
    if (bestC === -1) continue;
    budget -= 1;
    const c = bestC;
    const d = mate[c]!;
    mate[a] = c;
    mate[c] = a;
    current[a] = bestAC;
    current[c] = bestAC;
    if (b >= 0 && d >= 0) {
      mate[b] = d;
      mate[d] = b;
      current[b] = bestBD;
      current[d] = bestBD;
    } else {
      if (b >= 0) {
        mate[b] = -1;
        current[b] = -SCORE.unmatchedCost;
      }
      if (d >= 0) {
        mate[d] = -1;
        current[d] = -SCORE.unmatchedCost;
      }
    }
    push(a);
    push(b);
    push(c);
    push(d);
  }
}

export function objective(pool: Pool, mate: Int32Array): number {
  let sum = 0;
  for (let at = 0; at < mate.length; at += 1) {
    const partner = mate[at]!;
    if (partner === -1) sum -= SCORE.unmatchedCost;
    else if (partner > at) sum += value(pool, at, partner);
  }
  return sum;
}

/** A 32-bit hash of the seed and two ids, for tie-breaking that any seed reshuffles. */
export function tieHash(seed: number, a: number, b: number): number {
  let h = mix(mix(mix(mix(0x2545f491, seed | 0), Math.floor(seed / 2 ** 32)), a | 0), b | 0);
  h = mix(h, Math.floor(a / 2 ** 32) ^ Math.floor(b / 2 ** 32));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(h: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

// ---------------------------------------------------------------------------------------------------
// From a matching to groups: roles, the observer's trio, and who is left.

export function assemble(pool: Pool, mate: Int32Array): Round {
  const n = pool.size;
  const drafts: Draft[] = [];
  const extras: number[] = [];
  if (mate.length > n && mate[n] !== -1) extras.push(mate[n]!);
  for (let at = 0; at < n; at += 1) {
    const partner = mate[at]!;
    if (partner > at && partner < n) drafts.push({ x: at, y: partner, observer: -1 });
    else if (partner === -1) extras.push(at);
  }
  const left: number[] = [];
  for (const extra of extras) {
    if (!joinTrio(pool, drafts, extra) && !swapIntoTrio(pool, drafts, extra)) left.push(extra);
  }
  let repeats = 0;
  const groups = drafts.map(({ x, y, observer }) => {
    if (isRecentGroup(pool, x, y, observer)) repeats += 1;
    return groupOf(pool, x, y, observer);
  });
  return { groups, left, repeats };
}

export function isRecentGroup(pool: Pool, x: number, y: number, observer: number): boolean {
  if (isRecent(pool, relationOf(pool, x, y))) return true;
  if (observer < 0) return false;
  return isRecent(pool, relationOf(pool, observer, x)) || isRecent(pool, relationOf(pool, observer, y));
}

/** Roles and score of a pair, or of a trio when `observer` >= 0. */
export function groupOf(pool: Pool, x: number, y: number, observer: number): Group {
  const tie = (tieHash(pool.seed, pool.members[x]!.id, pool.members[y]!.id) & 1) === 1;
  const xInterviews = firstInterviews(pool.rank[x]!, pool.want[x]!, pool.rank[y]!, pool.want[y]!, tie);
  const [interviewer, candidate] = xInterviews ? [x, y] : [y, x];
  const watching =
    observer >= 0 ? ([score(pool, observer, x), score(pool, observer, y)] as const) : undefined;
  const group: Group = {
    interviewer: pool.members[interviewer]!.id,
    candidate: pool.members[candidate]!.id,
    score: groupScore(score(pool, x, y), watching),
  };
  if (observer >= 0) group.observer = pool.members[observer]!.id;
  return group;
}

/** Ranks `extra` observing a pair: fewer repeats first, then the higher added score; undefined if avoided. */
export function observeValue(pool: Pool, draft: Draft, extra: number): number | undefined {
  if (draft.observer !== -1) return undefined;
  const withX = relationOf(pool, extra, draft.x);
  const withY = relationOf(pool, extra, draft.y);
  if (withX === AVOID || withY === AVOID) return undefined;
  return (
    searchValue(scoreWith(pool, extra, draft.x, withX), isRecent(pool, withX)) +
    searchValue(scoreWith(pool, extra, draft.y, withY), isRecent(pool, withY))
  );
}

/**
 * With an odd pool, hands the observer role to whoever makes the better round once the trio is counted
 * too: the matching alone cannot see which pair the observer will join, nor the repeats that brings.
 */
export function chooseObserver(pool: Pool, graph: Graph, mate: Int32Array): void {
  const n = pool.size;
  for (let moves = 0; moves < n; moves += 1) {
    const observer = mate[n]!;
    if (observer < 0) return;
    const drafts: Draft[] = [];
    for (let at = 0; at < n; at += 1) {
      if (mate[at]! > at && mate[at]! < n) drafts.push({ x: at, y: mate[at]!, observer: -1 });
    }
    const current = bestObserveValue(pool, drafts, observer) + pool.observing[observer]!;
    // Large pools nearly always have a repeat-free trio; searching them all is only worth it when not.
    if (n > FULL_LIMIT && current > -SCORE.repeatCost / 2) return;
    // Who may take the observer's seat in a pair: anyone in a small pool, the observer's candidates in a large one.
    const near = new Set(n > FULL_LIMIT ? graph.adj[observer] : []);
    let best = { gain: 0, member: -1, partner: -1 };
    for (const draft of drafts) {
      if (n > FULL_LIMIT && !near.has(draft.x) && !near.has(draft.y)) continue;
      for (const [member, partner] of [
        [draft.x, draft.y],
        [draft.y, draft.x],
      ] as const) {
        const pair = value(pool, observer, partner);
        if (Number.isNaN(pair)) continue;
        const replaced = { x: observer, y: partner, observer: -1 };
        const observing = bestObserveValue(pool, drafts, member, draft, replaced) + pool.observing[member]!;
        const gain = pair - value(pool, member, partner) + observing - current;
        if (gain > best.gain) best = { gain, member, partner };
      }
    }
    if (best.member === -1) return;
    mate[observer] = best.partner;
    mate[best.partner] = observer;
    mate[best.member] = n;
    mate[n] = best.member;
  }
}

/** The best `observeValue` of `extra` over the drafts, with `skip` swapped for `instead`. */
function bestObserveValue(pool: Pool, drafts: Draft[], extra: number, skip?: Draft, instead?: Draft): number {
  let best = -SCORE.unmatchedCost;
  for (const draft of drafts) {
    const gain = observeValue(pool, draft === skip && instead ? instead : draft, extra);
    if (gain !== undefined && gain > best) best = gain;
  }
  return best;
}

function bestTrio(pool: Pool, drafts: Draft[], extra: number, except?: Draft): Draft | undefined {
  let best: Draft | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const draft of drafts) {
    if (draft === except) continue;
    const gain = observeValue(pool, draft, extra);
    if (gain !== undefined && gain > bestValue) {
      best = draft;
      bestValue = gain;
    }
  }
  return best;
}

function joinTrio(pool: Pool, drafts: Draft[], extra: number): boolean {
  const draft = bestTrio(pool, drafts, extra);
  if (draft) draft.observer = extra;
  return draft !== undefined;
}

/** When `extra` cannot observe any pair, it may take a pair member's place if that member can observe. */
function swapIntoTrio(pool: Pool, drafts: Draft[], extra: number): boolean {
  let best: { draft: Draft; stays: number; moves: number; into: Draft; gain: number } | undefined;
  for (const draft of drafts) {
    if (draft.observer !== -1) continue;
    for (const [stays, moves] of [
      [draft.x, draft.y],
      [draft.y, draft.x],
    ] as const) {
      const pair = value(pool, extra, stays);
      if (Number.isNaN(pair)) continue;
      const into = bestTrio(pool, drafts, moves, draft);
      if (!into) continue;
      const gain = pair + observeValue(pool, into, moves)! - value(pool, draft.x, draft.y);
      if (!best || gain > best.gain) best = { draft, stays, moves, into, gain };
    }
  }
  if (!best) return false;
  best.draft.x = Math.min(extra, best.stays);
  best.draft.y = Math.max(extra, best.stays);
  best.into.observer = best.moves;
  return true;
}
