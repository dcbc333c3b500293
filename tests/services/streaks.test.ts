import { describe, expect, it } from 'vitest';
import { computeStreak } from '../../src/services/streaks.ts';

describe('streaks', () => {
  it('counts consecutive answered prompt days', () => {
    expect(
      computeStreak({
        required: ['2026-11-16', '2026-11-17', '2026-11-18'],
        answered: ['2026-11-16', '2026-11-17', '2026-11-18'],
      }),
    ).toEqual({
      current: 3,
      best: 3,
      freezesUsed: 0,
    });
  });

  it('does not break over a weekend when the channel posts on weekdays only', () => {
    const fri = '2026-11-20';
    const mon = '2026-11-23';
    expect(
      computeStreak({ required: ['2026-11-19', fri, mon], answered: ['2026-11-19', fri, mon] }).current,
    ).toBe(3);
  });

  it('forgives one missed day a week with an automatic freeze, and breaks on the second', () => {
    const week = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
    const oneMiss = computeStreak({
      required: week,
      answered: ['2026-11-16', '2026-11-18', '2026-11-19', '2026-11-20'],
    });
    expect(oneMiss).toEqual({ current: 4, best: 4, freezesUsed: 1 });
    const twoMisses = computeStreak({ required: week, answered: ['2026-11-16', '2026-11-18', '2026-11-20'] });
    expect(twoMisses.current).toBe(1);
    expect(twoMisses.best).toBe(2);
  });

  it('gets a fresh freeze in the next ISO week', () => {
    const required = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
    // Misses Saturday 21 (week 47) and Tuesday 24 (week 48): one freeze each week.
    expect(computeStreak({ required, answered: ['2026-11-20', '2026-11-22', '2026-11-23'] }).current).toBe(3);
  });

  it('leaves today’s open prompt out until it closes', () => {
    expect(
      computeStreak({ required: ['2026-11-16', '2026-11-17'], answered: ['2026-11-16'], open: '2026-11-17' })
        .current,
    ).toBe(1);
  });

  it('counts a day by its prompt, so an answer written after local midnight is not a day late', () => {
    // The prompt of the 16th answered at 00:30 on the 17th still counts for the 16th.
    expect(
      computeStreak({ required: ['2026-11-16', '2026-11-17'], answered: ['2026-11-16', '2026-11-17'] })
        .current,
    ).toBe(2);
  });
});
