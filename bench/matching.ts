import blossom from 'edmonds-blossom';
import {
  createScoreContext,
  LEVELS,
  type MatchInput,
  type MatchMember,
  matchMembers,
  type PastPairing,
  pairScore,
} from '../src/engines/matching/index.ts';

const TOPICS = ['recsys', 'ranking', 'search', 'vision', 'nlp', 'ads'] as const;
const ZONES = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Kyiv',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
] as const;
const AT = new Date('2025-03-12T16:00:00Z'); // a Wednesday

/** A small seeded generator (mulberry32), so every run benches the same data. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Members with a realistic spread: more mids and seniors, one to three topics, fifteen time zones. */
export function randomMembers(count: number, random: () => number): MatchMember[] {
  const levelWeights = [0.25, 0.35, 0.3, 0.1];
  return Array.from({ length: count }, (_, index) => {
    let roll = random();
    let level = 0;
    while (level < 3 && roll >= levelWeights[level]!) {
      roll -= levelWeights[level]!;
      level += 1;
    }
    const topics = new Set<string>();
    const wanted = 1 + Math.floor(random() * 3);
    while (topics.size < wanted) topics.add(pick(random, TOPICS));
    return { id: index + 1, level: LEVELS[level]!, topics: [...topics], timeZone: pick(random, ZONES) };
  });
}

/** Runs the matcher round after round, as the bot would, and returns the history and the next input. */
export function simulateRounds(members: MatchMember[], rounds: number, seed: number): MatchInput {
  const history: PastPairing[] = [];
  let current = members;
  for (let round = 0; round < rounds; round += 1) {
    const result = matchMembers({ members: current, history, avoid: [], round, at: AT, seed: seed + round });
    const roles = new Map<number, 'interviewer' | 'candidate' | 'observer'>();
    for (const group of result.groups) {
      const ids = [
        group.interviewer,
        group.candidate,
        ...(group.observer === undefined ? [] : [group.observer]),
      ];
      for (let i = 0; i < ids.length; i += 1) {
        for (let j = i + 1; j < ids.length; j += 1) history.push({ a: ids[i]!, b: ids[j]!, round });
      }
      roles.set(group.interviewer, 'interviewer');
      roles.set(group.candidate, 'candidate');
      if (group.observer !== undefined) roles.set(group.observer, 'observer');
    }
    current = current.map((member) => {
      const lastRole = roles.get(member.id);
      return lastRole ? { ...member, lastRole } : member;
    });
  }
  return { members: current, history, avoid: [], round: rounds, at: AT, seed: seed + rounds };
}

/** The exact optimum (maximum-weight perfect matching over all allowed pairs) for an even-sized input. */
export function optimumTotal(input: MatchInput, window: number): number {
  const ctx = createScoreContext(input, window);
  const { members } = input;
  const edges: Array<[number, number, number]> = [];
  for (let i = 0; i < members.length; i += 1) {
    for (let j = i + 1; j < members.length; j += 1) {
      const points = pairScore(members[i]!, members[j]!, ctx);
      if (points !== undefined) edges.push([i, j, points]);
    }
  }
  const mate = blossom(edges, true);
  let total = 0;
  mate.forEach((partner, i) => {
    if (partner > i) total += pairScore(members[i]!, members[partner]!, ctx)!;
  });
  return total;
}

/** A random perfect matching's total, the floor against which the optimum's gain is measured. */
function randomTotal(input: MatchInput, window: number, random: () => number): number {
  const ctx = createScoreContext(input, window);
  const order = [...input.members].sort(() => random() - 0.5);
  let total = 0;
  for (let i = 0; i + 1 < order.length; i += 2) total += pairScore(order[i]!, order[i + 1]!, ctx) ?? 0;
  return total;
}

const ratio = (value: number) => `${(value * 100).toFixed(2)}%`;

/** Matching 10,000 members with 12 weeks of history on one core (target <= 1 s, 0 repeats), and quality. */
export async function benchMatching(): Promise<void> {
  const random = randomSource(20_250_312);
  const members = randomMembers(10_000, random);
  const input = simulateRounds(members, 12, 7);
  matchMembers(simulateRounds(randomMembers(2_000, random), 2, 1)); // warm up
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = matchMembers(input);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(
    `matching: 10000 members, 12 rounds of history (${input.history.length} past pairings): ${cpuMs.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall (target <= 1000 ms, ${cpuMs <= 1000 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `matching: ${result.groups.length} groups, ${result.unmatched.length} unmatched, window ${result.window} rounds, repeats ${result.repeats} (target 0, ${result.repeats === 0 ? 'met' : 'MISSED'})`,
  );

  let ours = 0;
  let best = 0;
  let floor = 0;
  let worst = 1;
  for (let instance = 0; instance < 20; instance += 1) {
    const size = 50 + 2 * Math.floor(random() * 76); // even, 50-200
    const sample = simulateRounds(randomMembers(size, random), Math.floor(random() * 6), instance);
    const matched = matchMembers(sample);
    const total = matched.groups.reduce((sum, group) => sum + group.score, 0);
    const optimum = optimumTotal(sample, matched.window);
    ours += total;
    best += optimum;
    floor += randomTotal(sample, matched.window, random);
    worst = Math.min(worst, total / optimum);
  }
  console.log(
    `matching quality: 20 instances of 50-200 members: ${ours} vs exact optimum ${best} = ${ratio(ours / best)} (worst instance ${ratio(worst)}) (target >= 97%, ${ours / best >= 0.97 ? 'met' : 'MISSED'}); share of the optimum's gain over a random pairing: ${ratio((ours - floor) / (best - floor))}`,
  );
}
