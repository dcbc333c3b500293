// When rounds run: a channel's round schedule, its mirror in the scheduler, and the day-before notice.
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { type PairScheduleView, roundNotice } from '../../../content/pairing-messages.ts';
import type { Actor, Place } from '../../core/types.ts';
import { type ChannelRow, findChannel, updateChannel } from '../../db/queries/channels.ts';
import {
  listActivePairMembers,
  listPairEnabledChannels,
  noticeSent,
  recordNotice,
} from '../../db/queries/pairing.ts';
import { type Deps, ensureScheduler, notifierFor } from '../deps.ts';
import { syncDigest } from '../digest.ts';
import { JOB, removeStaleSchedules } from '../jobs.ts';
import { ensureChannel, placeOfChannel } from '../members.ts';
import { cronPattern, formatLocal } from '../schedule.ts';
import { sendOnce } from '../sends.ts';

export const pairRoundScheduleId = (channelId: number) => `pair-round-${channelId}`;
export const pairNoticeScheduleId = (channelId: number) => `pair-notice-${channelId}`;

export const DAY = 86_400_000; // ms

export const pairZone = (channel: ChannelRow) => channel.pairTimeZone ?? channel.timeZone;
const roundPattern = (channel: ChannelRow) => cronPattern(channel.pairTime, [channel.pairDay]);
// The day before, same time: for the notice with its "skip this round" button.
const noticePattern = (channel: ChannelRow) =>
  cronPattern(channel.pairTime, [channel.pairDay === 1 ? 7 : channel.pairDay - 1]);

/** Biweekly rounds run in even ISO weeks (in the channel's zone), so every process agrees which weeks. */
export function roundWeek(channel: ChannelRow, at: Date): boolean {
  if (channel.pairCadence !== 'biweekly') return true;
  return DateTime.fromJSDate(at, { zone: pairZone(channel) }).weekNumber % 2 === 0;
}

export function nextRoundTime(channel: ChannelRow, after: Date): Date {
  const interval = CronExpressionParser.parse(roundPattern(channel), {
    currentDate: after,
    tz: pairZone(channel),
  });
  for (let tries = 0; tries < 3; tries += 1) {
    const next = interval.next().toDate();
    if (roundWeek(channel, next)) return next;
  }
  return interval.next().toDate();
}

/** The scheduled time a cron-fired round belongs to: its latest occurrence, so a repeat fire maps to it too. */
export function scheduledRoundTime(channel: ChannelRow, now: Date): Date {
  const interval = CronExpressionParser.parse(roundPattern(channel), {
    currentDate: new Date(now.getTime() + 60_000),
    tz: pairZone(channel),
  });
  return interval.prev().toDate();
}

export type PairScheduleInput = {
  cadence: 'weekly' | 'biweekly';
  day: number;
  time: string;
  timezone?: string | undefined;
};

/** `/mlsd pair schedule`: stores the round schedule and mirrors it into the scheduler. */
export async function setPairSchedule(
  deps: Deps,
  place: Place,
  actor: Actor,
  input: PairScheduleInput,
): Promise<PairScheduleView> {
  const channel = await ensureChannel(deps, place);
  await ensureScheduler(deps);
  const updated = await updateChannel(
    deps.db,
    channel.id,
    {
      pairEnabled: true,
      pairCadence: input.cadence,
      pairDay: input.day,
      pairTime: input.time,
      pairTimeZone: input.timezone ?? channel.pairTimeZone ?? actor.timeZone ?? channel.timeZone,
    },
    deps.clock.now(),
  );
  await syncPairSchedule(deps, updated);
  return {
    cadence: input.cadence,
    day: input.day,
    time: input.time,
    zone: pairZone(updated),
    next: formatLocal(nextRoundTime(updated, deps.clock.now()), pairZone(updated)),
  };
}

/** `/mlsd pair off`: no more scheduled rounds here (`/mlsd pair now` still runs one). */
export async function disablePairSchedule(deps: Deps, place: Place): Promise<void> {
  const channel = await ensureChannel(deps, place);
  await ensureScheduler(deps);
  const updated = await updateChannel(deps.db, channel.id, { pairEnabled: false }, deps.clock.now());
  await syncPairSchedule(deps, updated);
}

async function syncPairSchedule(deps: Deps, channel: ChannelRow): Promise<void> {
  await syncDigest(deps, channel);
  if (!channel.pairEnabled) {
    await deps.scheduler.removeSchedule(pairRoundScheduleId(channel.id));
    await deps.scheduler.removeSchedule(pairNoticeScheduleId(channel.id));
    return;
  }
  await deps.scheduler.upsertSchedule(
    pairRoundScheduleId(channel.id),
    { pattern: roundPattern(channel), tz: pairZone(channel) },
    { name: JOB.pairRound, data: { channelId: channel.id } },
  );
  await deps.scheduler.upsertSchedule(
    pairNoticeScheduleId(channel.id),
    { pattern: noticePattern(channel), tz: pairZone(channel) },
    { name: JOB.pairNotice, data: { channelId: channel.id } },
  );
}

/** Rebuilds the pairing schedulers from Postgres, removing stale ones. */
export async function reconcilePairing(deps: Deps): Promise<number> {
  const enabled = await listPairEnabledChannels(deps.db);
  const wanted = new Set<string>();
  for (const channel of enabled) {
    wanted.add(pairRoundScheduleId(channel.id));
    wanted.add(pairNoticeScheduleId(channel.id));
    await syncPairSchedule(deps, channel);
  }
  await removeStaleSchedules(deps, (id) => /^pair-(round|notice)-\d+$/.test(id), wanted);
  return enabled.length;
}

/** The day before a round: each opted-in member gets a notice with a "skip this round" button, once. */
export async function sendNotice(deps: Deps, channelId: number): Promise<number> {
  const channel = await findChannel(deps.db, channelId);
  if (!channel?.pairEnabled) return 0;
  const next = nextRoundTime(channel, deps.clock.now());
  if (next.getTime() - deps.clock.now().getTime() > 2 * DAY) return 0;
  if (await noticeSent(deps.db, channel.id, next)) return 0;
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  const opted = await listActivePairMembers(deps.db, channel.id);
  for (const { pair, userId } of opted) {
    if (pair.pausedUntil && pair.pausedUntil > next) continue;
    const notice = roundNotice({
      when: formatLocal(next, pair.timeZone ?? pairZone(channel)),
      channelId: channel.id,
      millis: next.getTime(),
    });
    await sendOnce(deps, `notice:${channel.id}:${next.getTime()}:${pair.memberId}`, (once) =>
      notifier.sendDirect(channel.workspaceId, userId, notice, once),
    );
  }
  await recordNotice(deps.db, channel.id, next);
  return opted.length;
}
