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
