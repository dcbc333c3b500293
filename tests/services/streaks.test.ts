import { describe, expect, it } from 'vitest';
import { computeStreak, dueDay, localDay } from '../../src/services/streaks.ts';

describe('streaks', () => {
  const today = '2026-11-24';

  it('counts consecutive active local days', () => {
    expect(
      computeStreak({ active: ['2026-11-16', '2026-11-17', '2026-11-18'], missed: [], today: '2026-11-18' }),
    ).toEqual({ current: 3, best: 3, freezesUsed: 0, freezeLeft: true });
  });

  it('does not break over days with nothing due, such as the weekend of a weekdays-only channel', () => {
    expect(
      computeStreak({ active: ['2026-11-19', '2026-11-20', '2026-11-23'], missed: [], today }).current,
    ).toBe(3);
  });

  it('forgives one missed day a week with an automatic freeze, and breaks on the second', () => {
    const oneMiss = computeStreak({
      active: ['2026-11-16', '2026-11-18', '2026-11-19', '2026-11-20'],
      missed: ['2026-11-17'],
      today: '2026-11-20',
    });
    expect(oneMiss).toEqual({ current: 4, best: 4, freezesUsed: 1, freezeLeft: false });
    const twoMisses = computeStreak({
      active: ['2026-11-16', '2026-11-18', '2026-11-20'],
      missed: ['2026-11-17', '2026-11-19'],
      today: '2026-11-20',
    });
    expect(twoMisses).toMatchObject({ current: 1, best: 2 });
  });

  it('gets a fresh freeze in the next ISO week', () => {
    // Misses Saturday 21 (week 47) and Tuesday 24 (week 48): one freeze each week.
    const streak = computeStreak({
      active: ['2026-11-20', '2026-11-22', '2026-11-23'],
      missed: ['2026-11-21', '2026-11-24'],
      today,
    });
    expect(streak).toMatchObject({ current: 3, freezesUsed: 2, freezeLeft: false });
  });

  it('counts a day with an answer as kept even when another prompt of that day went unanswered', () => {
    expect(
      computeStreak({ active: ['2026-11-23', '2026-11-24'], missed: ['2026-11-24'], today }).current,
    ).toBe(2);
  });

  it('ignores days after today', () => {
    expect(
      computeStreak({ active: ['2026-11-23'], missed: ['2026-11-25', '2026-11-26'], today }).current,
    ).toBe(1);
  });
});

describe('local days', () => {
  const at = (iso: string) => new Date(iso);

  it('puts one instant on each member’s own day, not on UTC', () => {
    const instant = at('2026-11-17T02:00:00Z');
    expect(localDay(instant, 'Asia/Tokyo', 0)).toBe('2026-11-17');
    expect(localDay(instant, 'America/Los_Angeles', 0)).toBe('2026-11-16');
  });

  it('counts 00:30 for the new day by default, and for the evening before when days start at 4', () => {
    const halfPastMidnight = at('2026-11-16T23:30:00Z'); // 00:30 on the 17th in Berlin
    expect(localDay(halfPastMidnight, 'Europe/Berlin', 0)).toBe('2026-11-17');
    expect(localDay(halfPastMidnight, 'Europe/Berlin', 4)).toBe('2026-11-16');
    expect(localDay(at('2026-11-17T03:00:00Z'), 'Europe/Berlin', 4)).toBe('2026-11-17'); // 04:00
  });

  it('starts days by the wall clock across DST changes', () => {
    // Berlin springs forward at 02:00 on 29 March 2026: 04:30 CEST is 02:30 UTC, a new day when days start at 4.
    expect(localDay(at('2026-03-29T02:30:00Z'), 'Europe/Berlin', 4)).toBe('2026-03-29');
    expect(localDay(at('2026-03-29T01:30:00Z'), 'Europe/Berlin', 4)).toBe('2026-03-28'); // 03:30 CEST
    // It falls back at 03:00 on 25 October 2026: 03:30 CET (02:30 UTC) is still the day before.
    expect(localDay(at('2026-10-25T02:30:00Z'), 'Europe/Berlin', 4)).toBe('2026-10-24');
    expect(localDay(at('2026-10-25T03:00:00Z'), 'Europe/Berlin', 4)).toBe('2026-10-25'); // 04:00 CET
  });

  it('dues a prompt on the local day holding the middle of its answer window', () => {
    // Posted 09:00 in New York on Monday 16 November, open 24 hours.
    const window = { opensAt: at('2026-11-16T14:00:00Z'), closesAt: at('2026-11-17T14:00:00Z') };
    expect(dueDay(window, 'America/New_York', 0)).toBe('2026-11-16');
    // In Tokyo it opens at 23:00 on Monday and is open nearly all of Tuesday.
    expect(dueDay(window, 'Asia/Tokyo', 0)).toBe('2026-11-17');
  });
});
