// Copy for the personal study journey: /mlsd plan, the morning DM and /mlsd drill.
import { STEP_SHORT, STEP_TITLES, type StepKey } from '../src/core/framework.ts';
import type { Button, FormSpec, OutMessage } from '../src/core/types.ts';

type Phase = 'learn' | 'drill' | 'mock';

const PHASE = {
  learn: 'learn the framework and the trade-off cards',
  drill: 'rebuild case studies from memory',
  mock: 'mock interviews with a peer',
} as const;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export type PlanView = {
  interviewDate: string;
  daysLeft: number;
  level: string;
  morningTime: string;
  zone: string;
  phase: Phase;
  /** Day of the plan, 1 on its first day. */
  day: number;
  shape: {
    learn: number;
    drill: number;
    mock: number;
    fit: 'standard' | 'compressed' | 'repeated';
    passes: number;
  };
  due: number;
  unseen: number;
};

function fitLine(view: PlanView): string {
  const { shape } = view;
  const phases = `days 1-${shape.learn} learn, ${shape.drill ? `days ${shape.learn + 1}-${shape.learn + shape.drill} drill from memory, ` : ''}${shape.mock ? `then ${plural(shape.mock, 'day')} of mock interviews` : 'no time for mocks'}`;
  switch (shape.fit) {
    case 'compressed':
      return `${view.daysLeft} days is less than the usual 10 before mocks, so the plan is compressed: ${phases}. Expect more each day.`;
    case 'repeated':
      return `${view.daysLeft} days leaves room to repeat: ${phases}, and every case you rebuild comes back ${shape.passes} times or more as spaced repetition asks for it.`;
    default:
      return `The usual plan fits: ${phases}.`;
  }
}

export function planMessage(view: PlanView, justSet = false): OutMessage {
  return {
    text: `${justSet ? 'Plan set' : 'Your plan'}: interview on ${view.interviewDate}, ${plural(view.daysLeft, 'day')} to go, day ${view.day} (${PHASE[view.phase]}).`,
    title: `🗓️ ${justSet ? 'Plan set' : 'Your plan'}: interview ${view.interviewDate} (${view.level})`,
    body: fitLine(view),
    fields: [
      { name: 'Days to go', value: String(view.daysLeft), inline: true },
      { name: 'Today', value: `Day ${view.day}: ${PHASE[view.phase]}`, inline: true },
      { name: 'Due to recall', value: `${view.due} (${view.unseen} new)`, inline: true },
    ],
    footer: `A DM with the day's tasks every morning at ${view.morningTime} (${view.zone}); \`/mlsd plan time 07:30\` moves it, \`/mlsd drill\` starts, \`/mlsd plan off\` stops.`,
  };
}

export const planOffText = () =>
  'Plan removed: no more morning DMs. What you drilled stays; `/mlsd drill` still works.';

export const planTimeText = (time: string, zone: string) =>
  `Your morning DM now comes at ${time} (${zone}). Your time zone is set with \`/mlsd timezone\`.`;

export type MorningView = {
  plan: PlanView;
  /** New items met today, by name. */
  fresh: string[];
  /** Cases to rebuild from memory today, by title. */
  cases: string[];
  /** The channel where mocks are joined, in the mock phase. */
  mockChannel?: number | undefined;
  joined?: boolean;
};

export function morningMessage(view: MorningView): OutMessage {
  const { plan } = view;
  const tasks = [
    plan.due > 0
      ? `• Recall ${plural(plan.due, 'item')} from memory (\`/mlsd drill\`): rate yourself honestly, the schedule adapts.`
      : undefined,
    view.fresh.length
      ? `• New today: ${view.fresh.slice(0, 6).join('; ')}${view.fresh.length > 6 ? ` and ${view.fresh.length - 6} more` : ''}.`
      : undefined,
    view.cases.length
      ? `• Rebuild from memory, step by step: ${view.cases.join('; ')}. Cover the page first.`
      : undefined,
    plan.phase === 'mock'
      ? view.joined
        ? '• Mock phase: you are in the peer mock rounds; confirm your slot with your partner.'
        : '• Mock phase: join the peer mock rounds to practise out loud with a partner.'
      : undefined,
  ].filter(Boolean);
  return {
    text: `Day ${plan.day} of your plan: ${plural(plan.daysLeft, 'day')} to your interview. ${plan.due} to recall today.`,
    title: `☀️ Day ${plan.day}: ${PHASE[plan.phase]}`,
    body: tasks.join('\n') || 'Nothing due today: rest, or run `/mlsd drill` to get ahead.',
    footer: `Interview on ${plan.interviewDate}. Missed a day? It rolls forward: nothing piles up.`,
    buttons: [
      { id: 'drill:start', label: 'Start drilling', style: 'primary' },
      ...(plan.phase === 'mock' && !view.joined && view.mockChannel
        ? [{ id: `plan:join:${view.mockChannel}`, label: 'Join peer mocks' } satisfies Button]
        : []),
    ],
  };
}

export const planNudgeText = (days: number) =>
  `Three quiet days on your plan (${plural(days, 'day')} to the interview). Ten minutes of \`/mlsd drill\` today keeps what you learned; I won't nudge again until you're back.`;

export const mockJoinedText = () =>
  "You're in the peer mock rounds here. You'll get your partner and case when the next round starts.";

/** A drill item as shown: its front, and what revealing it shows. */
export type DrillItemView =
  | { kind: 'card'; key: string; reps: number; title: string; question: string; answer: string; when: string }
  | {
      kind: 'step';
      key: string;
      reps: number;
      step: StepKey;
      number: number;
      strong: string;
      questions: string;
    }
  | { kind: 'recall'; key: string; reps: number; step: StepKey; caseTitle: string; scenario: string };

export type DrillView = {
  /** What happened to the previous item, when there was one. */
  saved?: { rating: 1 | 2 | 3 | 4; nextIn: string; coverage?: number; missed?: string[]; outline?: string };
  item?: DrillItemView;
  /** Items still due today, the shown one included. */
  left: number;
  /** When nothing is due: reviews done today and when the next item comes. */
  doneToday?: number;
  nextAt?: string;
};

const RATING_NAMES = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' } as const;

function savedLine(saved: NonNullable<DrillView['saved']>): string {
  const coverage =
    saved.coverage === undefined ? '' : `You covered ${Math.round(saved.coverage * 100)}% of the step: `;
  const missed = saved.missed?.length ? ` Missing: ${saved.missed.slice(0, 4).join(', ')}.` : '';
  return `${coverage}${RATING_NAMES[saved.rating]}, back ${saved.nextIn}.${missed}`;
}

function front(item: DrillItemView): { title: string; body: string; buttons: Button[] } {
  switch (item.kind) {
    case 'card':
      return {
        title: `🃏 ${item.title}`,
        body: `${item.question}\n\nAnswer it in your head (or out loud), then reveal.`,
        buttons: [{ id: `drill:reveal:${item.key}:${item.reps}`, label: 'Show answer', style: 'primary' }],
      };
    case 'step':
      return {
        title: `🧭 Step ${item.number}: ${STEP_TITLES[item.step]}`,
        body: 'From memory: what does a strong answer cover in this step, and which questions do you ask? Say it, then reveal.',
        buttons: [{ id: `drill:reveal:${item.key}:${item.reps}`, label: 'Show answer', style: 'primary' }],
      };
    case 'recall':
      return {
        title: `🧠 From memory: ${STEP_SHORT[item.step]} of "${item.caseTitle}"`,
        body: `Without looking: write the ${STEP_TITLES[item.step].toLowerCase()} part of your design for ${item.caseTitle}, with the numbers that drive it. It is graded against that step's rubric.`,
        buttons: [{ id: `drill:answer:${item.key}:${item.reps}`, label: 'Write it', style: 'primary' }],
      };
  }
}

export function drillMessage(view: DrillView): OutMessage {
  const saved = view.saved ? `${savedLine(view.saved)}\n\n` : '';
  if (!view.item) {
    return {
      text: `${saved}Nothing left to recall today${view.doneToday ? ` (${plural(view.doneToday, 'review')} done)` : ''}.${view.nextAt ? ` Next item due ${view.nextAt}.` : ''}`,
      ...(view.saved?.outline
        ? { sections: [{ heading: 'The reference outline', body: view.saved.outline }] }
        : {}),
    };
  }
  const shown = front(view.item);
  return {
    text: `${saved}${shown.title.replace(/^\S+ /, '')} (${plural(view.left, 'item')} due)`,
    title: shown.title,
    body: `${saved}${shown.body}`,
    ...(view.saved?.outline
      ? { sections: [{ heading: 'The reference outline', body: view.saved.outline }] }
      : {}),
    footer: `${plural(view.left, 'item')} due today`,
    buttons: shown.buttons,
  };
}

const ratingButtons = (key: string, reps: number): Button[] =>
  ([1, 2, 3, 4] as const).map((rating) => ({
    id: `drill:rate:${key}:${reps}:${rating}`,
    label: RATING_NAMES[rating],
    ...(rating === 3 ? { style: 'primary' as const } : {}),
  }));

/** The back of a card or step: the answer, and how well you recalled it. */
export function revealMessage(item: DrillItemView): OutMessage {
  const body =
    item.kind === 'card'
      ? `*Answer:* ${item.answer}\n*When:* ${item.when}`
      : item.kind === 'step'
        ? `*What a strong answer does:* ${item.strong}\n*Questions to ask:* ${item.questions}`
        : '';
  return {
    text: `How well did you recall it?`,
    title:
      item.kind === 'card'
        ? `🃏 ${item.title}`
        : item.kind === 'step'
          ? `🧭 Step ${item.number}: ${STEP_TITLES[item.step]}`
          : `🧠 ${STEP_SHORT[item.step]} of "${item.caseTitle}"`,
    body: `${body}\n\nHow well did you recall it? Again: forgot. Hard: with effort. Good: recalled. Easy: instantly.`,
    buttons: ratingButtons(item.key, item.reps),
  };
}

export function recallForm(item: Extract<DrillItemView, { kind: 'recall' }>): FormSpec {
  return {
    id: `drill:recall:${item.key}:${item.reps}`,
    title: 'From memory',
    submitLabel: 'Grade it',
    fields: [
      {
        id: 'answer',
        label: `${STEP_SHORT[item.step]}: ${item.caseTitle}`.slice(0, 45),
        hint: 'Without looking: the design for this step, with the numbers that drive it.',
        multiline: true,
        minLength: 1,
        maxLength: 3_000,
      },
    ],
  };
}

export type DrillStatsView = {
  items: number;
  unseen: number;
  dueToday: number;
  reviews30: number;
  recalled30: number;
  /** Items coming due on each of the next seven days (today first). */
  forecast: number[];
};

export function drillStatsMessage(view: DrillStatsView): OutMessage {
  const retention = view.reviews30
    ? `${Math.round((view.recalled30 / view.reviews30) * 100)}%`
    : 'no reviews yet';
  const days = ['today', 'tomorrow', 'in 2 days', 'in 3 days', 'in 4 days', 'in 5 days', 'in 6 days'];
  return {
    text: `Drill: ${view.items} items, ${view.dueToday} due today, retention ${retention} over 30 days.`,
    title: '🧠 Your drill',
    fields: [
      { name: 'Items', value: `${view.items} (${view.unseen} not yet seen)`, inline: true },
      { name: 'Due today', value: String(view.dueToday), inline: true },
      {
        name: 'Retention (30 days)',
        value: `${retention}${view.reviews30 ? ` of ${view.reviews30} reviews` : ''}`,
        inline: true,
      },
    ],
    sections: [
      {
        heading: 'Forecast',
        body: view.forecast.map((count, index) => `${days[index]}: ${count}`).join('\n'),
      },
    ],
  };
}
