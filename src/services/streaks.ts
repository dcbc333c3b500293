import { DateTime } from 'luxon';

/**
 * Streaks count prompt days, not UTC days: a day counts when the member answered that day's prompt in
 * time, whatever their time zone, so no zone is favoured and a 00:30 answer is never "late by a day".
 * Only days a study channel of theirs posted a prompt are required, so a weekdays-only channel never
 * breaks a streak at the weekend. One missed day per ISO week is forgiven automatically (a freeze).
 */
export type StreakInput = {
  /** Local dates (YYYY-MM-DD) with a prompt in the member's channels, any order. */
  required: string[];
  /** Local dates whose prompt the member answered. */
  answered: string[];
  /** A required date whose prompt is still open: unanswered, it neither counts nor breaks. */
  open?: string | undefined;
};

export type Streak = { current: number; best: number; freezesUsed: number };

const weekOf = (date: string) => {
  const day = DateTime.fromISO(date);
  return `${day.weekYear}-${day.weekNumber}`;
};

/** Walks the required days in order, applying the weekly freeze; returns the current and best runs. */
export function computeStreak(input: StreakInput): Streak {
  const answered = new Set(input.answered);
  const days = [...new Set([...input.required, ...input.answered])].sort();
  let run = 0;
  let best = 0;
  let freezesUsed = 0;
  const frozenWeeks = new Set<string>();
  for (const day of days) {
    if (answered.has(day)) {
      run += 1;
      best = Math.max(best, run);
      continue;
    }
    if (day === input.open) continue;
    const week = weekOf(day);
    if (run > 0 && !frozenWeeks.has(week)) {
      frozenWeeks.add(week);
      freezesUsed += 1;
      continue;
    }
    run = 0;
  }
  return { current: run, best, freezesUsed };
}
