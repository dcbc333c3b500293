import { describe, expect, it } from 'vitest';
import { STEPS } from '../../../src/core/framework.ts';
import { newMemory, recallChance, review } from '../../../src/engines/study/fsrs.ts';
import {
  curriculum,
  itemKey,
  newPerDay,
  parseItemKey,
  phaseOn,
  planShape,
  ratingFromCoverage,
} from '../../../src/engines/study/plan.ts';

const input = {
  cards: [
    { id: 'pr-auc', steps: ['model' as const] },
    { id: 'two-tower', steps: ['features' as const, 'model' as const] },
    { id: 'scope', steps: ['clarify' as const] },
  ],
  cases: [
    { id: 'hard-case', difficulty: 3 as const },
    { id: 'easy-case', difficulty: 1 as const },
    { id: 'mid-case', difficulty: 2 as const },
  ],
};

describe('the plan', () => {
  it('keeps the standard 3 + 7 days before mocks when there is room, and says so', () => {
    expect(planShape(14)).toEqual({ days: 14, learn: 3, drill: 7, mock: 4, fit: 'standard', passes: 1 });
  });

  it('compresses the phases for a date 5 days away, keeping each one', () => {
    const shape = planShape(5);
    expect(shape.fit).toBe('compressed');
    expect(shape.learn + shape.drill + shape.mock).toBe(5);
    expect(Math.min(shape.learn, shape.drill, shape.mock)).toBeGreaterThan(0);
    expect(planShape(1)).toMatchObject({ learn: 1, drill: 0, mock: 0 });
  });

  it('adds repetition for a date 6 weeks away', () => {
    expect(planShape(42)).toMatchObject({ learn: 3, drill: 7, mock: 32, fit: 'repeated', passes: 2 });
  });

  it('tells the phase of each day', () => {
    const shape = planShape(14);
    expect([0, 2, 3, 9, 10, 13].map((day) => phaseOn(shape, day))).toEqual([
      'learn',
      'learn',
      'drill',
      'drill',
      'mock',
      'mock',
    ]);
  });

  it('meets the steps, then the cards of early steps first, then whole cases easiest first for a mid', () => {
    const items = curriculum(input, planShape(14), 'mid');
    expect(items.slice(0, 7).map((item) => item.key)).toEqual(STEPS.map((step) => itemKey.step(step)));
    expect(items.slice(7, 10).map((item) => item.key)).toEqual([
      'card:scope',
      'card:two-tower',
      'card:pr-auc',
    ]);
    expect(items.filter((item) => item.phase === 'drill').map((item) => item.key)[0]).toBe(
      'recall:easy-case:clarify',
    );
    expect(curriculum(input, planShape(14), 'staff').find((item) => item.phase === 'drill')?.key).toBe(
      'recall:hard-case:clarify',
    );
  });

  it('spreads each phase’s items over its days', () => {
    const shape = planShape(14);
    const rate = newPerDay(curriculum(input, shape, 'mid'), shape);
    expect(rate.learn).toBe(Math.ceil(10 / 3));
    expect(rate.drill).toBe(Math.ceil(21 / 7));
    expect(rate.mock).toBe(0);
  });

  it('rates a written recall by the step coverage the grader found', () => {
    expect([0.1, 0.4, 0.6, 0.9].map(ratingFromCoverage)).toEqual([1, 2, 3, 4]);
  });

  it('reads back the item keys it writes', () => {
    for (const key of [itemKey.step('serving'), itemKey.card('pr-auc'), itemKey.recall('easy-case', 'data')])
      expect(parseItemKey(key)).toBeDefined();
    expect(parseItemKey('recall:x:nonsense')).toBeUndefined();
    expect(parseItemKey('other:x')).toBeUndefined();
  });
});

describe('spaced repetition (FSRS)', () => {
  const start = new Date('2026-11-23T09:00:00Z');

  it('brings a forgotten item back within minutes and a recalled one days later, further each time', () => {
    const fresh = newMemory(start);
    const again = review(fresh, start, 1);
    expect(again.due.getTime() - start.getTime()).toBeLessThan(15 * 60_000);
    let memory = review(review(fresh, start, 3), new Date(start.getTime() + 10 * 60_000), 3);
    const firstGap = memory.due.getTime() - start.getTime();
    expect(firstGap).toBeGreaterThanOrEqual(86_400_000);
    memory = review(memory, memory.due, 3);
    expect(memory.scheduledDays).toBeGreaterThan(firstGap / 86_400_000);
    expect(recallChance(memory, memory.due)).toBeGreaterThan(0.85);
    expect(recallChance(fresh, start)).toBe(0);
  });
});
