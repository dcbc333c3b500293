import type { Actor, OutMessage, Place } from '../core/types.ts';
import { boardView, periodKey, setHidden } from '../db/queries/points.ts';
import { recentlyActive } from '../db/queries/stats.ts';
import type { Deps } from './deps.ts';
import { ensureChannel, ensureMember } from './members.ts';
import type { Period } from './schedule.ts';
import { dayRules, streakOf, streakText } from './streaks.ts';

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
    periodKey(period, deps.clock.now(), channel.timeZone),
    member.id,
  );
  const top = board.top;
  const now = deps.clock.now();
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

/** Within this long of their last on-time answer or mock, a member may still hold a streak. */
const STREAK_REACH_DAYS = 15;

/**
 * `/mlsd leaderboard streaks`: this channel's longest current streaks (best streak breaks ties), and the
 * caller's own. Hidden members stay off it.
 */
export async function streakLeaderboard(deps: Deps, place: Place, actor: Actor): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const member = await ensureMember(deps, actor);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - STREAK_REACH_DAYS * 86_400_000);
  const active = (await recentlyActive(deps.db, channel.id, since)).filter((row) => !row.hidden);
  const rows = await Promise.all(
    active.map(async (row) => ({ row, streak: await streakOf(deps.db, row.memberId, now, dayRules(deps)) })),
  );
  const ranked = rows
    .filter((item) => item.streak.current > 0)
    .sort(
      (a, b) =>
        b.streak.current - a.streak.current ||
        b.streak.best - a.streak.best ||
        a.row.displayName.localeCompare(b.row.displayName),
    );
  const lines = ranked
    .slice(0, 10)
    .map(
      (item, index) =>
        `${index + 1}. <@${item.row.userId}>: 🔥 ${item.streak.current} day${item.streak.current === 1 ? '' : 's'} (best ${item.streak.best})`,
    );
  const mine =
    rows.find((item) => item.row.memberId === member.id)?.streak ??
    (await streakOf(deps.db, member.id, now, dayRules(deps)));
  const yours = `Your streak: ${streakText(mine)}.`;
  return {
    text: lines.length
      ? `Longest current streaks:\n${lines.join('\n')}\n${yours}`
      : `No current streaks here yet: answer today's case (\`/mlsd daily\`) to start one. ${yours}`,
    title: '🔥 Longest current streaks',
    body: lines.length ? lines.join('\n') : 'No current streaks yet. Answer today’s case to start one.',
    footer: yours,
  };
}

/** `/mlsd leaderboard hide-me | show-me`: leave or rejoin public boards; own stats stay. */
export async function setBoardVisibility(deps: Deps, actor: Actor, hidden: boolean): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  await setHidden(deps.db, member.id, hidden);
  return {
    text: hidden
      ? "You're hidden from public leaderboards. Your points, streak and `/mlsd stats` are kept; `/mlsd leaderboard show-me` brings you back."
      : "You're back on the public leaderboards.",
  };
}
