import type { Actor, OutMessage, Place } from '../core/types.ts';
import { boardView, periodKey } from '../db/queries/points.ts';
import type { Deps } from './deps.ts';
import { ensureChannel, ensureMember } from './members.ts';
import type { Period } from './schedule.ts';
import { dayRules, streakOf } from './stats.ts';

const PERIOD_LABEL = { week: 'this week', month: 'this month', all: 'all time' } as const;

/**
 * `/mlsd leaderboard`: this channel's top 10 for a period (in the channel's time zone) with each one's
 * current streak, and the caller's rank.
 */
export async function channelLeaderboard(
  deps: Deps,
  place: Place,
  actor: Actor,
  period: Period,
): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const member = await ensureMember(deps, actor);
  const board = await boardView(
    deps.db,
    channel.id,
    periodKey(period, deps.now(), channel.timeZone),
    member.id,
  );
  const top = board.top;
  const now = deps.now();
  const streaks = await Promise.all(top.map((row) => streakOf(deps.db, row.memberId, now, dayRules(deps))));
  // Every platform renders <@id> as a mention (the console as @name).
  const lines = top.map((row, index) => {
    const streak = streaks[index]?.current ?? 0;
    return `${row.rank}. <@${row.userId}>: ${row.points} pts${streak > 0 ? ` · 🔥 ${streak}-day streak` : ''}`;
  });
  const yours = board.me?.hidden
    ? `You are hidden from this board (${board.me.points} pts). \`/mlsd leaderboard show-me\` to rejoin.`
    : board.me
      ? `You are #${board.me.rank} of ${board.shown} with ${board.me.points} pts.`
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
