import type { FilterView, ScheduleView } from '../../../content/messages.ts';
import { UserError } from '../../core/errors.ts';
import type { Actor, Place } from '../../core/types.ts';
import { type ChannelRow, listChannels, updateChannel } from '../../db/queries/channels.ts';
import { listOpenPrompts } from '../../db/queries/prompts.ts';
import { type Deps, ensureScheduler } from '../deps.ts';
import { syncDigest } from '../digest.ts';
import { JOB, removeStaleSchedules } from '../jobs.ts';
import { ensureChannel } from '../members.ts';
import { cronPattern, formatDays, formatLocal, nextRun, parseDays } from '../schedule.ts';

import { armClose, dailyScheduleId, SWEEP } from './post.ts';
export type ScheduleInput = {
  time: string;
  timezone?: string | undefined;
  days?: string | undefined;
  deadline?: number | undefined; // hours
};

/** `/mlsd daily schedule`: stores the schedule, then mirrors it into the scheduler. */
export async function setSchedule(
  deps: Deps,
  place: Place,
  actor: Actor,
  input: ScheduleInput,
): Promise<ScheduleView> {
  const channel = await ensureChannel(deps, place);
  await ensureScheduler(deps);
  const zone =
    input.timezone ?? (channel.dailyEnabled ? channel.timeZone : (actor.timeZone ?? channel.timeZone));
  const days = parseDays(input.days ?? channel.dailyDays) ?? [1, 2, 3, 4, 5];
  const updated = await updateChannel(
    deps.db,
    channel.id,
    {
      dailyEnabled: true,
      dailyTime: input.time,
      timeZone: zone,
      dailyDays: formatDays(days),
      ...(input.deadline ? { deadlineHours: input.deadline } : {}),
    },
    deps.clock.now(),
  );
  const pattern = await syncSchedule(deps, updated);
  return {
    time: input.time,
    zone,
    days: updated.dailyDays,
    next: formatLocal(nextRun(pattern ?? '', zone, deps.clock.now()), zone),
    deadlineHours: updated.deadlineHours,
  };
}

/** `/mlsd daily filter`: limits the rotation to difficulties and tags (empty: every case). */
export async function setFilter(
  deps: Deps,
  place: Place,
  input: { difficulty?: number[] | undefined; tags?: string[] | undefined },
): Promise<FilterView> {
  const channel = await ensureChannel(deps, place);
  const difficulties = input.difficulty ?? [];
  const tags = input.tags ?? [];
  const matching = [...deps.library.cases.values()].filter(
    (study) =>
      (difficulties.length === 0 || difficulties.includes(study.difficulty)) &&
      (tags.length === 0 || study.tags.some((tag) => tags.includes(tag))),
  );
  if (matching.length === 0) throw new UserError('no-cases');
  await updateChannel(deps.db, channel.id, { difficulties, tags }, deps.clock.now());
  return { difficulties, tags, cases: matching.map((study) => study.title) };
}

/** `/mlsd daily mode`: whole cases, one-step focus drills, or both. */
export async function setMode(deps: Deps, place: Place, mode: ChannelRow['dailyMode']): Promise<void> {
  const channel = await ensureChannel(deps, place);
  await updateChannel(deps.db, channel.id, { dailyMode: mode }, deps.clock.now());
}

/** `/mlsd daily off`. */
export async function disableSchedule(deps: Deps, place: Place): Promise<void> {
  const channel = await ensureChannel(deps, place);
  await ensureScheduler(deps);
  const updated = await updateChannel(deps.db, channel.id, { dailyEnabled: false }, deps.clock.now());
  await syncSchedule(deps, updated);
}

/** Makes the scheduler match one channel's row; returns the cron pattern when enabled. */
async function syncSchedule(deps: Deps, channel: ChannelRow): Promise<string | undefined> {
  await syncDigest(deps, channel);
  if (!channel.dailyEnabled) {
    await deps.scheduler.removeSchedule(dailyScheduleId(channel.id));
    return undefined;
  }
  const pattern = cronPattern(channel.dailyTime, parseDays(channel.dailyDays) ?? [1, 2, 3, 4, 5]);
  await deps.scheduler.upsertSchedule(
    dailyScheduleId(channel.id),
    { pattern, tz: channel.timeZone },
    { name: JOB.dailyPost, data: { channelId: channel.id } },
  );
  return pattern;
}

/**
 * Rebuilds the scheduler from Postgres (the truth): every enabled channel's schedule, no stale ones, and
 * a close-out for every open prompt. Safe to run on every start; a Redis that lost its data heals.
 */
export async function reconcileDaily(
  deps: Deps,
): Promise<{ schedules: number; removed: number; closes: number }> {
  const channels = await listChannels(deps.db);
  const wanted = new Set<string>();
  for (const channel of channels) {
    if (channel.dailyEnabled) wanted.add(dailyScheduleId(channel.id));
    await syncSchedule(deps, channel);
  }
  const removed = await removeStaleSchedules(deps, (id) => id.startsWith('daily-post-'), wanted);
  await deps.scheduler.upsertSchedule(
    SWEEP.id,
    { pattern: SWEEP.pattern, tz: 'UTC' },
    { name: JOB.dailySweep, data: {} },
  );
  const open = await listOpenPrompts(deps.db);
  for (const prompt of open) await armClose(deps, prompt);
  return { schedules: wanted.size, removed, closes: open.length };
}

/**
 * Whether the scheduler lost what reconciling put there (Redis flushed or replaced): the sweep scheduler,
 * which exists whenever a worker has reconciled, is gone.
 */
export async function schedulesLost(deps: Deps): Promise<boolean> {
  return !(await deps.scheduler.hasSchedule(SWEEP.id));
}
