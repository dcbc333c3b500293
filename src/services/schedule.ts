import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';

/** Days of the week as Luxon numbers them (1 = Monday ... 7 = Sunday). */
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_ALIASES: Record<string, number> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};

export const DAYS_PATTERN =
  /^(daily|everyday|weekdays|weekends|[a-z]{3,9}(-[a-z]{3,9})?(,[a-z]{3,9}(-[a-z]{3,9})?)*)$/i;

/** Parses "mon-fri", "mon,wed,fri", "sat-sun", "daily", "weekdays"; undefined when it is not a day list. */
export function parseDays(spec: string): number[] | undefined {
  const text = spec.trim().toLowerCase();
  if (text === 'daily' || text === 'everyday' || text === 'every-day') return [1, 2, 3, 4, 5, 6, 7];
  if (text === 'weekdays') return [1, 2, 3, 4, 5];
  if (text === 'weekends') return [6, 7];
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to] = part.split('-');
    const start = from ? DAY_ALIASES[from] : undefined;
    const end = to === undefined ? start : DAY_ALIASES[to];
    if (start === undefined || end === undefined) return undefined;
    // A range may wrap over the weekend: "fri-mon".
    for (let day = start; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === end) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** The canonical spelling of a day list, as stored and shown. */
export function formatDays(days: number[]): string {
  const key = days.join(',');
  if (key === '1,2,3,4,5,6,7') return 'daily';
  if (key === '1,2,3,4,5') return 'mon-fri';
  if (key === '6,7') return 'sat-sun';
  return days.map((day) => DAY_NAMES[day - 1]).join(',');
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export const TIME_PATTERN = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** A cron pattern (minute hour * * day-of-week, Sunday = 0) for a local time on given days. */
export function cronPattern(time: string, days: number[]): string {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new Error(`not a time: ${time}`);
  const cronDays = days.map((day) => day % 7).sort((a, b) => a - b);
  return `${Number(match[2])} ${Number(match[1])} * * ${cronDays.join(',')}`;
}

/** The calendar date (YYYY-MM-DD) at `at` in `zone`. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() as string;
}

/** The next time a cron pattern fires after `after`, in `zone` (DST-aware). */
export function nextRun(pattern: string, zone: string, after: Date): Date {
  return CronExpressionParser.parse(pattern, { currentDate: after, tz: zone }).next().toDate();
}

/** The last time a cron pattern fired at or before `at`, in `zone` (DST-aware). */
export function previousRun(pattern: string, zone: string, at: Date): Date {
  return CronExpressionParser.parse(pattern, { currentDate: new Date(at.getTime() + 1), tz: zone })
    .prev()
    .toDate();
}

/** Formats an instant for people in `zone`, e.g. "Tue 25 Nov, 09:00 CET". */
export function formatLocal(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL, HH:mm ZZZZ');
}

export type Period = 'week' | 'month' | 'all';

/** The start of the current week (Monday 00:00) or month in `zone`; the epoch for 'all'. */
export function periodStart(period: Period, at: Date, zone: string): Date {
  if (period === 'all') return new Date(0);
  return DateTime.fromJSDate(at, { zone })
    .startOf(period === 'week' ? 'week' : 'month')
    .toJSDate();
}
