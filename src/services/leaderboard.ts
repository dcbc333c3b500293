import type { LeaderboardView, StreakBoardView } from '../../content/board-messages.ts';
import type { Actor, Place } from '../core/types.ts';
import { boardView, periodKey, setHidden } from '../db/queries/points.ts';
import { recentlyActive } from '../db/queries/stats.ts';
import type { Deps } from './deps.ts';
import { ensureChannel, ensureMember } from './members.ts';
import type { Period } from './schedule.ts';
import { dayRules, streakOf } from './streaks.ts';

/**
 * `/mlsd leaderboard`: this channel's top 10 for a period (in the channel's time zone) with each one's
 * current streak, and the caller's rank.
 */
export async function channelLeaderboard(
  deps: Deps,
  place: Place,
  actor: Actor,
  period: Period,
): Promise<LeaderboardView> {
  const channel = await ensureChannel(deps, place);
  const member = await ensureMember(deps, actor);
  const board = await boardView(
    deps.db,
    channel.id,
    periodKey(period, deps.clock.now(), channel.timeZone),
    member.id,
  );
  const now = deps.clock.now();
  const streaks = await Promise.all(
    board.top.map((row) => streakOf(deps.db, row.memberId, now, dayRules(deps))),
  );
  return {
    period,
    top: board.top.map((row, index) => ({
      rank: row.rank,
      userId: row.userId,
      points: row.points,
      streak: streaks[index]?.current ?? 0,
    })),
    shown: board.shown,
    me: board.me,
  };
}

/** Within this long of their last on-time answer or mock, a member may still hold a streak. */
const STREAK_REACH_DAYS = 15;

/**
 * `/mlsd leaderboard streaks`: this channel's longest current streaks (best streak breaks ties), and the
 * caller's own. Hidden members stay off it.
 */
export async function streakLeaderboard(deps: Deps, place: Place, actor: Actor): Promise<StreakBoardView> {
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
  const mine =
    rows.find((item) => item.row.memberId === member.id)?.streak ??
    (await streakOf(deps.db, member.id, now, dayRules(deps)));
  return {
    top: ranked.slice(0, 10).map((item) => ({ userId: item.row.userId, ...item.streak })),
    mine,
  };
}

/** `/mlsd leaderboard hide-me | show-me`: leave or rejoin public boards; own stats stay. */
export async function setBoardVisibility(
  deps: Deps,
  actor: Actor,
  hidden: boolean,
): Promise<{ hidden: boolean }> {
  const member = await ensureMember(deps, actor);
  await setHidden(deps.db, member.id, hidden);
  return { hidden };
}
