import { DateTime } from 'luxon';
import type { Db } from '../db/client.ts';
import { appendPointEvents } from '../db/queries/points.ts';
import { streakActivity } from '../db/queries/stats.ts';
import type { Deps } from './deps.ts';

/**
 * A streak counts the member's own local days (their time zone, else the channel's), and a day starts at a
 * configurable hour (MLSD_DAY_START_HOUR; with 4, a 00:30 answer still counts for the evening before).
 * It grows by one on each day with an on-time answer or a completed mock, and breaks only when a prompt
 * the member never answered passes its day: the local day holding the middle of its answer window. One such
 * miss per ISO week is forgiven automatically (a freeze). Days with nothing due, such as weekends for a
 * weekdays-only channel, neither grow nor break it, so no time zone is favoured and nothing runs on UTC.
 */
export type StreakInput = {
  /** Local days (YYYY-MM-DD) with an on-time answer or a completed mock, any order. */
  active: string[];
  /** Local days whose prompt closed unanswered by the member, any order. */
  missed: string[];
  /** The member's local day now; a freeze used in its week is reported. */
  today: string;
};

export type Streak = {
  current: number;
  best: number;
  freezesUsed: number;
  /** Whether this week's freeze is still there to cover a miss. */
  freezeLeft: boolean;
};

const weekOf = (date: string) => {
  const day = DateTime.fromISO(date);
  return `${day.weekYear}-${day.weekNumber}`;
};

/** Walks the days in order, applying the weekly freeze; returns the current and best runs. */
export function computeStreak(input: StreakInput): Streak {
  const active = new Set(input.active);
  const days = [...new Set([...input.active, ...input.missed])].filter((day) => day <= input.today).sort();
  let run = 0;
  let best = 0;
  let freezesUsed = 0;
  const frozenWeeks = new Set<string>();
  for (const day of days) {
    if (active.has(day)) {
      run += 1;
      best = Math.max(best, run);
      continue;
    }
    const week = weekOf(day);
    if (run > 0 && !frozenWeeks.has(week)) {
      frozenWeeks.add(week);
      freezesUsed += 1;
      continue;
    }
    run = 0;
  }
  return { current: run, best, freezesUsed, freezeLeft: !frozenWeeks.has(weekOf(input.today)) };
}

/** The local day an instant belongs to when days start at `dayStartHour` o'clock (wall time, so DST-safe). */
export function localDay(at: Date, zone: string, dayStartHour: number): string {
  const local = DateTime.fromJSDate(at, { zone });
  return (local.hour < dayStartHour ? local.minus({ days: 1 }) : local).toISODate() ?? '';
}

/** The local day a prompt is due on: the one holding the middle of its answer window. */
export function dueDay(
  window: { opensAt: Date; closesAt: Date },
  zone: string,
  dayStartHour: number,
): string {
  const middle = (window.opensAt.getTime() + window.closesAt.getTime()) / 2;
  return localDay(new Date(middle), zone, dayStartHour);
}

/** Streak bonus: 2 points per day of streak beyond the first, at most 10, once per member and local day. */
export const STREAK_BONUS = { perDay: 2, max: 10 } as const;

/** How a member's days are cut: MLSD_DAY_START_HOUR, and the zone used when neither member nor channel has one. */
export type DayRules = { dayStartHour: number; defaultZone: string };

export const dayRules = (deps: Deps): DayRules => ({
  dayStartHour: deps.config.MLSD_DAY_START_HOUR,
  defaultZone: deps.config.MLSD_DEFAULT_TIME_ZONE,
});

/** The local days a member's streak is made of: those with activity, those missed, and today. */
export async function streakDays(db: Db, memberId: number, now: Date, rules: DayRules): Promise<StreakInput> {
  const activity = await streakActivity(db, memberId, now);
  const zoneOf = (channelZone: string | null) => activity.memberZone ?? channelZone ?? rules.defaultZone;
  const today = localDay(
    now,
    activity.memberZone ?? activity.done.at(-1)?.zone ?? rules.defaultZone,
    rules.dayStartHour,
  );
  return {
    active: activity.done.map((row) => localDay(row.at, zoneOf(row.zone), rules.dayStartHour)),
    missed: activity.missed.map((row) => dueDay(row, zoneOf(row.zone), rules.dayStartHour)),
    today,
  };
}

/** A member's streak on their own local days (see streaks.ts), and the local day it is for them now. */
export async function streakOf(
  db: Db,
  memberId: number,
  now: Date,
  rules: DayRules,
): Promise<Streak & { today: string; activeToday: boolean }> {
  const days = await streakDays(db, memberId, now, rules);
  return { ...computeStreak(days), today: days.today, activeToday: days.active.includes(days.today) };
}

/** Awards the streak bonus an on-time answer earns: once per member and local day, from the second day on. */
export async function awardStreakBonus(
  db: Db,
  input: { memberId: number; channelId: number; now: Date; rules: DayRules },
): Promise<number> {
  const streak = await streakOf(db, input.memberId, input.now, input.rules);
  // Only a day that counts earns its bonus: not, say, a later edit of an answer counted yesterday.
  if (!streak.activeToday) return 0;
  const points = Math.min(STREAK_BONUS.max, STREAK_BONUS.perDay * (streak.current - 1));
  if (points <= 0) return 0;
  const added = await appendPointEvents(db, [
    {
      memberId: input.memberId,
      channelId: input.channelId,
      kind: 'streak-bonus',
      ref: `member:${input.memberId}:day:${streak.today}`,
      points,
      reason: `${streak.current}-day streak (${streak.today})`,
      createdAt: input.now,
    },
  ]);
  return added.length > 0 ? points : 0;
}
