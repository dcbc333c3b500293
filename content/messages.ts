// User-facing copy: wording lives here, apart from the code that decides what to say.
import { STEP_SHORT, STEP_TITLES, STEPS, type StepKey } from '../src/core/framework.ts';
import type { FormSpec, OutMessage } from '../src/core/types.ts';
import type { CaseStudy, Framework, FrameworkStep, TradeoffCard } from './schema.ts';

const pct = (value: number) => `${Math.round(value * 100)}%`;
const DIFFICULTY = { 1: 'easy', 2: 'medium', 3: 'hard' } as const;

export function stepReminder(): string {
  return STEPS.map((step, index) => `${index + 1}. ${STEP_TITLES[step]}`).join('\n');
}

export function dailyPost(input: {
  study: CaseStudy;
  promptId: number;
  deadline: string;
  focusStep?: StepKey | null;
}): OutMessage {
  const { study } = input;
  const focus = input.focusStep ? study.steps[input.focusStep].focus : undefined;
  const ask = focus ?? study.ask;
  return {
    text: `Today's case: ${study.title}. Answer in the thread before ${input.deadline}.`,
    title: `📐 Daily case: ${study.title}`,
    body: study.scenario,
    sections: [
      {
        heading: input.focusStep ? `Today's focus: ${STEP_TITLES[input.focusStep]}` : 'What to answer',
        body: ask,
      },
      ...(input.focusStep ? [] : [{ heading: 'The 7 steps', body: stepReminder() }]),
      {
        heading: 'How it works',
        body: `Reply in this thread from memory (no notes); *Clarifying facts* shows what the interviewer would tell you if you asked. A later reply before the deadline replaces your answer. You get private feedback per step within seconds; the reference outline and the best answers are posted here at ${input.deadline}, and a reply after that is graded as a revision (practice, no points).`,
      },
    ],
    fields: [
      { name: 'Difficulty', value: DIFFICULTY[study.difficulty], inline: true },
      { name: 'Tags', value: study.tags.join(', '), inline: true },
      { name: 'Deadline', value: input.deadline, inline: true },
    ],
    buttons: [
      { id: `daily:answer:${input.promptId}`, label: 'Submit answer', style: 'primary' },
      { id: `daily:facts:${input.promptId}`, label: 'Clarifying facts' },
    ],
    footer: `case: ${study.id}`,
  };
}

export type TodayView = { title: string; link?: string | undefined; deadline: string; closed: boolean };

export function todayPointer(input: TodayView): OutMessage {
  const where = input.link ? `<${input.link}|the thread>` : 'the thread of today’s post in this channel';
  return {
    text: input.closed
      ? `Today's case was ${input.title}; it closed at ${input.deadline}. See the reference outline in ${where}.`
      : `Today's case is *${input.title}*. Answer in ${where} before ${input.deadline}.`,
  };
}

export function closeOut(input: {
  study: CaseStudy;
  focusStep?: StepKey | null;
  answered: number;
  top: Array<{ userId: string; displayName: string; score: number }>;
  weakest?: { step: StepKey; average: number } | undefined;
  mention: (userId: string, name: string) => string;
}): OutMessage[] {
  const { study } = input;
  const podium = input.top.length
    ? input.top
        .map((row, index) => `${index + 1}. ${input.mention(row.userId, row.displayName)}: ${row.score}/100`)
        .join('\n')
    : 'Nobody answered this time.';
  const summary: OutMessage = {
    text: `Time's up for "${study.title}": ${input.answered} answered. Reference outline below.`,
    title: `⏰ Close-out: ${study.title}`,
    fields: [
      { name: 'Answers', value: String(input.answered), inline: true },
      ...(input.weakest
        ? [
            {
              name: 'Least covered step',
              value: `${STEP_TITLES[input.weakest.step]} (${pct(input.weakest.average)} on average)`,
              inline: true,
            },
          ]
        : []),
      { name: 'Top answers', value: podium },
    ],
    footer:
      'Revise from memory: reply in this thread (or press Submit answer on the post) to have a revision graded against your answer. Practice only, no points.',
  };
  const steps = input.focusStep ? [input.focusStep] : STEPS;
  const outline: OutMessage = {
    text: `Reference outline for "${study.title}"`,
    title: `Reference outline: ${study.title}${input.focusStep ? ` (${STEP_TITLES[input.focusStep]})` : ''}`,
    sections: steps.map((step) => ({
      heading: `${STEPS.indexOf(step) + 1}. ${STEP_TITLES[step]}`,
      body: study.steps[step].outline.trim(),
    })),
  };
  return [summary, outline];
}

export type ScheduleView = { time: string; zone: string; days: string; next: string; deadlineHours: number };

export function scheduleSet(input: ScheduleView): OutMessage {
  return {
    text: `Daily case scheduled: ${input.time} ${input.zone}, ${input.days}. Answers close after ${input.deadlineHours} h. Next post: ${input.next}.`,
  };
}

export type FilterView = { difficulties: number[]; tags: string[]; cases: string[] };

export function filterSet(input: FilterView): OutMessage {
  const what = [
    input.difficulties.length ? `difficulty ${input.difficulties.join(', ')}` : 'any difficulty',
    input.tags.length ? `tags ${input.tags.join(', ')}` : 'any tag',
  ].join(', ');
  return {
    text: `Daily cases here: ${what}. ${input.cases.length} case studies match: ${input.cases.join('; ')}.`,
  };
}

export function modeSet(mode: 'full' | 'focus' | 'mixed'): OutMessage {
  const what = {
    full: 'whole case studies, all seven steps',
    focus: 'focus drills: one framework step of one case a day',
    mixed: 'every case whole first, then focus drills alternating with whole cases',
  } as const;
  return { text: `Daily prompts here are now ${what[mode]}. It applies from the next post.` };
}

export function scheduleOff(): OutMessage {
  return {
    text: 'Daily case posts are off for this channel. Turn them back on with `/mlsd daily schedule 09:00`.',
  };
}

/** After the deadline: the answer form again, starting from the member's answer; graded as practice. */
export function revisionForm(promptId: number, title: string, answer: string | undefined): FormSpec {
  return {
    id: `daily:answer:${promptId}`,
    title: 'Revise your answer',
    submitLabel: 'Grade revision',
    fields: [
      {
        id: 'answer',
        label: title.length > 45 ? 'Your revised answer' : title,
        hint: 'The deadline has passed: a revision is graded against your answer, for practice (no points).',
        multiline: true,
        minLength: 1,
        maxLength: 3_000,
        ...(answer ? { value: answer.slice(0, 3_000) } : {}),
      },
    ],
  };
}

/** The feedback's follow-up question, answered in a form: graded as a revision of that step. */
export function followUpForm(promptId: number, step: StepKey, question: string | undefined): FormSpec {
  return {
    id: `daily:followup:${promptId}:${step}`,
    title: 'Follow-up question',
    submitLabel: 'Grade it',
    fields: [
      {
        id: 'answer',
        label: `Follow-up: ${STEP_SHORT[step]}`,
        hint: (question ?? STEP_TITLES[step]).slice(0, 100),
        placeholder: question?.slice(0, 150),
        multiline: true,
        minLength: 1,
        maxLength: 3_000,
      },
    ],
  };
}

export function answerForm(promptId: number, title: string): FormSpec {
  return {
    id: `daily:answer:${promptId}`,
    title: 'Your answer',
    submitLabel: 'Submit',
    fields: [
      {
        id: 'answer',
        label: title.length > 45 ? 'Your answer, step by step' : title,
        placeholder: 'One short paragraph per framework step, with the reasons for your choices.',
        multiline: true,
        minLength: 1,
        maxLength: 3_000,
        required: true,
      },
    ],
  };
}

export function caseList(cases: CaseStudy[]): OutMessage {
  const lines = cases.map(
    (study) => `\`${study.id}\`: ${study.title} (${DIFFICULTY[study.difficulty]}; ${study.tags.join(', ')})`,
  );
  return {
    text: `${cases.length} case studies. Show one with \`/mlsd case <id>\`.`,
    title: `📚 ${cases.length} case studies`,
    body: lines.join('\n'),
    footer: 'Show one with /mlsd case <id>; the reference outline is revealed only after a daily closes.',
  };
}

/** A case's prompt for self-study or a mock: the scenario and the ask, never the reference outline. */
export function caseCard(study: CaseStudy, tradeoffTitles: string[]): OutMessage {
  return {
    text: `${study.title}: ${study.summary}`,
    title: `📐 ${study.title}`,
    body: study.scenario,
    sections: [
      { heading: 'What to answer', body: study.ask },
      { heading: 'The 7 steps', body: stepReminder() },
      ...(tradeoffTitles.length
        ? [{ heading: 'Trade-offs it exercises', body: tradeoffTitles.join(' · ') }]
        : []),
    ],
    fields: [
      { name: 'Difficulty', value: DIFFICULTY[study.difficulty], inline: true },
      { name: 'Tags', value: study.tags.join(', '), inline: true },
    ],
    footer: `case: ${study.id}`,
  };
}

/** A trade-off card: the recall question first, then the options, their facts and when to pick which. */
export function tradeoffCardMessage(card: TradeoffCard, caseTitles: string[]): OutMessage {
  return {
    text: `${card.title}: ${card.question}`,
    title: `⚖️ ${card.title}`,
    sections: [
      { heading: 'Recall first', body: card.question },
      ...card.options.map((option) => ({
        heading: option.name,
        body: option.facts.map((fact) => `• ${fact}`).join('\n'),
      })),
      { heading: 'When to pick which', body: card.when.trim() },
      { heading: 'Answer', body: card.answer.trim() },
      ...(caseTitles.length ? [{ heading: 'Comes up in', body: caseTitles.join(' · ') }] : []),
    ],
    footer: `card: ${card.id}`,
  };
}

export function frameworkOverview(framework: Framework): OutMessage {
  const total = framework.steps.reduce((sum, step) => sum + step.minutes, 0);
  const lines = framework.steps.map((step, index) => `${index + 1}. *${step.title}*: ${step.minutes} min`);
  return {
    text: `The 7-step framework for a 45-minute ML system design interview (${total} minutes of design).`,
    title: '🧭 The 7-step framework',
    body: lines.join('\n'),
    sections: [{ heading: 'Communication habits', body: framework.communication }],
    footer:
      'One step in depth: /mlsd framework <step> (clarify, frame, data, features, model, serving, monitoring)',
  };
}

export function frameworkStep(step: FrameworkStep, number: number): OutMessage {
  return {
    text: `Step ${number}: ${step.title} (${step.minutes} min)`,
    title: `🧭 Step ${number}: ${step.title} (${step.minutes} min)`,
    sections: Object.entries(step.parts).map(([heading, body]) => ({ heading, body })),
  };
}

/** A form answer delivered twice (a double click, a retry): the first one counted. */
export const alreadyReceivedText = () => 'Already received: your answer is saved.';

/** What became of a 👍 on an answer, for surfaces that show it (the playground; chat platforms stay quiet). */
export function upvoteText(
  outcome: 'counted' | 'capped' | 'own' | 'already',
  award: { author?: string; points?: number },
): string {
  switch (outcome) {
    case 'counted':
      return `👍 counted: ${award.author ?? 'its author'} earns ${award.points ?? 0} points.`;
    case 'capped':
      return '👍 noted, but that answer has all the upvotes that earn points already.';
    case 'own':
      return 'Your own answer: upvotes only count from others.';
    case 'already':
      return 'You upvoted that answer already.';
  }
}

/** What `/mlsd case` shows: the list of cases, or one case's prompt with its trade-off cards. */
export type CaseView =
  | { kind: 'list'; cases: CaseStudy[] }
  | { kind: 'case'; study: CaseStudy; tradeoffs: string[] };

export const caseMessage = (view: CaseView): OutMessage =>
  view.kind === 'list' ? caseList(view.cases) : caseCard(view.study, view.tradeoffs);

/** What `/mlsd framework` shows: the seven steps, or one in depth. */
export type FrameworkView =
  | { kind: 'overview'; framework: Framework }
  | { kind: 'step'; step: FrameworkStep; number: number };

export const frameworkMessage = (view: FrameworkView): OutMessage =>
  view.kind === 'overview' ? frameworkOverview(view.framework) : frameworkStep(view.step, view.number);

export type CardView = { card: TradeoffCard; caseTitles: string[] };

export const cardMessage = (view: CardView): OutMessage => tradeoffCardMessage(view.card, view.caseTitles);
