import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/core/framework.ts';
import type { ChannelRow } from '../../src/db/queries/channels.ts';
import type { PostedUnit } from '../../src/db/queries/prompts.ts';
import { loadLibrary } from '../../src/services/content.ts';
import { chooseDaily } from '../../src/services/daily/index.ts';
import type { Deps } from '../../src/services/deps.ts';

const library = loadLibrary();
const deps = { library } as Deps;
const channel = (overrides: Partial<ChannelRow> = {}) =>
  ({ id: 7, difficulties: [], tags: [], dailyMode: 'mixed', ...overrides }) as ChannelRow;

/** Simulates `days` daily posts and returns "case" or "case:step" per day. */
function simulate(row: ChannelRow, days: number): string[] {
  const counts = new Map<string, PostedUnit>();
  const order: string[] = [];
  for (let day = 0; day < days; day += 1) {
    const unit = chooseDaily(deps, row, [...counts.values()]);
    const key = `${unit.study.id}:${unit.focusStep ?? ''}`;
    const seen = counts.get(key) ?? { caseId: unit.study.id, focusStep: unit.focusStep, times: 0 };
    counts.set(key, { ...seen, times: seen.times + 1 });
    order.push(unit.focusStep ? `${unit.study.id}:${unit.focusStep}` : unit.study.id);
  }
  return order;
}

describe('daily rotation', () => {
  const size = library.cases.size;

  it('posts every case whole once before anything repeats', () => {
    const first = simulate(channel(), size);
    expect(new Set(first).size).toBe(size);
    for (const id of first) expect(id).not.toContain(':');
  });

  it('then alternates focus drills with whole cases until every focus prompt has come up', () => {
    const focusTotal = size * STEPS.length;
    const days = simulate(channel(), size + 2 * focusTotal);
    const after = days.slice(size);
    expect(after.filter((_, index) => index % 2 === 0).every((id) => id.includes(':'))).toBe(true);
    expect(after.filter((_, index) => index % 2 === 1).every((id) => !id.includes(':'))).toBe(true);
    expect(new Set(after.filter((id) => id.includes(':'))).size).toBe(focusTotal);
  });

  it('uses only whole cases in full mode and only focus drills in focus mode', () => {
    expect(simulate(channel({ dailyMode: 'full' }), size * 2).every((id) => !id.includes(':'))).toBe(true);
    const focus = simulate(channel({ dailyMode: 'focus' }), 20);
    expect(focus.every((id) => id.includes(':'))).toBe(true);
    expect(new Set(focus).size).toBe(20);
  });

  it('honours a difficulty and tag filter', () => {
    for (const id of simulate(channel({ difficulties: [3], dailyMode: 'full' }), 6)) {
      expect(library.cases.get(id)?.difficulty).toBe(3);
    }
    for (const id of simulate(channel({ tags: ['recsys'], dailyMode: 'full' }), 4)) {
      expect(library.cases.get(id)?.tags).toContain('recsys');
    }
  });

  it('orders cases differently per channel, so neighbouring groups do not move in lockstep', () => {
    expect(simulate(channel({ id: 1 }), 5)).not.toEqual(simulate(channel({ id: 2 }), 5));
  });
});
