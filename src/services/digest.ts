import { DateTime } from 'luxon';
import { digestCardTitle, digestMessage } from '../../content/stats-messages.ts';
import { STEPS, type StepKey } from '../core/framework.ts';
import type { OutMessage } from '../core/types.ts';
import { type ChannelRow, findChannel, listChannels } from '../db/queries/channels.ts';
import { channelStandings, periodKey } from '../db/queries/points.ts';
import { channelWeek, digestPosted, recordDigest } from '../db/queries/stats.ts';
import { type Deps, notifierFor } from './deps.ts';
import { renderBoardCard } from './images.ts';
import { JOB, removeStaleSchedules } from './jobs.ts';
import { placeOfChannel } from './members.ts';
import { sendOnce } from './sends.ts';
import { dayRules, streakOf } from './streaks.ts';

export const DIGEST = { pattern: '0 18 * * 0' } as const; // Sunday 18:00, channel time
export const digestScheduleId = (channelId: number) => `weekly-digest-${channelId}`;

/** Gives a channel its weekly digest scheduler while it has a daily schedule or pairing rounds. */
export async function syncDigest(deps: Deps, channel: ChannelRow): Promise<boolean> {
  if (!channel.dailyEnabled && !channel.pairEnabled) {
    await deps.scheduler.removeSchedule(digestScheduleId(channel.id));
    return false;
  }
  await deps.scheduler.upsertSchedule(
    digestScheduleId(channel.id),
    { pattern: DIGEST.pattern, tz: channel.timeZone },
    { name: JOB.weeklyDigest, data: { channelId: channel.id } },
  );
  return true;
}

/** Keeps one weekly digest scheduler per active channel, and none for the rest. */
export async function reconcileDigests(deps: Deps): Promise<number> {
  const wanted = new Set<string>();
  for (const channel of await listChannels(deps.db)) {
    if (await syncDigest(deps, channel)) wanted.add(digestScheduleId(channel.id));
  }
  await removeStaleSchedules(deps, (id) => id.startsWith('weekly-digest-'), wanted);
  return wanted.size;
}

/**
 * The week in a channel: top 5, most improved, longest streaks, mocks completed, and the step the group
 * covered least, with one card to study. Posted once per channel and week, however often the job runs.
 */
export async function weeklyDigest(deps: Deps, channelId: number): Promise<OutMessage | undefined> {
  const channel = await findChannel(deps.db, channelId);
  if (!channel) return undefined;
  const now = DateTime.fromJSDate(deps.clock.now(), { zone: channel.timeZone });
  const weekStart = now.startOf('week');
  const weekKey = `${weekStart.weekYear}-W${String(weekStart.weekNumber).padStart(2, '0')}`;
  if (await digestPosted(deps.db, channel.id, weekKey)) return undefined;
  const [thisWeek, lastWeek, week] = await Promise.all([
    channelStandings(deps.db, channel.id, periodKey('week', weekStart.toJSDate(), channel.timeZone)),
    channelStandings(
      deps.db,
      channel.id,
      periodKey('week', weekStart.minus({ weeks: 1 }).toJSDate(), channel.timeZone),
    ),
    channelWeek(deps.db, channel.id, weekStart.toJSDate()),
  ]);
  const visible = thisWeek.filter((row) => !row.hidden);
  const previous = new Map(lastWeek.map((row) => [row.memberId, row.points]));
  const improved = visible
    .map((row) => ({ row, gain: row.points - (previous.get(row.memberId) ?? 0) }))
    .sort((a, b) => b.gain - a.gain)[0];
  const streaks = await Promise.all(
    visible.map(async (row) => ({
      row,
      streak: await streakOf(deps.db, row.memberId, deps.clock.now(), dayRules(deps)),
    })),
  );
  const longest = streaks
    .filter((item) => item.streak.current > 1)
    .sort((a, b) => b.streak.current - a.streak.current)
    .slice(0, 3);
  const weakest = STEPS.filter((step) => step in week.coverage).sort(
    (a, b) => (week.coverage[a] ?? 0) - (week.coverage[b] ?? 0),
  )[0] as StepKey | undefined;
  const card = weakest
    ? [...deps.library.cards.values()].find((item) => item.steps.includes(weakest))
    : undefined;
  const top = visible.slice(0, 5);
  const figures = {
    week: weekKey,
    channel: channel.name ?? 'study channel',
    answers: week.answers,
    mocks: week.mocks,
  };
  const message = digestMessage({
    ...figures,
    top: top.map((row) => ({ userId: row.userId, points: row.points })),
    ...(improved && improved.gain > 0
      ? { improved: { userId: improved.row.userId, gain: improved.gain } }
      : {}),
    streaks: longest.map((item) => ({ userId: item.row.userId, days: item.streak.current })),
    ...(weakest
      ? {
          weakest: {
            step: weakest,
            coverage: week.coverage[weakest] ?? 0,
            ...(card ? { card: { id: card.id, title: card.title } } : {}),
          },
        }
      : {}),
    png: await renderBoardCard({
      ...digestCardTitle(figures),
      rows: top.map((row) => ({ name: row.displayName, points: row.points })),
    }),
  });
  const place = placeOfChannel(channel);
  const { fresh } = await sendOnce(deps, `digest:${channel.id}:${weekKey}`, (once) =>
    notifierFor(deps, place.platform).post(place, message, once),
  );
  await recordDigest(deps.db, channel.id, weekKey);
  return fresh ? message : undefined;
}
