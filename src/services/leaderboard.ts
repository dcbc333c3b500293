import type { Actor, OutMessage, Place } from '../core/types.ts';
import { channelStandings } from '../db/queries/points.ts';
import type { Deps } from './deps.ts';
import { ensureChannel } from './members.ts';
import { type Period, periodStart } from './schedule.ts';

const PERIOD_LABEL = { week: 'this week', month: 'this month', all: 'all time' } as const;

/** `/mlsd leaderboard`: this channel's top 10 for a period (in the channel's time zone) and the caller's rank. */
export async function channelLeaderboard(
  deps: Deps,
  place: Place,
  actor: Actor,
  period: Period,
): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const since = periodStart(period, deps.now(), channel.timeZone);
  const standings = await channelStandings(deps.db, channel.id, since);
  const top = standings.slice(0, 10);
  const mention = (userId: string, name: string) => (place.platform === 'console' ? name : `<@${userId}>`);
  const lines = top.map((row) => `${row.rank}. ${mention(row.userId, row.displayName)}: ${row.points} pts`);
  const mine = standings.find((row) => row.userId === actor.userId);
  const yours = mine
    ? `You are #${mine.rank} of ${standings.length} with ${mine.points} pts.`
    : 'You have no points here yet: answer today’s case to get on the board.';
  return {
    text: top.length
      ? `Leaderboard (${PERIOD_LABEL[period]}):\n${lines.join('\n')}\n${yours}`
      : `No points yet ${PERIOD_LABEL[period]}. Answer today's case (\`/mlsd daily\`) to start the board.`,
    title: `🏆 Leaderboard: ${PERIOD_LABEL[period]}`,
    body: top.length ? lines.join('\n') : 'No points yet. Answer today’s case to start the board.',
    footer: yours,
  };
}
