import blossom from 'edmonds-blossom';
import { describe, expect, it } from 'vitest';
import { addCandidates, type Graph } from '../../src/engines/matching/graph.ts';
import {
  createScoreContext,
  type Group,
  groupScore,
  LEVELS,
  type MatchInput,
  type MatchMember,
  type MatchResult,
  matchMembers,
  type PastPairing,
  pairKey,
  pairScore,
  type Role,
  recencyWindow,
} from '../../src/engines/matching/index.ts';
import { preparePool, score, sharedTopics } from '../../src/engines/matching/pool.ts';
import { bucketPoints, overlapMinutes, searchValue, topicPoints } from '../../src/engines/matching/score.ts';

const AT = new Date('2025-03-12T16:00:00Z'); // a Wednesday; New York already on summer time, Berlin not yet

const member = (id: number, overrides: Partial<MatchMember> = {}): MatchMember => ({
  id,
  level: 'mid',
  topics: [],
  timeZone: 'Europe/Berlin',
  ...overrides,
});

const input = (members: MatchMember[], overrides: Partial<MatchInput> = {}): MatchInput => ({
  members,
  history: [],
  avoid: [],
  round: 0,
  at: AT,
  ...overrides,
});

const idsOf = (group: Group) => [
  group.interviewer,
  group.candidate,
  ...(group.observer === undefined ? [] : [group.observer]),
];
const pairsOf = (result: MatchResult) =>
  result.groups.map((group) => [group.interviewer, group.candidate].sort((a, b) => a - b).join('-')).sort();
const together = (result: MatchResult, a: number, b: number) =>
  result.groups.some((group) => idsOf(group).includes(a) && idsOf(group).includes(b));

/** A seeded generator (mulberry32). */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata'];
const TOPICS = ['recsys', 'ranking', 'search', 'vision', 'nlp', 'ads'];

function randomMembers(count: number, random: () => number): MatchMember[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 100 + index,
    level: LEVELS[Math.floor(random() * LEVELS.length)]!,
    topics: TOPICS.filter(() => random() < 0.3),
    timeZone: ZONES[Math.floor(random() * ZONES.length)]!,
  }));
}

/** Runs `rounds` rounds as the bot would: history and last roles carried from each result to the next. */
function simulate(start: MatchMember[], rounds: number, seed = 1) {
  const history: PastPairing[] = [];
  const results: MatchResult[] = [];
  let members = start;
  for (let round = 0; round < rounds; round += 1) {
    const result = matchMembers({ members, history, avoid: [], round, at: AT, seed: seed + round });
    results.push(result);
    const roles = new Map<number, Role>();
    for (const group of result.groups) {
      const ids = idsOf(group);
      for (let i = 0; i < ids.length; i += 1) {
        for (let j = i + 1; j < ids.length; j += 1) history.push({ a: ids[i]!, b: ids[j]!, round });
      }
      roles.set(group.interviewer, 'interviewer');
      roles.set(group.candidate, 'candidate');
      if (group.observer !== undefined) roles.set(group.observer, 'observer');
    }
    members = members.map((item) => ({ ...item, lastRole: roles.get(item.id) ?? item.lastRole }));
  }
  return { results, history, members };
}

/** Exact: a perfect matching of fresh pairs (blossom), plus, for an odd count, some fresh trio beside it. */
function repeatFreeRoundExists(members: MatchMember[], fresh: (a: MatchMember, b: MatchMember) => boolean) {
  const perfect = (rest: MatchMember[]) => {
    const edges: Array<[number, number, number]> = [];
    for (let i = 0; i < rest.length; i += 1) {
      for (let j = i + 1; j < rest.length; j += 1) if (fresh(rest[i]!, rest[j]!)) edges.push([i, j, 1]);
    }
    return rest.length === 0 || (edges.length > 0 && blossom(edges, true).every((partner) => partner >= 0));
  };
  if (members.length % 2 === 0) return perfect(members);
  for (const [i, a] of members.entries()) {
    for (const [j, b] of members.entries()) {
      if (j <= i || !fresh(a, b)) continue;
      for (const c of members.slice(j + 1)) {
        if (
          fresh(a, c) &&
          fresh(b, c) &&
          perfect(members.filter((item) => item !== a && item !== b && item !== c))
        ) {
          return true;
        }
      }
    }
  }
  return false;
}

describe('repeat window', () => {
  it('adapts to the pool size: n-2 rounds when even, fewer when odd, capped at 12, at least 1', () => {
    expect([1, 2, 3, 4, 6, 9, 10, 14, 40].map(recencyWindow)).toEqual([1, 1, 1, 2, 4, 5, 8, 12, 12]);
  });

  it('never pairs last round partners again when a repeat-free round exists, even if they fit best', () => {
    // 1-2 and 3-4 share zone, level and topics; the alternatives are worse on every criterion but history.
    const members = [
      member(1, { topics: ['recsys'] }),
      member(2, { topics: ['recsys'] }),
      member(3, { timeZone: 'America/New_York', level: 'senior' }),
      member(4, { timeZone: 'America/New_York', level: 'senior' }),
    ];
    const history = [
      { a: 1, b: 2, round: 4 },
      { a: 3, b: 4, round: 4 },
    ];
    const result = matchMembers(input(members, { history, round: 5 }));
    expect(result.repeats).toBe(0);
    expect(together(result, 1, 2) || together(result, 3, 4)).toBe(false);
  });

  it('has no repeat whenever a repeat-free round exists, odd pools included (checked exactly)', () => {
    const random = randomSource(31);
    let feasible = 0;
    for (let trial = 0; trial < 40; trial += 1) {
      const size = 6 + trial;
      const members = randomMembers(size, random);
      const history: PastPairing[] = [];
      for (const [i, a] of members.entries()) {
        for (const b of members.slice(i + 1)) {
          if (random() < 0.75) history.push({ a: a.id, b: b.id, round: 9 - Math.floor(random() * 3) });
        }
      }
      const result = matchMembers(input(members, { history, round: 10, seed: trial }));
      const ctx = createScoreContext(input(members, { history, round: 10 }), result.window);
      const fresh = (a: MatchMember, b: MatchMember) =>
        10 - (ctx.lastMet.get(pairKey(a.id, b.id)) ?? -99) > result.window;
      if (repeatFreeRoundExists(members, fresh)) {
        feasible += 1;
        expect(result.repeats).toBe(0);
      }
    }
    expect(feasible).toBeGreaterThan(10); // the instances are not all trivially infeasible
  });

  it('rotates a pool of 4 through all three partners, round after round', () => {
    const { results } = simulate([member(1), member(2), member(3), member(4)], 12);
    for (const [round, result] of results.entries()) {
      expect(result.window).toBe(2);
      expect(result.repeats).toBe(0);
      if (round >= 2) {
        const recent = new Set([...pairsOf(results[round - 1]!), ...pairsOf(results[round - 2]!)]);
        for (const pair of pairsOf(result)) expect(recent.has(pair)).toBe(false);
      }
    }
  });

  it('does not starve a small group: two members are paired every round although they always repeat', () => {
    const { results } = simulate([member(1), member(2)], 5);
    for (const result of results.slice(1)) {
      expect(result.groups).toHaveLength(1);
      expect(result.unmatched).toEqual([]);
      expect(result.repeats).toBe(1);
    }
  });

  it('scores a meeting outside the window lower the more recent it was, and one inside lower still', () => {
    const ctx = (round: number) =>
      createScoreContext(input([], { history: [{ a: 1, b: 2, round }], round: 20 }), 4);
    const fresh = pairScore(member(1), member(2), createScoreContext(input([]), 4))!;
    const scores = [18, 16, 14, 10, 2].map((round) => pairScore(member(1), member(2), ctx(round))!);
    expect([...scores, fresh]).toEqual([...scores, fresh].sort((a, b) => a - b));
    expect(new Set(scores).size).toBe(scores.length);
    expect(scores[2]! - scores[1]!).toBeGreaterThan(20); // leaving the window is a big step
  });
});

describe('avoid lists', () => {
  it('never pairs two members who avoid each other, whichever of them asked', () => {
    const members = [
      member(1, { topics: ['recsys'] }),
      member(2, { topics: ['recsys'] }),
      member(3),
      member(4),
    ];
    const avoid: Array<[number, number]> = [
      [1, 2],
      [4, 3],
    ];
    const result = matchMembers(input(members, { avoid }));
    expect(together(result, 1, 2)).toBe(false);
    expect(together(result, 3, 4)).toBe(false);
    expect(result.groups).toHaveLength(2);
  });

  it('keeps avoided pairs out of trios too', () => {
    const random = randomSource(11);
    for (let trial = 0; trial < 20; trial += 1) {
      const members = randomMembers(7, random);
      const avoid: Array<[number, number]> = [];
      for (let k = 0; k < 6; k += 1) {
        avoid.push([members[Math.floor(random() * 7)]!.id, members[Math.floor(random() * 7)]!.id]);
      }
      const result = matchMembers(input(members, { avoid, seed: trial }));
      for (const [a, b] of avoid) if (a !== b) expect(together(result, a, b)).toBe(false);
    }
  });
});

describe('odd counts and unmatched members', () => {
  it('puts the odd member into one trio as observer and places everyone exactly once', () => {
    const members = [1, 2, 3, 4, 5, 6, 7].map((id) => member(id));
    const result = matchMembers(input(members));
    expect(result.groups).toHaveLength(3);
    expect(result.groups.filter((group) => group.observer !== undefined)).toHaveLength(1);
    expect(result.groups.flatMap(idsOf).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.unmatched).toEqual([]);
  });

  it('does not make last round observer observe again when someone else can', () => {
    const members = [member(1, { lastRole: 'observer' }), member(2), member(3)];
    for (const seed of [1, 2, 3, 4, 5]) {
      const [trio] = matchMembers(input(members, { seed })).groups;
      expect(trio?.observer).not.toBe(1);
    }
  });

  it('shares observer duty out over rounds instead of returning it to the same few', () => {
    const ids = [1, 2, 3, 4, 5];
    const observed = new Map<number, number>();
    const lastRole = new Map<number, Role>();
    const history: PastPairing[] = [];
    for (let round = 0; round < 10; round += 1) {
      const members = ids.map((id) => {
        const role = lastRole.get(id);
        return member(id, { observed: observed.get(id) ?? 0, ...(role ? { lastRole: role } : {}) });
      });
      const result = matchMembers(input(members, { history, round, seed: round + 1 }));
      for (const group of result.groups) {
        lastRole.set(group.interviewer, 'interviewer');
        lastRole.set(group.candidate, 'candidate');
        if (group.observer !== undefined) {
          lastRole.set(group.observer, 'observer');
          observed.set(group.observer, (observed.get(group.observer) ?? 0) + 1);
        }
        const inGroup = idsOf(group);
        inGroup.forEach((a, index) => {
          for (const b of inGroup.slice(index + 1)) history.push({ a, b, round });
        });
      }
    }
    // Ten rounds of five: ten observer seats, two each.
    expect(ids.map((id) => observed.get(id) ?? 0)).toEqual([2, 2, 2, 2, 2]);
  });

  it("reports a lone member as 'only-member'", () => {
    expect(matchMembers(input([member(7)]))).toEqual({
      groups: [],
      unmatched: [{ id: 7, reason: 'only-member' }],
      window: 1,
      repeats: 0,
    });
  });

  it("reports a member everyone avoids as 'avoided-by-everyone' and still pairs the rest", () => {
    const members = [member(1), member(2), member(3), member(9)];
    const avoid: Array<[number, number]> = [
      [9, 1],
      [2, 9],
      [9, 3],
    ];
    const result = matchMembers(input(members, { avoid }));
    expect(result.unmatched).toEqual([{ id: 9, reason: 'avoided-by-everyone' }]);
    expect(result.groups.flatMap(idsOf).sort()).toEqual([1, 2, 3]);
  });

  it("reports the odd member who can join no trio because of avoids as 'avoided-by-everyone'", () => {
    const result = matchMembers(input([member(1), member(2), member(3)], { avoid: [[1, 3]] }));
    expect(result.groups).toHaveLength(1);
    expect(result.unmatched).toHaveLength(1);
    expect(result.unmatched[0]?.reason).toBe('avoided-by-everyone');
    expect([1, 3]).toContain(result.unmatched[0]?.id);
  });
});

describe('roles', () => {
  it('alternates: last interviewer is candidate now, last candidate or observer interviews', () => {
    const pair = matchMembers(
      input([member(1, { lastRole: 'interviewer' }), member(2, { lastRole: 'candidate' })]),
    );
    expect(pair.groups[0]).toMatchObject({ interviewer: 2, candidate: 1 });
    const after = matchMembers(
      input([member(1, { lastRole: 'observer' }), member(2, { lastRole: 'interviewer' })]),
    );
    expect(after.groups[0]).toMatchObject({ interviewer: 1, candidate: 2 });
  });

  it('never lets a junior interview a more senior member, even when alternation says so', () => {
    const result = matchMembers(
      input([
        member(1, { level: 'junior', lastRole: 'candidate' }),
        member(2, { level: 'senior', lastRole: 'interviewer' }),
      ]),
    );
    expect(result.groups[0]).toMatchObject({ interviewer: 2, candidate: 1 });
    const random = randomSource(3);
    const members = randomMembers(40, random).map((item) => ({
      ...item,
      lastRole: (['interviewer', 'candidate', undefined] as const)[Math.floor(random() * 3)],
    }));
    const level = new Map(members.map((item) => [item.id, LEVELS.indexOf(item.level)]));
    for (const group of matchMembers(input(members)).groups) {
      expect(level.get(group.interviewer)!).toBeGreaterThanOrEqual(level.get(group.candidate)!);
    }
  });

  it('settles equal levels without history by seed, deterministically', () => {
    const members = [member(1), member(2)];
    const interviewers = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (seed) => matchMembers(input(members, { seed })).groups[0]!.interviewer,
    );
    expect(new Set(interviewers)).toEqual(new Set([1, 2]));
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => matchMembers(input(members, { seed })).groups[0]!.interviewer),
    ).toEqual(interviewers);
  });
});

describe('preferences', () => {
  it('pairs similar levels when it can', () => {
    const members = [
      member(1, { level: 'junior' }),
      member(2, { level: 'staff' }),
      member(3, { level: 'junior' }),
      member(4, { level: 'staff' }),
    ];
    expect(pairsOf(matchMembers(input(members)))).toEqual(['1-3', '2-4']);
  });

  it('pairs members whose working hours overlap over far-apart zones', () => {
    const members = [
      member(1, { timeZone: 'Europe/Berlin' }),
      member(2, { timeZone: 'America/Los_Angeles' }),
      member(3, { timeZone: 'Europe/Paris' }),
      member(4, { timeZone: 'America/Vancouver' }),
    ];
    expect(pairsOf(matchMembers(input(members)))).toEqual(['1-3', '2-4']);
    const ctx = createScoreContext(input([]));
    const near = pairScore(members[0]!, member(5, { timeZone: 'Europe/London' }), ctx)!;
    const far = pairScore(members[0]!, member(6, { timeZone: 'America/New_York' }), ctx)!;
    const none = pairScore(members[0]!, member(7, { timeZone: 'Pacific/Honolulu' }), ctx)!;
    expect(near).toBeGreaterThan(far);
    expect(far - none).toBeGreaterThan(20); // no shared hour at all is strongly penalised
  });

  it('gives a bonus per shared topic', () => {
    const ctx = createScoreContext(input([]));
    const base = member(1, { topics: ['recsys', 'ranking', 'search'] });
    const scores = [[], ['recsys'], ['recsys', 'ranking'], ['recsys', 'ranking', 'search']].map(
      (topics) => pairScore(base, member(2, { topics }), ctx)!,
    );
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(new Set(scores).size).toBe(4);
    const members = [
      member(11, { topics: ['vision'] }),
      member(12, { topics: ['recsys'] }),
      member(13, { topics: ['vision'] }),
      member(14, { topics: ['recsys'] }),
    ];
    expect(pairsOf(matchMembers(input(members)))).toEqual(['11-13', '12-14']);
  });

  it('reports each group with the score pairScore gives it', () => {
    const random = randomSource(8);
    const members = randomMembers(30, random);
    const result = matchMembers(input(members));
    const ctx = createScoreContext(input(members), result.window);
    const byId = new Map(members.map((item) => [item.id, item]));
    for (const group of result.groups.filter((item) => item.observer === undefined)) {
      expect(group.score).toBe(pairScore(byId.get(group.interviewer)!, byId.get(group.candidate)!, ctx));
    }
  });
});

describe('determinism', () => {
  it('gives the same result for the same input and seed, whatever the member order', () => {
    const random = randomSource(21);
    const { history, members } = simulate(randomMembers(25, random), 3);
    const one = matchMembers(input(members, { history, round: 3, seed: 42 }));
    const again = matchMembers(input(members, { history, round: 3, seed: 42 }));
    const shuffled = matchMembers(
      input([...members].reverse(), { history: [...history].reverse(), round: 3, seed: 42 }),
    );
    expect(again).toEqual(one);
    expect(shuffled).toEqual(one);
  });
});

describe('fairness over many rounds', () => {
  it('matches all 9 members in each of 20 rounds and spreads their partners', () => {
    const members = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) =>
      member(id, { level: LEVELS[id % 4]!, timeZone: ZONES[id % 3]!, topics: [TOPICS[id % 6]!] }),
    );
    const { results } = simulate(members, 20);
    const partners = new Map(members.map((item) => [item.id, new Set<number>()]));
    for (const result of results) {
      expect(result.unmatched).toEqual([]);
      expect(result.groups.flatMap(idsOf).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (const group of result.groups) {
        for (const a of idsOf(group)) for (const b of idsOf(group)) if (a !== b) partners.get(a)!.add(b);
      }
    }
    for (const met of partners.values()) expect(met.size).toBeGreaterThanOrEqual(5);
  });

  it('places everyone without repeats in a large pool matched through sparse candidates', () => {
    const random = randomSource(5);
    const { results } = simulate(randomMembers(1_200, random), 4);
    for (const result of results) {
      expect(result.unmatched).toEqual([]);
      expect(result.groups).toHaveLength(600);
      expect(result.repeats).toBe(0);
    }
  });
});

describe('quality', () => {
  it('reaches at least 97% of the exact optimum (maximum-weight matching) on random instances', () => {
    const random = randomSource(97);
    for (const size of [20, 34, 48, 60]) {
      const { history, members } = simulate(randomMembers(size, random), 3, size);
      const round = input(members, { history, round: 3, seed: size });
      const result = matchMembers(round);
      const ctx = createScoreContext(round, result.window);
      const edges: Array<[number, number, number]> = [];
      for (let i = 0; i < size; i += 1) {
        for (let j = i + 1; j < size; j += 1) {
          const points = pairScore(members[i]!, members[j]!, ctx);
          if (points !== undefined) edges.push([i, j, points]);
        }
      }
      let optimum = 0;
      blossom(edges, true).forEach((partner, i) => {
        if (partner > i) optimum += pairScore(members[i]!, members[partner]!, ctx)!;
      });
      const total = result.groups.reduce((sum, group) => sum + group.score, 0);
      expect(total).toBeLessThanOrEqual(optimum);
      expect(total / optimum).toBeGreaterThanOrEqual(0.97);
    }
  });
});

describe('one score formula', () => {
  /** A round after three simulated ones, with one avoided pair. */
  const roundOf = (count: number) => {
    const { history, members } = simulate(randomMembers(count, randomSource(count)), 3, count);
    return input(members, { history, avoid: [[members[0]!.id, members[1]!.id]], round: 3, seed: count });
  };
  const poolOf = (round: MatchInput) =>
    preparePool(
      [...round.members].sort((a, b) => a.id - b.id),
      round,
    );

  it('gives every candidate edge, above 400 members too, the pair score less the repeat cost', () => {
    for (const count of [60, 450]) {
      const round = roundOf(count);
      const pool = poolOf(round);
      const ctx = createScoreContext(round, pool.window);
      const graph: Graph = { adj: pool.members.map(() => []), adjValue: pool.members.map(() => []) };
      const edges = addCandidates(
        pool,
        graph,
        Int32Array.from(pool.members, (_, at) => at),
      );
      expect(edges.length).toBeGreaterThan(count);
      for (let e = 0; e < edges.length; e += 1) {
        const [a, b] = [pool.members[edges.from[e]!]!, pool.members[edges.to[e]!]!];
        const met = ctx.lastMet.get(pairKey(a.id, b.id));
        const points = pairScore(a, b, ctx);
        expect(points).toBeDefined();
        expect(edges.value[e]).toBe(
          searchValue(points!, met !== undefined && round.round - met <= pool.window),
        );
      }
    }
  });

  it('never scores a pair above the bound the candidate search prunes with', () => {
    const pool = poolOf(roundOf(120));
    for (let x = 0; x < pool.size; x += 1) {
      for (let y = x + 1; y < pool.size; y += 1) {
        const gap = Math.abs(pool.rank[x]! - pool.rank[y]!);
        const bound =
          bucketPoints(gap, overlapMinutes(pool.offset[x]!, pool.offset[y]!)) +
          topicPoints(sharedTopics(pool, x, y));
        if (!Number.isNaN(score(pool, x, y))) expect(score(pool, x, y)).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('reports each group, trios included, as groupScore of its pair scores', () => {
    for (const count of [9, 31, 451]) {
      const round = roundOf(count);
      const result = matchMembers(round);
      const ctx = createScoreContext(round, result.window);
      const byId = new Map(round.members.map((item) => [item.id, item]));
      const scoreOf = (a: number, b: number) => pairScore(byId.get(a)!, byId.get(b)!, ctx)!;
      expect(result.groups.filter((group) => group.observer !== undefined)).toHaveLength(1);
      for (const { interviewer, candidate, observer, score: points } of result.groups) {
        const watching =
          observer === undefined
            ? undefined
            : ([scoreOf(observer, interviewer), scoreOf(observer, candidate)] as const);
        expect(points).toBe(groupScore(scoreOf(interviewer, candidate), watching));
      }
    }
  });

  it('adds to a trio the mean of the observer scores, rounded', () => {
    expect(groupScore(120)).toBe(120);
    expect(groupScore(120, [101, 104])).toBe(223);
  });
});
