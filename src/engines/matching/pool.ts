import {
  combineScore,
  observerPoints,
  offsetIn,
  overlapMinutes,
  pairKey,
  ROLE_BREAKS,
  rankOf,
  recencyWindow,
  searchValue,
  wantOf,
} from './score.ts';
import type { MatchInput, MatchMember } from './types.ts';

/** The pool: members by index (sorted by id), with what scoring needs in typed arrays. */
export type Pool = {
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

export const AVOID = Number.NEGATIVE_INFINITY; // relation value of an avoided pair
const MAX_TOPIC_SETS = 256; // distinct topic sets up to which shared topics come from a table

/** Members who avoid, or are avoided by, every other member: no group can take them. */
export function avoidedByEveryone(members: MatchMember[], avoid: Array<[number, number]>): Set<number> {
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

/** Indexes members (sorted by id) into typed arrays, and history and avoid lists into relations. */
export function preparePool(
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
    observing[at] = observerPoints(member.lastRole, member.observed);
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
export function scoreWith(pool: Pool, x: number, y: number, relation: number | undefined): number {
  const rankX = pool.rank[x]!;
  const rankY = pool.rank[y]!;
  return combineScore(
    rankX > rankY ? rankX - rankY : rankY - rankX,
    overlapMinutes(pool.offset[x]!, pool.offset[y]!),
    sharedTopics(pool, x, y),
    ROLE_BREAKS[(rankX * 3 + pool.want[x]!) * 12 + rankY * 3 + pool.want[y]!]!,
    relation === undefined ? undefined : pool.round - relation,
    pool.window,
  );
}

/** Topics both members list: from the table when there are few topic sets, else from the bit masks. */
export function sharedTopics(pool: Pool, x: number, y: number): number {
  if (pool.shared) return pool.shared[pool.maskId[x]! * pool.maskCount + pool.maskId[y]!]!;
  let shared = 0;
  for (let word = 0; word < pool.words; word += 1) {
    shared += popcount(pool.masks[x * pool.words + word]! & pool.masks[y * pool.words + word]!);
  }
  return shared;
}

/** Makes `stampedValue(pool, x, y)` valid for this x until the next stamp. */
export function stampRelations(pool: Pool, x: number): void {
  for (let r = pool.relStart[x]!; r < pool.relStart[x + 1]!; r += 1) {
    pool.relOwner[pool.relOther[r]!] = x;
    pool.relSeen[pool.relOther[r]!] = pool.relValue[r]!;
  }
}

/** `value` for a member x whose relations were just stamped. */
export function stampedValue(pool: Pool, x: number, y: number): number {
  if (y === pool.size) return pool.observing[x]!;
  const relation = pool.relOwner[y] === x ? pool.relSeen[y] : undefined;
  if (relation === AVOID) return Number.NaN;
  return searchValue(scoreWith(pool, x, y, relation), isRecent(pool, relation));
}

export function relationOf(pool: Pool, x: number, y: number): number | undefined {
  return pool.relations.get(x < y ? x * pool.size + y : y * pool.size + x);
}

export const isRecent = (pool: Pool, relation: number | undefined) =>
  relation !== undefined && relation !== AVOID && pool.round - relation <= pool.window;

/** Score of two members, NaN when they avoid each other. */
export function score(pool: Pool, x: number, y: number): number {
  const relation = relationOf(pool, x, y);
  return relation === AVOID ? Number.NaN : scoreWith(pool, x, y, relation);
}

/** What the search maximises for a pair (`searchValue`), or the observer's stand-in; NaN when forbidden. */
export function value(pool: Pool, x: number, y: number): number {
  if (x === pool.size) return pool.observing[y]!;
  if (y === pool.size) return pool.observing[x]!;
  const relation = relationOf(pool, x, y);
  if (relation === AVOID) return Number.NaN;
  return searchValue(scoreWith(pool, x, y, relation), isRecent(pool, relation));
}

function popcount(bits: number): number {
  const a = bits - ((bits >>> 1) & 0x55555555);
  const b = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
  return Math.imul((b + (b >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
