import type { Actor, OutMessage, Place } from '../core/types.ts';
import { channelStandings, periodKey } from '../db/queries/points.ts';
import type { Deps } from './deps.ts';
import { ensureChannel } from './members.ts';
import type { Period } from './schedule.ts';

const PERIOD_LABEL = { week: 'this week', month: 'this month', all: 'all time' } as const;

/** `/mlsd leaderboard`: this channel's top 10 for a period (in the channel's time zone) and the caller's rank. */
export async function channelLeaderboard(
  deps: Deps,
  place: Place,
  actor: Actor,
  period: Period,
): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const all = await channelStandings(deps.db, channel.id, periodKey(period, deps.now(), channel.timeZone));
  // Hidden members leave the public board; ranks are recounted among those shown (ties share a rank).
  const standings = all.filter((row) => !row.hidden || row.userId === actor.userId);
  let rank = 0;
  let previous: number | undefined;
  const ranked = all
    .filter((row) => !row.hidden)
    .map((row, index) => {
      if (row.points !== previous) rank = index + 1;
      previous = row.points;
      return { ...row, rank };
    });
  const top = ranked.slice(0, 10);
  // Every platform renders <@id> as a mention (the console as @name).
  const mention = (userId: string) => `<@${userId}>`;
  const lines = top.map((row) => `${row.rank}. ${mention(row.userId)}: ${row.points} pts`);
  const mine = standings.find((row) => row.userId === actor.userId);
  const shown = ranked.find((row) => row.userId === actor.userId);
  const yours = mine?.hidden
    ? `You are hidden from this board (${mine.points} pts). \`/mlsd leaderboard show-me\` to rejoin.`
    : shown
      ? `You are #${shown.rank} of ${ranked.length} with ${shown.points} pts.`
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
