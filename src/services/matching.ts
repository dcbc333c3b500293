import { DateTime } from 'luxon';

export const LEVELS = ['junior', 'mid', 'senior', 'staff'] as const;
export type Level = (typeof LEVELS)[number];
export type Role = 'interviewer' | 'candidate' | 'observer';
export type MatchMember = {
  id: number;
  level: Level;
  topics: string[]; // tags like recsys, ranking, vision
  timeZone: string; // IANA
  lastRole?: Role; // role in their most recent mock, for alternation
  observed?: number; // times they were the observer in recent rounds, so the duty is shared out
};
/** `round` is the index of that past round (higher = more recent); observers count as having met too. */
export type PastPairing = { a: number; b: number; round: number };
export type MatchInput = {
  members: MatchMember[];
  history: PastPairing[];
  avoid: Array<[number, number]>; // either direction: never in one group
  round: number; // index of the round being matched (> every history round)
  at: Date; // when the round happens, for time-zone offsets
  seed?: number; // tie-breaking; same input + seed => same output
};
export type Group = { interviewer: number; candidate: number; observer?: number; score: number };
export type Unmatched = { id: number; reason: 'avoided-by-everyone' | 'only-member' };
export type MatchResult = { groups: Group[]; unmatched: Unmatched[]; window: number; repeats: number };

/** What `pairScore` needs besides the two members; build it with `createScoreContext`. */
export type ScoreContext = {
  round: number;
  window: number; // rounds
  lastMet: ReadonlyMap<string, number>; // pairKey -> most recent round the two met
  avoid: ReadonlySet<string>; // pairKeys never to group
  at: Date;
  offsets: Map<string, number>; // cache: IANA zone -> UTC offset at `at`, minutes
};

/** Points of a pairing. Every allowed pair scores at least `floor`, so a bigger total is a better round. */
export const SCORE = {
  base: 100,
  perHalfHourOverlap: 1, // per 30 min of shared 09:00-18:00 working time: up to 18
  noOverlap: -30, // not one shared working minute: allowed, as a last resort
  levelGap: [10, 5, -15, -30], // by distance between LEVELS
  perSharedTopic: 4,
  maxSharedTopics: 3,
  roleBreak: -3, // per member who cannot take the opposite of their last role
  metInWindow: -50, // met within the recency window...
  metInWindowRecent: -20, // ...and up to this much more, the more recent it was
  metBefore: -25, // met before the window: scaled by window / rounds since
  floor: 1,
} as const;

const LEVEL_RANK: Record<Level, number> = { junior: 0, mid: 1, senior: 2, staff: 3 };
// Levels arrive from a text column; an unknown one counts as mid rather than poisoning every score.
const rankOf = (level: Level): number => LEVEL_RANK[level] ?? LEVEL_RANK.mid;
const WORKDAY = 9 * 60; // minutes: 09:00-18:00 local
const DAY = 24 * 60; // minutes
const MAX_WINDOW = 12; // rounds
const REPEAT_COST = 1_000; // a repeat outweighs any score difference (pair scores stay under 200)
const VALUE_SPAN = 2_048; // edge values + REPEAT_COST fall in [0, VALUE_SPAN)
const UNMATCHED_COST = 1e9; // leaving someone out outweighs any number of repeats
const FULL_LIMIT = 400; // members: up to this many, every allowed pair is a candidate
const CANDIDATES = 24; // best partners kept per member above FULL_LIMIT
const SCAN_BUDGET = 1_000; // partners scored per member at most while finding those
const STRAGGLERS = 64; // members left out by sparse candidates who then get every allowed partner
const TRIO_SEARCH_ALL = 60; // members: up to this many, every fresh trio is a candidate
const TRIO_NEIGHBOURS = 10; // above that, trios among each member's best fresh partners
const TRIO_CHECKS = 2_000; // trios checked at most for a repeat-free rest...
const TRIO_CHECKS_MIN = 20; // ...at least...
const TRIO_CHECK_WORK = 4_000_000; // ...and about this many pair visits in all (members squared per check)
const MAX_TOPIC_SETS = 256; // distinct topic sets up to which shared topics come from a table
const OBSERVED_AGAIN = -20; // stand-in score for observing two rounds in a row
const OBSERVED_EACH = -6; // and for each recent round spent observing (counted up to 5)
const AVOID = Number.NEGATIVE_INFINITY; // relation value of an avoided pair
const WANTS_NOTHING = 0;
const WANTS_INTERVIEW = 1;
const WANTS_CANDIDATE = 2;

/**
 * Rounds within which a repeat partner is avoided. With n members a round uses n/2 pairs (a trio adds two
 * more meetings), so repeat-free rounds can last only until all n(n-1)/2 pairs are used: n-2 rounds when
 * n is even, fewer when odd. Capped at 12, at least 1, so a small group is never starved of partners.
 */
export function recencyWindow(poolSize: number): number {
  const n = Math.floor(poolSize);
  if (n < 4) return 1;
  const meetingsPerRound = n % 2 === 0 ? n / 2 : (n + 3) / 2;
  const fits = Math.floor((n * (n - 1)) / 2 / meetingsPerRound) - 1;
  return Math.min(MAX_WINDOW, Math.max(1, fits));
}

export const pairKey = (a: number, b: number): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Context for `pairScore` from a match input; `window` defaults to the one for all its members. */
export function createScoreContext(input: MatchInput, window?: number): ScoreContext {
  const lastMet = new Map<string, number>();
  for (const { a, b, round } of input.history) {
    if (a === b) continue;
    const key = pairKey(a, b);
    lastMet.set(key, Math.max(round, lastMet.get(key) ?? round));
  }
  return {
    round: input.round,
    window: window ?? recencyWindow(new Set(input.members.map((member) => member.id)).size),
    lastMet,
    avoid: new Set(input.avoid.map(([a, b]) => pairKey(a, b))),
    at: input.at,
    offsets: new Map(),
  };
}

/** Score of grouping a and b this round, higher is better; undefined when they must never be grouped. */
export function pairScore(a: MatchMember, b: MatchMember, ctx: ScoreContext): number | undefined {
  if (a.id === b.id) return undefined;
  const key = pairKey(a.id, b.id);
  if (ctx.avoid.has(key)) return undefined;
  const topics = new Set(a.topics);
  const shared = new Set(b.topics.filter((topic) => topics.has(topic))).size;
  const last = ctx.lastMet.get(key);
  const rankA = rankOf(a.level);
  const rankB = rankOf(b.level);
  return combineScore(
    Math.abs(rankA - rankB),
    overlapMinutes(offsetIn(a.timeZone, ctx.at, ctx.offsets), offsetIn(b.timeZone, ctx.at, ctx.offsets)),
    shared,
    roleBreaks(rankA, wantOf(a.lastRole), rankB, wantOf(b.lastRole)),
    last === undefined ? undefined : ctx.round - last,
    ctx.window,
  );
}

/**
 * Groups members for one round of mock interviews: pairs maximising the summed `pairScore`, no repeat
 * within the recency window when a repeat-free round exists, never an avoided pair, one trio with an
 * observer when the count is odd, and everyone who cannot be placed listed with the reason.
 */
export function matchMembers(input: MatchInput): MatchResult {
  const members = [...new Map(input.members.map((member) => [member.id, member])).values()].sort(
    (a, b) => a.id - b.id,
  );
  if (members.length <= 1) {
    return {
      groups: [],
      unmatched: members.map((member) => ({ id: member.id, reason: 'only-member' })),
      window: recencyWindow(members.length),
      repeats: 0,
    };
  }
  const shunned = avoidedByEveryone(members, input.avoid);
  const unmatched: Unmatched[] = members
    .filter((member) => shunned.has(member.id))
    .map((member) => ({ id: member.id, reason: 'avoided-by-everyone' }));
  const pool = preparePool(
    members.filter((member) => !shunned.has(member.id)),
    input,
  );
  if (pool.size < 2) {
    for (const member of pool.members) unmatched.push({ id: member.id, reason: 'avoided-by-everyone' });
    return { groups: [], unmatched, window: pool.window, repeats: 0 };
  }
  const { mate, graph } = solve(pool);
  if (pool.size % 2 === 1) chooseObserver(pool, graph, mate);
  let round = assemble(pool, mate);
  if (pool.size % 2 === 1 && round.repeats > 0) {
    const trioFirst = matchAroundFreshTrio(pool, graph, mate, input);
    if (trioFirst && isBetterRound(trioFirst, round)) round = trioFirst;
  }
  const { groups, left, repeats } = round;
  for (const index of left) unmatched.push({ id: pool.members[index]!.id, reason: 'avoided-by-everyone' });
  unmatched.sort((a, b) => a.id - b.id);
  return { groups, unmatched, window: pool.window, repeats };
}

// ---------------------------------------------------------------------------------------------------
// Scoring

function combineScore(
  levelGap: number,
  overlap: number,
  shared: number,
  brokenRoles: number,
  age: number | undefined,
  window: number,
): number {
  const time = overlap === 0 ? SCORE.noOverlap : Math.round(overlap / 30) * SCORE.perHalfHourOverlap;
  const total =
    SCORE.base +
    SCORE.levelGap[levelGap]! +
    time +
    Math.min(shared, SCORE.maxSharedTopics) * SCORE.perSharedTopic +
    brokenRoles * SCORE.roleBreak +
    historyPoints(age, window);
  return Math.max(SCORE.floor, total);
}

function historyPoints(age: number | undefined, window: number): number {
  if (age === undefined) return 0;
  const rounds = Math.max(1, age);
  if (rounds <= window) {
    return SCORE.metInWindow + Math.round((SCORE.metInWindowRecent * (window - rounds)) / window);
  }
  return Math.round((SCORE.metBefore * window) / rounds);
}

/** Shared minutes of 09:00-18:00 local; working days recur, so offsets a day apart overlap fully. */
function overlapMinutes(offsetA: number, offsetB: number): number {
  const apart = Math.abs(offsetA - offsetB) % DAY;
  return Math.max(0, WORKDAY - Math.min(apart, DAY - apart));
}

/** UTC offset in minutes of an IANA zone at an instant; an unknown zone counts as UTC. */
function offsetIn(zone: string, at: Date, cache: Map<string, number>): number {
  let offset = cache.get(zone);
  if (offset === undefined) {
    const local = DateTime.fromJSDate(at, { zone });
    offset = local.isValid ? local.offset : 0;
    cache.set(zone, offset);
  }
  return offset;
}

/** Observer-then-interviewer: after observing, a member interviews. */
function wantOf(lastRole: Role | undefined): number {
  if (lastRole === undefined) return WANTS_NOTHING;
  return lastRole === 'interviewer' ? WANTS_CANDIDATE : WANTS_INTERVIEW;
}

/** Whether A interviews B: the higher level always does; else each takes the opposite of their last role. */
function firstInterviews(rankA: number, wantA: number, rankB: number, wantB: number, tie: boolean): boolean {
  if (rankA !== rankB) return rankA > rankB;
  if (wantA === wantB) return tie;
  return wantA === WANTS_INTERVIEW || wantB === WANTS_CANDIDATE;
}

function roleBreaks(rankA: number, wantA: number, rankB: number, wantB: number): number {
  const aInterviews = firstInterviews(rankA, wantA, rankB, wantB, true);
  return broken(wantA, aInterviews) + broken(wantB, !aInterviews);
}

function broken(want: number, interviews: boolean): number {
  return (want === WANTS_INTERVIEW && !interviews) || (want === WANTS_CANDIDATE && interviews) ? 1 : 0;
}

/** roleBreaks by (rank * 3 + want) of each member: 12 x 12 entries. */
const ROLE_BREAKS = Uint8Array.from({ length: 144 }, (_, at) => {
  const a = Math.floor(at / 12);
  const b = at % 12;
  return roleBreaks(Math.floor(a / 3), a % 3, Math.floor(b / 3), b % 3);
});

/** A 32-bit hash of the seed and two ids, for tie-breaking that any seed reshuffles. */
function tieHash(seed: number, a: number, b: number): number {
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

function popcount(value: number): number {
  const a = value - ((value >>> 1) & 0x55555555);
  const b = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
  return Math.imul((b + (b >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

// ---------------------------------------------------------------------------------------------------
// The pool: members by index (sorted by id), with what scoring needs in typed arrays.

type Pool = {
  size: number; // members; when odd, index `size` is the stand-in partner of the round's observer
  members: MatchMember[];
  rank: Uint8Array;
  want: Uint8Array;
  offset: Int32Array; // minutes
  masks: Uint32Array; // `words` words of topic bits per member
  words: number;
  topicCount: Uint8Array;
  maskId: Int32Array; // each member's topic set, numbered
  maskCount: number;
  shared: Uint8Array | undefined; // shared topics between two topic sets, when there are few sets
  relations: Map<number, number>; // lo * size + hi -> last round met, or AVOID
  relStart: Int32Array; // the same relations per member, for fast scans
  relOther: Int32Array;
  relValue: Float64Array;
  relOwner: Int32Array; // scratch: relSeen[y] is the relation of relOwner[y] and y
  relSeen: Float64Array;
  observing: Int32Array; // score of being the observer, per member
  round: number;
  window: number;
  seed: number;
};

function avoidedByEveryone(members: MatchMember[], avoid: Array<[number, number]>): Set<number> {
  const present = new Set(members.map((member) => member.id));
  const pairs = new Set<string>();
  const count = new Map<number, number>();
  for (const [a, b] of avoid) {
    if (a === b || !present.has(a) || !present.has(b)) continue;
    const key = pairKey(a, b);
    if (pairs.has(key)) continue;
    pairs.add(key);
    count.set(a, (count.get(a) ?? 0) + 1);
    count.set(b, (count.get(b) ?? 0) + 1);
  }
  return new Set([...count].filter(([, avoided]) => avoided >= members.length - 1).map(([id]) => id));
}

function preparePool(
  members: MatchMember[],
  input: MatchInput,
  window = recencyWindow(members.length),
): Pool {
  const size = members.length;
  const index = new Map(members.map((member, at) => [member.id, at]));
  const topics = [...new Set(members.flatMap((member) => member.topics))].sort();
  const topicBit = new Map(topics.map((topic, at) => [topic, at]));
  const words = Math.max(1, Math.ceil(topics.length / 32));
  const masks = new Uint32Array(size * words);
  const topicCount = new Uint8Array(size);
  const rank = new Uint8Array(size);
  const want = new Uint8Array(size);
  const offset = new Int32Array(size);
  const observing = new Int32Array(size);
  const offsets = new Map<string, number>();
  members.forEach((member, at) => {
    rank[at] = rankOf(member.level);
    want[at] = wantOf(member.lastRole);
    offset[at] = offsetIn(member.timeZone, input.at, offsets);
    observing[at] =
      (member.lastRole === 'observer' ? OBSERVED_AGAIN : 0) +
      OBSERVED_EACH * Math.min(member.observed ?? 0, 5);
    for (const topic of new Set(member.topics)) {
      const bit = topicBit.get(topic)!;
      masks[at * words + (bit >>> 5)]! |= 1 << (bit & 31);
    }
    let count = 0;
    for (let word = 0; word < words; word += 1) count += popcount(masks[at * words + word]!);
    topicCount[at] = Math.min(255, count);
  });
  const setIds = new Map<string, number>();
  const maskId = new Int32Array(size);
  for (let at = 0; at < size; at += 1) {
    const key = masks.subarray(at * words, at * words + words).join(',');
    let id = setIds.get(key);
    if (id === undefined) {
      id = setIds.size;
      setIds.set(key, id);
    }
    maskId[at] = id;
  }
  const maskCount = setIds.size;
  let shared: Uint8Array | undefined;
  if (maskCount <= MAX_TOPIC_SETS) {
    const firstOf = new Int32Array(maskCount);
    for (let at = size - 1; at >= 0; at -= 1) firstOf[maskId[at]!] = at;
    shared = new Uint8Array(maskCount * maskCount);
    for (let a = 0; a < maskCount; a += 1) {
      for (let b = 0; b < maskCount; b += 1) {
        let common = 0;
        for (let word = 0; word < words; word += 1) {
          common += popcount(masks[firstOf[a]! * words + word]! & masks[firstOf[b]! * words + word]!);
        }
        shared[a * maskCount + b] = Math.min(255, common);
      }
    }
  }
  const relations = new Map<number, number>();
  const keyOf = (a: number, b: number) => {
    const x = index.get(a);
    const y = index.get(b);
    if (x === undefined || y === undefined || x === y) return undefined;
    return x < y ? x * size + y : y * size + x;
  };
  for (const { a, b, round } of input.history) {
    const key = keyOf(a, b);
    if (key === undefined) continue;
    const last = relations.get(key);
    if (last === undefined || round > last) relations.set(key, round);
  }
  for (const [a, b] of input.avoid) {
    const key = keyOf(a, b);
    if (key !== undefined) relations.set(key, AVOID);
  }
  const degree = new Int32Array(size + 1);
  for (const key of relations.keys()) {
    degree[Math.floor(key / size)]! += 1;
    degree[key % size]! += 1;
  }
  const relStart = new Int32Array(size + 1);
  for (let at = 0; at < size; at += 1) relStart[at + 1] = relStart[at]! + degree[at]!;
  const fill = relStart.slice(0, size);
  const relOther = new Int32Array(relStart[size]!);
  const relValue = new Float64Array(relStart[size]!);
  for (const [key, value] of relations) {
    const lo = Math.floor(key / size);
    const hi = key % size;
    relOther[fill[lo]!] = hi;
    relValue[fill[lo]!] = value;
    fill[lo]! += 1;
    relOther[fill[hi]!] = lo;
    relValue[fill[hi]!] = value;
    fill[hi]! += 1;
  }
  return {
    size,
    members,
    rank,
    want,
    offset,
    masks,
    words,
    topicCount,
    maskId,
    maskCount,
    shared,
    relations,
    relStart,
    relOther,
    relValue,
    relOwner: new Int32Array(size + 1).fill(-1),
    relSeen: new Float64Array(size + 1),
    observing,
    round: input.round,
    window,
    seed: input.seed ?? 0,
  };
}

/** Score of members x and y given their relation value (undefined = never met); not for avoided pairs. */
function scoreWith(pool: Pool, x: number, y: number, relation: number | undefined): number {
  let shared = 0;
  if (pool.shared) {
    shared = pool.shared[pool.maskId[x]! * pool.maskCount + pool.maskId[y]!]!;
  } else {
    for (let word = 0; word < pool.words; word += 1) {
      shared += popcount(pool.masks[x * pool.words + word]! & pool.masks[y * pool.words + word]!);
    }
  }
  const rankX = pool.rank[x]!;
  const rankY = pool.rank[y]!;
  return combineScore(
    rankX > rankY ? rankX - rankY : rankY - rankX,
    overlapMinutes(pool.offset[x]!, pool.offset[y]!),
    shared,
    ROLE_BREAKS[(rankX * 3 + pool.want[x]!) * 12 + rankY * 3 + pool.want[y]!]!,
    relation === undefined ? undefined : pool.round - relation,
    pool.window,
  );
}

function topicBonus(pool: Pool, x: number, y: number): number {
  let shared = 0;
  for (let word = 0; word < pool.words; word += 1) {
    shared += popcount(pool.masks[x * pool.words + word]! & pool.masks[y * pool.words + word]!);
  }
  return Math.min(shared, SCORE.maxSharedTopics) * SCORE.perSharedTopic;
}

/** Makes `stampedValue(pool, x, y)` valid for this x until the next stamp. */
function stampRelations(pool: Pool, x: number): void {
  for (let r = pool.relStart[x]!; r < pool.relStart[x + 1]!; r += 1) {
    pool.relOwner[pool.relOther[r]!] = x;
    pool.relSeen[pool.relOther[r]!] = pool.relValue[r]!;
  }
}

/** `value` for a member x whose relations were just stamped. */
function stampedValue(pool: Pool, x: number, y: number): number {
  if (y === pool.size) return pool.observing[x]!;
  const relation = pool.relOwner[y] === x ? pool.relSeen[y] : undefined;
  if (relation === AVOID) return Number.NaN;
  return scoreWith(pool, x, y, relation) - (isRecent(pool, relation) ? REPEAT_COST : 0);
}

function relationOf(pool: Pool, x: number, y: number): number | undefined {
  return pool.relations.get(x < y ? x * pool.size + y : y * pool.size + x);
}

const isRecent = (pool: Pool, relation: number | undefined) =>
  relation !== undefined && relation !== AVOID && pool.round - relation <= pool.window;

/** Score of two members, NaN when they avoid each other. */
function score(pool: Pool, x: number, y: number): number {
  const relation = relationOf(pool, x, y);
  return relation === AVOID ? Number.NaN : scoreWith(pool, x, y, relation);
}

/** What the search maximises for a pair: the score, less REPEAT_COST for a repeat; NaN when forbidden. */
function value(pool: Pool, x: number, y: number): number {
  if (x === pool.size) return pool.observing[y]!;
  if (y === pool.size) return pool.observing[x]!;
  const relation = relationOf(pool, x, y);
  if (relation === AVOID) return Number.NaN;
  return scoreWith(pool, x, y, relation) - (isRecent(pool, relation) ? REPEAT_COST : 0);
}

// ---------------------------------------------------------------------------------------------------
// The search: candidate edges, greedy, augmenting paths, 2-opt, and a repair pass for repeats.

type Graph = { adj: number[][]; adjValue: number[][] };
type Edges = { from: Int32Array; to: Int32Array; value: Float64Array; length: number };

/** Matches the pool; mate[i] is i's partner, the stand-in `size` for the observer, or -1. */
function solve(pool: Pool): { mate: Int32Array; graph: Graph } {
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
  const allowed = (x: number, y: number) =>
    x === standIn || y === standIn || relationOf(pool, x, y) !== AVOID;
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
  if (countRepeatPairs(pool, mate) === 0) return { mate, graph };
  // Repair: the most pairs without a repeat (augmenting paths), then everyone else, then 2-opt again.
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
  augment(graph, repaired, allowed);
  improve(pool, graph, repaired);
  return { mate: objective(pool, repaired) > objective(pool, mate) ? repaired : mate, graph };
}

/** Candidate partners, as edges added to the graph: all allowed pairs for a small subset, else the best few. */
function addCandidates(pool: Pool, graph: Graph, subset: Int32Array): Edges {
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

function link(graph: Graph, x: number, y: number, pair: number): void {
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
      const overlap = overlapMinutes(bucketOffset[a]!, bucketOffset[b]!);
      bounds[a * count + b] =
        SCORE.base +
        SCORE.levelGap[Math.abs(bucketRank[a]! - bucketRank[b]!)]! +
        (overlap === 0 ? SCORE.noOverlap : Math.round(overlap / 30) * SCORE.perHalfHourOverlap);
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
      const bonus = (b: number) =>
        Math.min(table[a * slots + b]!, SCORE.maxSharedTopics) * SCORE.perSharedTopic;
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
  const { relOwner, relSeen, rank, want, round, window } = pool;
  for (let i = 0; i < subset.length; i += 1) {
    const x = subset[i]!;
    stampRelations(pool, x);
    let kept = 0;
    let scored = 0;
    let worst = Number.NEGATIVE_INFINITY; // the worst kept candidate's value once CANDIDATES are kept
    const topicMax = Math.min(pool.topicCount[x]!, SCORE.maxSharedTopics) * SCORE.perSharedTopic;
    const roleRow = (rank[x]! * 3 + want[x]!) * 12;
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
          // The same sum as scoreWith, with the level, time and topic terms known per bucket and set.
          let pair =
            base +
            (bonuses ? bonus : topicBonus(pool, x, y)) +
            ROLE_BREAKS[roleRow + rank[y]! * 3 + want[y]!]! * SCORE.roleBreak;
          if (relOwner[y] === x) {
            const relation = relSeen[y]!;
            if (relation === AVOID) continue;
            pair = Math.max(SCORE.floor, pair + historyPoints(round - relation, window));
            if (round - relation <= window) pair -= REPEAT_COST;
          } else if (pair < SCORE.floor) {
            pair = SCORE.floor;
          }
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

/** Takes edges best first (ties by seeded hash, then by order of discovery) while both ends are free. */
function greedy(pool: Pool, mate: Int32Array, edges: Edges): void {
  const count = edges.length;
  // Two stable counting-sort passes (hash, then value): linear; sorting ~200k edges by comparison
  // took longer than the rest of the greedy pass.
  const rank = new Uint16Array(count);
  const tie = new Uint16Array(count);
  for (let e = 0; e < count; e += 1) {
    rank[e] = VALUE_SPAN - 1 - Math.min(VALUE_SPAN - 1, Math.max(0, edges.value[e]! + REPEAT_COST));
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
 * Grows the matching to the most pairs the graph's `ok` edges allow (Edmonds' blossom algorithm, one
 * breadth-first search per free vertex; state is reset only where a search touched it).
 */
function augment(graph: Graph, mate: Int32Array, ok: (x: number, y: number) => boolean): void {
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

/**
 * 2-opt: for a member a paired with b and a candidate c paired with d, re-pair as (a, c) and (b, d) when
 * that gains. Free members count -UNMATCHED_COST, so moves never leave more people out.
 */
function improve(pool: Pool, graph: Graph, mate: Int32Array): void {
  const n = pool.size;
  const current = new Float64Array(mate.length);
  for (let at = 0; at < mate.length; at += 1) {
    current[at] = mate[at] === -1 ? -UNMATCHED_COST : value(pool, at, mate[at]!);
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
        gain = ac + 2 * UNMATCHED_COST;
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
        current[b] = -UNMATCHED_COST;
      }
      if (d >= 0) {
        mate[d] = -1;
        current[d] = -UNMATCHED_COST;
      }
    }
    push(a);
    push(b);
    push(c);
    push(d);
  }
}

function objective(pool: Pool, mate: Int32Array): number {
  let sum = 0;
  for (let at = 0; at < mate.length; at += 1) {
    const partner = mate[at]!;
    if (partner === -1) sum -= UNMATCHED_COST;
    else if (partner > at) sum += value(pool, at, partner);
  }
  return sum;
}

function countRepeatPairs(pool: Pool, mate: Int32Array): number {
  let repeats = 0;
  for (let at = 0; at < pool.size; at += 1) {
    const partner = mate[at]!;
    if (partner > at && partner < pool.size && isRecent(pool, relationOf(pool, at, partner))) repeats += 1;
  }
  return repeats;
}

// ---------------------------------------------------------------------------------------------------
// From a matching to groups: roles, the observer's trio, and who is left.

type Draft = { x: number; y: number; observer: number };
type Round = { groups: Group[]; left: number[]; repeats: number };

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
    const round = assemble(sub, solve(sub).mate);
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

function assemble(pool: Pool, mate: Int32Array): Round {
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

function isRecentGroup(pool: Pool, x: number, y: number, observer: number): boolean {
  if (isRecent(pool, relationOf(pool, x, y))) return true;
  if (observer < 0) return false;
  return isRecent(pool, relationOf(pool, observer, x)) || isRecent(pool, relationOf(pool, observer, y));
}

/** Roles and score of a pair, or of a trio when `observer` >= 0. */
function groupOf(pool: Pool, x: number, y: number, observer: number): Group {
  const tie = (tieHash(pool.seed, pool.members[x]!.id, pool.members[y]!.id) & 1) === 1;
  const xInterviews = firstInterviews(pool.rank[x]!, pool.want[x]!, pool.rank[y]!, pool.want[y]!, tie);
  const [interviewer, candidate] = xInterviews ? [x, y] : [y, x];
  let points = score(pool, x, y);
  if (observer >= 0) points += Math.round((score(pool, observer, x) + score(pool, observer, y)) / 2);
  const group: Group = {
    interviewer: pool.members[interviewer]!.id,
    candidate: pool.members[candidate]!.id,
    score: points,
  };
  if (observer >= 0) group.observer = pool.members[observer]!.id;
  return group;
}

/** Ranks `extra` observing a pair: fewer repeats first, then the higher added score; undefined if avoided. */
function observeValue(pool: Pool, draft: Draft, extra: number): number | undefined {
  if (draft.observer !== -1) return undefined;
  const withX = relationOf(pool, extra, draft.x);
  const withY = relationOf(pool, extra, draft.y);
  if (withX === AVOID || withY === AVOID) return undefined;
  const repeats = (isRecent(pool, withX) ? 1 : 0) + (isRecent(pool, withY) ? 1 : 0);
  return (
    scoreWith(pool, extra, draft.x, withX) + scoreWith(pool, extra, draft.y, withY) - repeats * REPEAT_COST
  );
}

/**
 * With an odd pool, hands the observer role to whoever makes the better round once the trio is counted
 * too: the matching alone cannot see which pair the observer will join, nor the repeats that brings.
 */
function chooseObserver(pool: Pool, graph: Graph, mate: Int32Array): void {
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
    if (n > FULL_LIMIT && current > -REPEAT_COST / 2) return;
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
  let best = -UNMATCHED_COST;
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
