import { augment, FULL_LIMIT, type Graph } from './graph.ts';
import { AVOID, isRecent, type Pool, preparePool, relationOf, value } from './pool.ts';
import {
  allowedIn,
  assemble,
  groupOf,
  improve,
  isRecentGroup,
  objective,
  observeValue,
  type Round,
  solve,
} from './solve.ts';
import type { Group, MatchInput } from './types.ts';

const TRIO_SEARCH_ALL = 60; // members: up to this many, every fresh trio is a candidate
const TRIO_NEIGHBOURS = 10; // above that, trios among each member's best fresh partners
const TRIO_CHECKS = 2_000; // trios checked at most for a repeat-free rest...
const TRIO_CHECKS_MIN = 20; // ...at least...
const TRIO_CHECK_WORK = 4_000_000; // ...and about this many pair visits in all (members squared per check)

/** `solve`, then `repairRepeats`: mate[i] is i's partner, the stand-in `size` for the observer, or -1. */
export function matchPool(pool: Pool): { mate: Int32Array; graph: Graph } {
  const { mate, graph } = solve(pool);
  return { mate: repairRepeats(pool, graph, mate), graph };
}

/**
 * The most pairs without a repeat (augmenting paths), then everyone else, then 2-opt again; the repaired
 * matching replaces the first only when it is worth more.
 */
function repairRepeats(pool: Pool, graph: Graph, mate: Int32Array): Int32Array {
  if (countRepeatPairs(pool, mate) === 0) return mate;
  const n = pool.size;
  const standIn = n % 2 === 1 ? n : -1;
  const repaired = mate.slice();
  for (let at = 0; at < n; at += 1) {
    const partner = repaired[at]!;
    if (partner > at && partner < n && isRecent(pool, relationOf(pool, at, partner))) {
      repaired[at] = -1;
      repaired[partner] = -1;
    }
  }
  augment(graph, repaired, (x, y) => {
    if (x === standIn || y === standIn) return true;
    const relation = relationOf(pool, x, y);
    return relation !== AVOID && !isRecent(pool, relation);
  });
  augment(graph, repaired, allowedIn(pool));
  improve(pool, graph, repaired);
  return objective(pool, repaired) > objective(pool, mate) ? repaired : mate;
}

function countRepeatPairs(pool: Pool, mate: Int32Array): number {
  let repeats = 0;
  for (let at = 0; at < pool.size; at += 1) {
    const partner = mate[at]!;
    if (partner > at && partner < pool.size && isRecent(pool, relationOf(pool, at, partner))) repeats += 1;
  }
  return repeats;
}

/**
 * An odd pool's round with a repeat may have a repeat-free one around a different trio: keeps `round`
 * unless `matchAroundFreshTrio` finds a better one.
 */
export function repairOddRound(
  pool: Pool,
  graph: Graph,
  mate: Int32Array,
  input: MatchInput,
  round: Round,
): Round {
  if (pool.size % 2 === 0 || round.repeats === 0) return round;
  const trioFirst = matchAroundFreshTrio(pool, graph, mate, input);
  return trioFirst && isBetterRound(trioFirst, round) ? trioFirst : round;
}

/** Fewer members left out first, then fewer repeats, then the higher total score. */
function isBetterRound(a: Round, b: Round): boolean {
  if (a.left.length !== b.left.length) return a.left.length < b.left.length;
  if (a.repeats !== b.repeats) return a.repeats < b.repeats;
  const total = (round: Round) => round.groups.reduce((sum, group) => sum + group.score, 0);
  return total(a) > total(b);
}

/**
 * For an odd pool whose round has a repeat: the best-scoring trio of members who have not met within the
 * window such that everyone else can still be paired without a repeat (checked exactly, with augmenting
 * paths), then the rest matched around it. Undefined when no such trio is found.
 */
function matchAroundFreshTrio(
  pool: Pool,
  graph: Graph,
  mate: Int32Array,
  input: MatchInput,
): Round | undefined {
  const n = pool.size;
  const fresh = (x: number, y: number) => {
    const relation = relationOf(pool, x, y);
    return relation !== AVOID && !isRecent(pool, relation);
  };
  // Every fresh triangle in small pools; around each member's best fresh partners in larger ones, and
  // in large pools only around the observer and the members of groups that repeat.
  const hubs = new Set<number>();
  if (n > FULL_LIMIT) {
    if (mate[n]! >= 0) hubs.add(mate[n]!);
    for (let at = 0; at < n; at += 1) {
      const partner = mate[at]!;
      if (partner > at && partner < n && !fresh(at, partner)) {
        hubs.add(at);
        hubs.add(partner);
      }
    }
    for (const hub of [...hubs]) for (const y of graph.adj[hub]!) if (y < n) hubs.add(y);
  }
  const trios: Array<{ members: [number, number, number]; value: number }> = [];
  for (let o = 0; o < n; o += 1) {
    if (n > FULL_LIMIT && !hubs.has(o)) continue;
    const near = graph.adj[o]!.map((y, k) => ({ y, value: graph.adjValue[o]![k]! }))
      .filter(({ y }) => y < n && fresh(o, y))
      .sort((p, q) => q.value - p.value || p.y - q.y)
      .slice(0, n <= TRIO_SEARCH_ALL ? n : TRIO_NEIGHBOURS)
      .map(({ y }) => y);
    for (let i = 0; i < near.length; i += 1) {
      for (let j = i + 1; j < near.length; j += 1) {
        const [x, y] = [near[i]!, near[j]!];
        if ((n <= TRIO_SEARCH_ALL && (x < o || y < o)) || !fresh(x, y)) continue;
        const members: [number, number, number] = [o, x, y];
        trios.push({ members, value: trioValue(pool, members).value });
      }
    }
  }
  trios.sort((p, q) => q.value - p.value);
  const blocked = new Uint8Array(mate.length);
  // Each check may walk the whole graph; the budget keeps a pool with no repeat-free round quick.
  const checks = Math.max(TRIO_CHECKS_MIN, Math.min(TRIO_CHECKS, Math.floor(TRIO_CHECK_WORK / (n * n))));
  for (const trio of trios.slice(0, checks)) {
    const trial = mate.slice();
    blocked.fill(0);
    for (const v of [...trio.members, ...(mate.length > n ? [n] : [])]) {
      blocked[v] = 1;
      if (trial[v]! >= 0) trial[trial[v]!] = -1;
      trial[v] = -1;
    }
    for (let at = 0; at < n; at += 1) {
      if (trial[at]! > at && !fresh(at, trial[at]!)) {
        trial[trial[at]!] = -1;
        trial[at] = -1;
      }
    }
    augment(graph, trial, (x, y) => blocked[x] === 0 && blocked[y] === 0 && fresh(x, y));
    if (trial.some((partner, at) => partner === -1 && blocked[at] === 0)) continue;
    const rest = pool.members.filter((_, at) => !trio.members.includes(at));
    const sub = preparePool(rest, input, pool.window);
    const round = assemble(sub, matchPool(sub).mate);
    const { observer, x, y } = trioValue(pool, trio.members);
    round.groups.push(groupOf(pool, x, y, observer));
    round.groups.sort((a, b) => Math.min(...idsIn(a)) - Math.min(...idsIn(b)));
    round.repeats += isRecentGroup(pool, x, y, observer) ? 1 : 0;
    return round;
  }
  return undefined;
}

const idsIn = (group: Group) => [group.interviewer, group.candidate, group.observer ?? group.interviewer];

/** The best way to seat a trio: which one observes, and what that is worth. */
function trioValue(pool: Pool, [a, b, c]: [number, number, number]) {
  let best = { observer: a, x: b, y: c, value: Number.NEGATIVE_INFINITY };
  for (const [observer, x, y] of [
    [a, b, c],
    [b, a, c],
    [c, a, b],
  ] as const) {
    const pair = value(pool, x, y);
    const watching = observeValue(pool, { x, y, observer: -1 }, observer);
    if (Number.isNaN(pair) || watching === undefined) continue;
    const total = pair + watching + pool.observing[observer]!;
    if (total > best.value) best = { observer, x, y, value: total };
  }
  return best;
}
