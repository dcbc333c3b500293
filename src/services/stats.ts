import { STEP_SHORT, STEP_TITLES, STEPS, type StepKey } from '../core/framework.ts';
import type { Actor, OutMessage, Place } from '../core/types.ts';
import { findMemberByUser, type MemberRow } from '../db/queries/members.ts';
import { boardView, periodKey } from '../db/queries/points.ts';
import { answerCoverage, memberBoards, mockCounts, pointsSince, recentAwards } from '../db/queries/stats.ts';
import type { Deps } from './deps.ts';
import { renderStatsCard } from './images.ts';
import { ensureChannel, ensureMember } from './members.ts';
import { dayRules, localDay, streakOf, streakText } from './streaks.ts';

const pct = (value: number | undefined) => `${Math.round((value ?? 0) * 100)}%`;

/**
 * What `/mlsd stats` and the Slack App Home both show of a member's practice: answers and coverage per step
 * with the weakest named and the cards that help, mocks done and received, and the streak.
 */
async function practiceSummary(deps: Deps, member: MemberRow, now: Date) {
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
    ? [...deps.library.cards.values()].filter((card) => card.steps.includes(weakest as StepKey)).slice(0, 3)
    : [];
  const sections = [
    {
      heading: `Coverage per step (${coverage.answers} answer${coverage.answers === 1 ? '' : 's'}${coverage.revisions ? `, ${coverage.revisions} revision${coverage.revisions === 1 ? '' : 's'} as practice` : ''})`,
      body:
        coverage.answers || coverage.revisions
          ? STEPS.map((step) => `${STEP_SHORT[step]}: ${pct(coverage.coverage[step])}`).join('\n')
          : 'No answers yet: run `/mlsd daily` in a study channel.',
    },
    ...(weakest
      ? [
          {
            heading: `Weakest step: ${STEP_TITLES[weakest]}`,
            body: `Cards that help: ${cards.map((card) => `${card.title} (\`/mlsd card ${card.id}\`)`).join('; ')}`,
          },
        ]
      : []),
  ];
  const fields = [
    { name: 'Streak', value: streakText(streak), inline: true },
    {
      name: 'Mocks',
      value: `${mocks.done} done, ${mocks.asCandidate} as candidate, ${mocks.feedbackReceived} feedback received`,
      inline: true,
    },
  ];
  return { coverage, mocks, streak, sections, fields };
}

/** `/mlsd stats [@member]`: answers, coverage per step with the weakest named, mocks, streaks, rank, awards. */
export async function memberStats(
  deps: Deps,
  place: Place,
  actor: Actor,
  userId?: string,
): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const self = userId === undefined || userId === actor.userId;
  const member = self
    ? await ensureMember(deps, actor)
    : await findMemberByUser(deps.db, { platform: actor.platform, workspaceId: actor.workspaceId, userId });
  if (!member)
    return { text: `I have no stats for <@${userId}> yet: they have not answered or done a mock here.` };
  const now = deps.clock.now();
  const [summary, awards, board] = await Promise.all([
    practiceSummary(deps, member, now),
    self ? recentAwards(deps.db, member.id, 10) : Promise.resolve([]),
    boardView(deps.db, channel.id, 'all', member.id, 0),
  ]);
  const { coverage, mocks, streak } = summary;
  // A member who left the public boards keeps their rank to themselves.
  const row = member.hiddenFromBoards && !self ? undefined : board.me;
  // The heatmap cuts days exactly as the streak does, so the two always agree.
  const { dayStartHour, defaultZone } = dayRules(deps);
  const activity = new Map<string, number>();
  for (const award of await pointsSince(deps.db, member.id, new Date(now.getTime() - 84 * 86_400_000))) {
    const day = localDay(award.at, member.timeZone ?? award.zone ?? defaultZone, dayStartHour);
    activity.set(day, (activity.get(day) ?? 0) + award.points);
  }
  const png = await renderStatsCard({
    name: member.displayName,
    activity,
    coverage: coverage.coverage,
    streak: streak.current,
    best: streak.best,
    today: streak.today,
  });
  const who = self ? 'You' : `<@${member.userId}>`;
  return {
    text: `${who}: ${coverage.answers} answers, streak ${streak.current} (best ${streak.best}), ${mocks.done} mocks done${row ? `, rank #${row.rank} here` : ''}.`,
    title: `📊 Stats: ${member.displayName}`,
    fields: [
      ...summary.fields,
      {
        name: 'Rank here (all time)',
        value: row
          ? `#${row.rank} with ${row.points} pts`
          : member.hiddenFromBoards
            ? 'not on public boards'
            : 'not ranked yet',
        inline: true,
      },
    ],
    sections: [
      ...summary.sections,
      ...(self && awards.length
        ? [
            {
              heading: 'Last awards',
              body: awards.map((award) => `+${award.points}: ${award.reason}`).join('\n'),
            },
          ]
        : []),
    ],
    image: {
      png,
      name: 'mlsd-stats.png',
      alt: `Activity over 12 weeks and coverage per step for ${member.displayName}`,
    },
    ...(member.hiddenFromBoards && self
      ? { footer: 'You are hidden from public boards (`/mlsd leaderboard show-me` to return).' }
      : {}),
  };
}

/** Slack App Home: what `/mlsd stats` shows the viewer, and this week's board of each channel they earn points in. */
export async function homeView(deps: Deps, actor: Actor): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  const now = deps.clock.now();
  const [summary, boards] = await Promise.all([
    practiceSummary(deps, member, now),
    memberBoards(deps.db, member.id),
  ]);
  const sections = [...summary.sections];
  for (const board of boards) {
    const week = await boardView(
      deps.db,
      board.channelId,
      periodKey('week', now, board.timeZone),
      member.id,
      5,
    );
    const all = await boardView(deps.db, board.channelId, 'all', member.id, 0);
    const ranks = [
      week.me && !week.me.hidden ? `#${week.me.rank} this week` : undefined,
      all.me && !all.me.hidden ? `#${all.me.rank} of ${all.shown} all time` : undefined,
    ].filter(Boolean);
    sections.push({
      heading: `#${board.name ?? board.channelId}: this week`,
      body: `${week.top.map((row) => `${row.rank}. <@${row.userId}>: ${row.points} pts`).join('\n') || 'No points yet this week.'}${
        ranks.length ? `\nYou: ${ranks.join(', ')}` : ''
      }`,
    });
  }
  const { coverage, mocks, streak } = summary;
  return {
    text: `Your mlsd-bot stats: streak ${streak.current}, ${coverage.answers} answers, ${mocks.done} mocks.`,
    title: '📊 Your ML system design practice',
    fields: summary.fields,
    sections,
    footer: '/mlsd daily · /mlsd pair join · /mlsd stats · /mlsd timezone · /mlsd help',
  };
}
