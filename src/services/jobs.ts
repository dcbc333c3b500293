import type { Deps } from './deps.ts';

/**
 * Every job the services schedule, by name. jobs/ holds one file per name, and the bot checks at start that
 * the two agree (core/registry.ts verifyJobNames), so a renamed file cannot leave a schedule with no job.
 */
export const JOB = {
  dailyPost: 'daily-post',
  dailyClose: 'daily-close',
  dailySweep: 'daily-sweep',
  weeklyDigest: 'weekly-digest',
  pairRound: 'pair-round',
  pairNotice: 'pair-notice',
  pairNudge: 'pair-nudge',
  pairCheckin: 'pair-checkin',
  planMorning: 'plan-morning',
} as const;

export type JobName = (typeof JOB)[keyof typeof JOB];
export const JOB_NAMES: readonly JobName[] = Object.values(JOB);

/**
 * Removes the recurring schedules whose id `belongs` to one family but are no longer `wanted` (a channel
 * switched off, or deleted): the other half of reconciling schedules from Postgres. Returns how many went.
 */
export async function removeStaleSchedules(
  deps: Deps,
  belongs: (id: string) => boolean,
  wanted: ReadonlySet<string>,
): Promise<number> {
  let removed = 0;
  for (const schedule of await deps.scheduler.listSchedules()) {
    if (belongs(schedule.id) && !wanted.has(schedule.id)) {
      await deps.scheduler.removeSchedule(schedule.id);
      removed += 1;
    }
  }
  return removed;
}
