// Copy for a member's own figures: /mlsd stats, the App Home, the weekly digest and /mlsd timezone.
import { STEP_SHORT, STEP_TITLES, STEPS, type StepKey } from '../src/core/framework.ts';
import type { OutMessage } from '../src/core/types.ts';
import { type StreakFigures, streakText } from './board-messages.ts';

const pct = (value: number | undefined) => `${Math.round((value ?? 0) * 100)}%`;
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

type CardLink = { id: string; title: string };

/** What `/mlsd stats` and the App Home both show of a member's practice. */
export type PracticeSummary = {
  coverage: { answers: number; revisions: number; coverage: Partial<Record<StepKey, number>> };
  mocks: { done: number; asCandidate: number; feedbackReceived: number };
  streak: StreakFigures;
  /** The step the member covers least, with cards that teach it. */
  weakest?: { step: StepKey; cards: CardLink[] };
  /** The member's study plan, when they have one. */
  plan?: {
    interviewDate: string;
    daysLeft: number;
    day: number;
    phase: string;
    due: number;
    reviewedToday: number;
  };
  /** Drill items due today (with or without a plan). */
  drillDue?: number;
};

function practiceSections(summary: PracticeSummary) {
  const { coverage, weakest } = summary;
  const practice = `${plural(coverage.answers, 'answer')}${coverage.revisions ? `, ${plural(coverage.revisions, 'revision')} as practice` : ''}`;
  return [
    {
      heading: `Coverage per step (${practice})`,
      body:
        coverage.answers || coverage.revisions
          ? STEPS.map((step) => `${STEP_SHORT[step]}: ${pct(coverage.coverage[step])}`).join('\n')
          : 'No answers yet: run `/mlsd daily` in a study channel.',
    },
    ...(weakest
      ? [
          {
            heading: `Weakest step: ${STEP_TITLES[weakest.step]}`,
            body: `Cards that help: ${weakest.cards.map((card) => `${card.title} (\`/mlsd card ${card.id}\`)`).join('; ')}`,
          },
        ]
      : []),
  ];
}

const PHASE_NAME: Record<string, string> = {
  learn: 'learn',
  drill: 'drill from memory',
  mock: 'mock interviews',
};

function practiceFields(summary: PracticeSummary) {
  const { mocks, plan } = summary;
  return [
    ...(plan
      ? [
          {
            name: 'Plan',
            value: `Interview in ${plural(plan.daysLeft, 'day')} (${plan.interviewDate}); day ${plan.day}, ${PHASE_NAME[plan.phase] ?? plan.phase}. Today: ${plural(plan.reviewedToday, 'review')} done, ${plan.due} due (\`/mlsd drill\`)`,
          },
        ]
      : summary.drillDue
        ? [{ name: 'Drill', value: `${summary.drillDue} due today (\`/mlsd drill\`)`, inline: true }]
        : []),
    { name: 'Streak', value: streakText(summary.streak), inline: true },
    {
      name: 'Mocks',
      value: `${mocks.done} done, ${mocks.asCandidate} as candidate, ${mocks.feedbackReceived} feedback received`,
      inline: true,
    },
  ];
}

export type StatsView = PracticeSummary & {
  /** Whether the viewer asked for their own stats. */
  self: boolean;
  member: { userId: string; displayName: string; hiddenFromBoards: boolean };
  /** The member's all-time rank in this channel, when they are on its public board. */
  rank?: { rank: number; points: number };
  /** The latest awards, for the member's own view. */
  awards: Array<{ points: number; reason: string }>;
  /** The 12-week activity and coverage card. */
  png: Uint8Array;
};

export function statsMessage(view: StatsView): OutMessage {
  const { member, coverage, mocks, streak, rank } = view;
  const who = view.self ? 'You' : `<@${member.userId}>`;
  return {
    text: `${who}: ${coverage.answers} answers, streak ${streak.current} (best ${streak.best}), ${mocks.done} mocks done${rank ? `, rank #${rank.rank} here` : ''}.`,
    title: `📊 Stats: ${member.displayName}`,
    fields: [
      ...practiceFields(view),
      {
        name: 'Rank here (all time)',
        value: rank
          ? `#${rank.rank} with ${rank.points} pts`
          : member.hiddenFromBoards
            ? 'not on public boards'
            : 'not ranked yet',
        inline: true,
      },
    ],
    sections: [
      ...practiceSections(view),
      ...(view.self && view.awards.length
        ? [
            {
              heading: 'Last awards',
              body: view.awards.map((award) => `+${award.points}: ${award.reason}`).join('\n'),
            },
          ]
        : []),
    ],
    image: {
      png: view.png,
      name: 'mlsd-stats.png',
      alt: `Activity over 12 weeks and coverage per step for ${member.displayName}`,
    },
    ...(member.hiddenFromBoards && view.self
      ? { footer: 'You are hidden from public boards (`/mlsd leaderboard show-me` to return).' }
      : {}),
  };
}

export type HomeView = PracticeSummary & {
  /** This week's board of each channel the member earns points in. */
  boards: Array<{
    channel: string;
    top: Array<{ rank: number; userId: string; points: number }>;
    week?: number;
    all?: { rank: number; of: number };
  }>;
};

export function homeMessage(view: HomeView): OutMessage {
  const boards = view.boards.map((board) => {
    const ranks = [
      board.week ? `#${board.week} this week` : undefined,
      board.all ? `#${board.all.rank} of ${board.all.of} all time` : undefined,
    ].filter(Boolean);
    return {
      heading: `#${board.channel}: this week`,
      body: `${board.top.map((row) => `${row.rank}. <@${row.userId}>: ${row.points} pts`).join('\n') || 'No points yet this week.'}${
        ranks.length ? `\nYou: ${ranks.join(', ')}` : ''
      }`,
    };
  });
  return {
    text: `Your mlsd-bot stats: streak ${view.streak.current}, ${view.coverage.answers} answers, ${view.mocks.done} mocks.`,
    title: '📊 Your ML system design practice',
    fields: practiceFields(view),
    sections: [...practiceSections(view), ...boards],
    footer: '/mlsd daily · /mlsd pair join · /mlsd stats · /mlsd timezone · /mlsd help',
  };
}

export type DigestView = {
  week: string;
  channel: string;
  answers: number;
  mocks: number;
  top: Array<{ userId: string; points: number }>;
  improved?: { userId: string; gain: number };
  streaks: Array<{ userId: string; days: number }>;
  weakest?: { step: StepKey; coverage: number; card?: CardLink };
  png: Uint8Array;
};

/** The week in review, posted to the channel; <@id> renders as a mention everywhere (@name in the console). */
export function digestMessage(view: DigestView): OutMessage {
  const { weakest } = view;
  return {
    text: `Week ${view.week} in review: ${view.answers} answers, ${view.mocks} mocks completed.`,
    title: `🗓️ Week in review (${view.week})`,
    fields: [
      { name: 'Answers', value: String(view.answers), inline: true },
      { name: 'Mocks completed', value: String(view.mocks), inline: true },
      {
        name: 'Top 5',
        value:
          view.top.map((row, index) => `${index + 1}. <@${row.userId}>: ${row.points} pts`).join('\n') ||
          'No points this week.',
      },
      ...(view.improved
        ? [
            {
              name: 'Most improved',
              value: `<@${view.improved.userId}>: +${view.improved.gain} pts on last week`,
            },
          ]
        : []),
      ...(view.streaks.length
        ? [
            {
              name: 'Longest streaks',
              value: view.streaks.map((row) => `<@${row.userId}>: ${row.days} days`).join('\n'),
            },
          ]
        : []),
      ...(weakest
        ? [
            {
              name: 'The group’s weakest step',
              value: `${STEP_TITLES[weakest.step]} (${pct(weakest.coverage)} average coverage)${weakest.card ? `. Study this card: ${weakest.card.title} (\`/mlsd card ${weakest.card.id}\`)` : ''}`,
            },
          ]
        : []),
    ],
    image: { png: view.png, name: 'mlsd-week.png', alt: `Top 5 of the week ${view.week}` },
  };
}

/** The title and subtitle of the digest's image. */
export const digestCardTitle = (view: { week: string; channel: string; answers: number; mocks: number }) => ({
  title: `Week in review · ${view.channel}`,
  subtitle: `${view.week} · ${view.answers} answers · ${view.mocks} mocks`,
});

export type TimeZoneView =
  | { kind: 'profile-wins'; profile: string }
  | { kind: 'set'; zone: string; localNow: string; dayStart: string }
  | { kind: 'member'; zone: string; fromProfile: boolean; dayStart: string }
  | { kind: 'channel'; zone: string; dayStart: string };

export function timeZoneText(view: TimeZoneView): string {
  switch (view.kind) {
    case 'profile-wins':
      return `Your chat profile gives me your time zone, ${view.profile}, with every message, so that is the one I use. Change it in your profile settings and I'll follow.`;
    case 'set':
      return `Your time zone is now ${view.zone}. Streak days are your days there, starting at ${view.dayStart}; it is ${view.localNow} for you now.`;
    case 'member':
      return `Your time zone is ${view.zone}${view.fromProfile ? ' (from your chat profile)' : ''}: streak days are your days there, starting at ${view.dayStart}.${view.fromProfile ? '' : ' Change it with `/mlsd timezone <IANA zone>`.'}`;
    case 'channel':
      return `You have not set a time zone, so your streak days follow this channel's, ${view.zone}, starting at ${view.dayStart}. Set yours with \`/mlsd timezone Europe/Berlin\` (any IANA zone).`;
  }
}
