import type { HomeView, PracticeSummary, StatsView } from '../../content/stats-messages.ts';
import { UserError } from '../core/errors.ts';
import { STEPS, type StepKey } from '../core/framework.ts';
import type { Actor, Place } from '../core/types.ts';
import { findMemberByUser, type MemberRow } from '../db/queries/members.ts';
import { boardView, periodKey } from '../db/queries/points.ts';
import { answerCoverage, memberBoards, mockCounts, pointsSince, recentAwards } from '../db/queries/stats.ts';
import { dueCount, findPlan, reviewsSince } from '../db/queries/study.ts';
import type { Deps } from './deps.ts';
import { renderStatsCard } from './images.ts';
import { ensureChannel, ensureMember } from './members.ts';
import { dayRules, localDay, streakOf } from './streaks.ts';
import { endOfToday, memberZone, planView, today } from './study/plan.ts';

/** Days of activity the stats card shows. */
const ACTIVITY_DAYS = 84;

/**
 * What `/mlsd stats` and the App Home both show of a member's practice: answers and coverage per step
 * with the weakest named and the cards that help, mocks done and received, and the streak.
 */
async function practiceSummary(
  deps: Deps,
  member: MemberRow,
  now: Date,
): Promise<PracticeSummary & { today: string }> {
  const [coverage, mocks, streak] = await Promise.all([
    answerCoverage(deps.db, member.id),
    mockCounts(deps.db, member.id),
    streakOf(deps.db, member.id, now, dayRules(deps)),
  ]);
  const answered = STEPS.filter((step) => step in coverage.coverage);
  const weakest = answered.length
    ? answered.reduce((low, step) =>
        (coverage.coverage[step] ?? 0) < (coverage.coverage[low] ?? 0) ? step : low,
      )
    : undefined;
  const cards = weakest
    ? [...deps.library.cards.values()]
        .filter((card) => card.steps.includes(weakest as StepKey))
        .slice(0, 3)
        .map((card) => ({ id: card.id, title: card.title }))
    : [];
  const study = await studyProgress(deps, member);
  return {
    coverage,
    mocks,
    streak,
    today: streak.today,
    ...(weakest ? { weakest: { step: weakest, cards } } : {}),
    ...study,
  };
}

/** `/mlsd stats [@member]`: answers, coverage per step with the weakest named, mocks, streaks, rank, awards. */
export async function memberStats(
  deps: Deps,
  place: Place,
  actor: Actor,
  userId?: string,
): Promise<StatsView> {
  const channel = await ensureChannel(deps, place);
  const self = userId === undefined || userId === actor.userId;
  const member = self
    ? await ensureMember(deps, actor)
    : await findMemberByUser(deps.db, { platform: actor.platform, workspaceId: actor.workspaceId, userId });
  if (!member) throw new UserError('no-stats', { userId: userId ?? '' });
  const now = deps.clock.now();
  const [summary, awards, board] = await Promise.all([
    practiceSummary(deps, member, now),
    self ? recentAwards(deps.db, member.id, 10) : Promise.resolve([]),
    boardView(deps.db, channel.id, 'all', member.id, 0),
  ]);
  // A member who left the public boards keeps their rank to themselves.
  const rank = member.hiddenFromBoards && !self ? undefined : board.me;
  // The heatmap cuts days exactly as the streak does, so the two always agree.
  const { dayStartHour, defaultZone } = dayRules(deps);
  const activity = new Map<string, number>();
  for (const award of await pointsSince(
    deps.db,
    member.id,
    new Date(now.getTime() - ACTIVITY_DAYS * 86_400_000),
  )) {
    const day = localDay(award.at, member.timeZone ?? award.zone ?? defaultZone, dayStartHour);
    activity.set(day, (activity.get(day) ?? 0) + award.points);
  }
  const png = await renderStatsCard({
    name: member.displayName,
    activity,
    coverage: summary.coverage.coverage,
    streak: summary.streak.current,
    best: summary.streak.best,
    today: summary.today,
  });
  return {
    ...summary,
    self,
    member: {
      userId: member.userId,
      displayName: member.displayName,
      hiddenFromBoards: member.hiddenFromBoards,
    },
    ...(rank ? { rank: { rank: rank.rank, points: rank.points } } : {}),
    awards,
    png,
  };
}

/** Slack App Home: what `/mlsd stats` shows the viewer, and this week's board of each channel they earn points in. */
export async function homeView(deps: Deps, actor: Actor): Promise<HomeView> {
  const member = await ensureMember(deps, actor);
  const now = deps.clock.now();
  const [summary, boards] = await Promise.all([
    practiceSummary(deps, member, now),
    memberBoards(deps.db, member.id),
  ]);
  const views: HomeView['boards'] = [];
  for (const board of boards) {
    const week = await boardView(
      deps.db,
      board.channelId,
      periodKey('week', now, board.timeZone),
      member.id,
      5,
    );
    const all = await boardView(deps.db, board.channelId, 'all', member.id, 0);
    views.push({
      channel: board.name ?? String(board.channelId),
      top: week.top,
      ...(week.me && !week.me.hidden ? { week: week.me.rank } : {}),
      ...(all.me && !all.me.hidden ? { all: { rank: all.me.rank, of: all.shown } } : {}),
    });
  }
  return { ...summary, boards: views };
}

/** Where the member's plan and drill stand today, for stats and the App Home. */
async function studyProgress(
  deps: Deps,
  member: MemberRow,
): Promise<Pick<PracticeSummary, 'plan' | 'drillDue'>> {
  const plan = await findPlan(deps.db, member.id);
  const zone = await memberZone(deps, member, plan?.channelId);
  const day = today(deps.clock.now(), zone);
  const counts = await dueCount(deps.db, member.id, endOfToday(deps.clock.now(), zone));
  if (!plan) return counts.due > 0 ? { drillDue: counts.due } : {};
  const view = await planView(deps, member, plan, zone, counts);
  return {
    plan: {
      interviewDate: view.interviewDate,
      daysLeft: view.daysLeft,
      day: view.day,
      phase: view.phase,
      due: view.due,
      reviewedToday: await reviewsSince(deps.db, member.id, day.toJSDate()),
    },
  };
}
