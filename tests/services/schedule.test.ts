import { describe, expect, it } from 'vitest';
import {
  cronPattern,
  formatDays,
  localDate,
  nextRun,
  parseDays,
  periodStart,
} from '../../src/services/schedule.ts';

describe('day lists', () => {
  it('parses ranges, lists, aliases and wrapping ranges', () => {
    expect(parseDays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('mon,wed,friday')).toEqual([1, 3, 5]);
    expect(parseDays('daily')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(parseDays('fri-mon')).toEqual([1, 5, 6, 7]);
    expect(parseDays('someday')).toBeUndefined();
  });

  it('spells day lists canonically', () => {
    expect(formatDays([1, 2, 3, 4, 5])).toBe('mon-fri');
    expect(formatDays([1, 3, 5])).toBe('mon,wed,fri');
    expect(formatDays([1, 2, 3, 4, 5, 6, 7])).toBe('daily');
  });
});

describe('cron patterns in time zones', () => {
  it('builds a cron pattern with Sunday as 0', () => {
    expect(cronPattern('09:05', [1, 2, 3, 4, 5])).toBe('5 9 * * 1,2,3,4,5');
    expect(cronPattern('18:00', [6, 7])).toBe('0 18 * * 0,6');
  });

  it('fires at 09:00 local time before and after the spring DST change in Berlin', () => {
    const pattern = cronPattern('09:00', [1, 2, 3, 4, 5, 6, 7]);
    // Europe/Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
    const before = nextRun(pattern, 'Europe/Berlin', new Date('2026-03-28T00:00:00Z'));
    const after = nextRun(pattern, 'Europe/Berlin', new Date('2026-03-29T00:00:00Z'));
    expect(before.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(after.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it('fires once on the autumn DST change day in New York', () => {
    const pattern = cronPattern('09:00', [1, 2, 3, 4, 5, 6, 7]);
    // America/New_York moves from UTC-4 to UTC-5 on 2026-11-01.
    const run = nextRun(pattern, 'America/New_York', new Date('2026-11-01T05:00:00Z'));
    expect(run.toISOString()).toBe('2026-11-01T14:00:00.000Z');
    const next = nextRun(pattern, 'America/New_York', run);
    expect(next.toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('takes the local date in the channel time zone, not UTC', () => {
    const at = new Date('2026-06-01T23:30:00Z');
    expect(localDate(at, 'UTC')).toBe('2026-06-01');
    expect(localDate(at, 'Asia/Tokyo')).toBe('2026-06-02');
    expect(localDate(at, 'America/Los_Angeles')).toBe('2026-06-01');
  });

  it('starts weeks on Monday at local midnight', () => {
    const start = periodStart('week', new Date('2026-11-21T12:00:00Z'), 'Europe/Berlin');
    expect(start.toISOString()).toBe('2026-11-15T23:00:00.000Z');
  });
});
