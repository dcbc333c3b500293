import { DateTime } from 'luxon';
import type { Level, MatchInput, MatchMember, Role, ScoreContext } from './types.ts';

/**
 * Every weight of the matcher. The pair score is `combineScore` (base + level + time + topics + roles +
 * history, at least `floor`), so a bigger total is a better round; the observer and search entries only
 * rank rounds and never appear in a group's score.
 */
export const SCORE = {
  base: 100, // points: what every allowed pair starts from
  perHalfHourOverlap: 1, // points per 30 min of shared 09:00-18:00 working time: up to 18
  noOverlap: -30, // points when not one working minute is shared: allowed, as a last resort
  levelGap: [10, 5, -15, -30], // points by distance between LEVELS (0, 1, 2, 3 apart)
  perSharedTopic: 4, // points per topic both list...
  maxSharedTopics: 3, // ...counting at most this many topics
  roleBreak: -3, // points per member who cannot take the opposite of their last role
  metInWindow: -50, // points when the two met within the recency window...
  metInWindowRecent: -20, // ...and up to this much more, the more recent it was
  metBefore: -25, // points when they met before the window: scaled by window / rounds since
  floor: 1, // points: the least an allowed pair scores
  observedAgain: -20, // observer seat (search only): observing two rounds in a row
  observedEach: -6, // observer seat (search only): per recent round spent observing...
  observedCounted: 5, // ...counting at most this many rounds
  repeatCost: 1_000, // search only: a repeat outweighs any score difference (pair scores stay under 200)
  unmatchedCost: 1e9, // search only: leaving someone out outweighs any number of repeats
} as const;

const LEVEL_RANK: Record<Level, number> = { junior: 0, mid: 1, senior: 2, staff: 3 };
// Levels arrive from a text column; an unknown one counts as mid rather than poisoning every score.
export const rankOf = (level: Level): number => LEVEL_RANK[level] ?? LEVEL_RANK.mid;
const WORKDAY = 9 * 60; // minutes: 09:00-18:00 local
const DAY = 24 * 60; // minutes
const MAX_WINDOW = 12; // rounds
export const WANTS_NOTHING = 0;
export const WANTS_INTERVIEW = 1;
export const WANTS_CANDIDATE = 2;

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
 * The one pair-score formula: `pairScore`, the search's pool scores, the candidate search and group scores
 * all come through here. `age` is rounds since the two last met, undefined if never.
 */
export function combineScore(
  levelGap: number,
  overlap: number,
  shared: number,
  brokenRoles: number,
  age: number | undefined,
  window: number,
): number {
  const total =
    bucketPoints(levelGap, overlap) +
    topicPoints(shared) +
    brokenRoles * SCORE.roleBreak +
    historyPoints(age, window);
  return Math.max(SCORE.floor, total);
}

/** The base, level and time terms: alike for every pair across two (level, UTC offset) buckets. */
export function bucketPoints(levelGap: number, overlap: number): number {
  const time = overlap === 0 ? SCORE.noOverlap : Math.round(overlap / 30) * SCORE.perHalfHourOverlap;
  return SCORE.base + SCORE.levelGap[levelGap]! + time;
}

/** The topic term; with the bucket term, the candidate search's bound on a pair's score. */
export const topicPoints = (shared: number): number =>
  Math.min(shared, SCORE.maxSharedTopics) * SCORE.perSharedTopic;

function historyPoints(age: number | undefined, window: number): number {
  if (age === undefined) return 0;
  const rounds = Math.max(1, age);
  if (rounds <= window) {
    return SCORE.metInWindow + Math.round((SCORE.metInWindowRecent * (window - rounds)) / window);
  }
  return Math.round((SCORE.metBefore * window) / rounds);
}

/** A group's score: its pair's, plus the mean of the observer's scores with the two (they only watch). */
export function groupScore(pair: number, observerWith?: readonly [number, number]): number {
  return observerWith === undefined ? pair : pair + Math.round((observerWith[0] + observerWith[1]) / 2);
}

/** What the search maximises for a pair: its score, less `repeatCost` when they met within the window. */
export const searchValue = (score: number, recent: boolean): number =>
  score - (recent ? SCORE.repeatCost : 0);

/** Stand-in score of taking the observer seat, so the duty is shared out and not taken twice running. */
export function observerPoints(lastRole: Role | undefined, observed: number | undefined): number {
  return (
    (lastRole === 'observer' ? SCORE.observedAgain : 0) +
    SCORE.observedEach * Math.min(observed ?? 0, SCORE.observedCounted)
  );
}

/** Shared minutes of 09:00-18:00 local; working days recur, so offsets a day apart overlap fully. */
export function overlapMinutes(offsetA: number, offsetB: number): number {
  const apart = Math.abs(offsetA - offsetB) % DAY;
  return Math.max(0, WORKDAY - Math.min(apart, DAY - apart));
}

/** UTC offset in minutes of an IANA zone at an instant; an unknown zone counts as UTC. */
export function offsetIn(zone: string, at: Date, cache: Map<string, number>): number {
  let offset = cache.get(zone);
  if (offset === undefined) {
    const local = DateTime.fromJSDate(at, { zone });
    offset = local.isValid ? local.offset : 0;
    cache.set(zone, offset);
  }
  return offset;
}

/** Observer-then-interviewer: after observing, a member interviews. */
export function wantOf(lastRole: Role | undefined): number {
  if (lastRole === undefined) return WANTS_NOTHING;
  return lastRole === 'interviewer' ? WANTS_CANDIDATE : WANTS_INTERVIEW;
}

/** Whether A interviews B: the higher level always does; else each takes the opposite of their last role. */
export function firstInterviews(
  rankA: number,
  wantA: number,
  rankB: number,
  wantB: number,
  tie: boolean,
): boolean {
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
export const ROLE_BREAKS = Uint8Array.from({ length: 144 }, (_, at) => {
  const a = Math.floor(at / 12);
  const b = at % 12;
  return roleBreaks(Math.floor(a / 3), a % 3, Math.floor(b / 3), b % 3);
});
