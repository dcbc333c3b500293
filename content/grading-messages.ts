// User-facing copy for graded answers: feedback that teaches, revisions, and a case's clarifying facts.
import { STEP_SHORT, STEP_TITLES, STEPS, type StepKey } from '../src/core/framework.ts';
import type { OutMessage } from '../src/core/types.ts';
import type { Grade } from '../src/engines/grading/index.ts';
import type { CaseStudy } from './schema.ts';

const pct = (value: number) => `${Math.round(value * 100)}%`;
const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/** Where to learn more about an idea: its trade-off card, else the framework step. */
export type LearnLink = { card?: { id: string; title: string } | undefined };

/** How to answer the follow-up question in the thread (it is graded as a revision of that step). */
export const FOLLOW_UP_PREFIX = 'Follow-up:';

function learnMore(step: StepKey, link: LearnLink | undefined): string {
  return link?.card ? `\`/mlsd card ${link.card.id}\`` : `\`/mlsd framework ${step}\``;
}

/** Per step: the coverage and what the answer did well (the ideas it explained or described). */
function stepLines(grade: Grade, shown: readonly StepKey[]): string {
  return shown
    .map((step) => {
      const { coverage, matched } = grade.steps[step];
      const good = matched.slice(0, 3);
      return `${STEP_SHORT[step]}: ${pct(coverage)}${good.length ? ` ✓ ${good.join(', ')}` : ''}`;
    })
    .join('\n');
}

/** The sections every graded answer gets, new or revised: teaching, not a bare list of terms. */
export function teachingSections(input: {
  study: CaseStudy;
  grade: Grade;
  focusStep?: StepKey | null | undefined;
  links: (term: string, step: StepKey) => LearnLink | undefined;
  likelyCase?: CaseStudy | undefined;
}): Array<{ heading: string; body: string }> {
  const { grade, study } = input;
  const shown = input.focusStep ? [input.focusStep] : STEPS;
  const sections: Array<{ heading: string; body: string }> = [];
  if (input.likelyCase) {
    sections.push({
      heading: '🧭 This reads like another case',
      body: `Your answer fits "${input.likelyCase.title}" better than today's case, "${study.title}", so ideas both cases share earn little here. Answer today's scenario (\`/mlsd daily\` shows it).`,
    });
  }
  sections.push({
    heading: input.focusStep ? `Coverage of today's focus` : 'Coverage per step (and what you did well)',
    body: stepLines(grade, shown),
  });
  const plain = shown.flatMap((step) => grade.steps[step].plain).slice(0, 3);
  if (plain.length > 0) {
    sections.push({
      heading: 'Said in your own words (credited)',
      body: plain
        .map((item) => `• You described "${clip(item.quote, 90)}"; the usual term is *${item.term}*.`)
        .join('\n'),
    });
  }
  if (grade.redFlags.length > 0) {
    sections.push({
      heading: '⚠️ Red flags (points off)',
      body: grade.redFlags
        .map(
          (flag) =>
            `• ${flag.flag} ${flag.why}${flag.quote ? ` (you wrote: "${clip(flag.quote, 80)}")` : ''}`,
        )
        .join('\n'),
    });
  }
  if (grade.suggestions.length > 0) {
    sections.push({
      heading: 'Worth adding',
      body: grade.suggestions
        .map(
          (item) =>
            `• *${item.term}* (${STEP_SHORT[item.step]})${item.why ? `: ${item.why}` : ''} See ${learnMore(item.step, input.links(item.term, item.step))}.`,
        )
        .join('\n'),
    });
  }
  const namedOnly = shown.flatMap((step) => grade.steps[step].namedOnly).slice(0, 3);
  if (namedOnly.length > 0) {
    sections.push({
      heading: 'Named but not explained',
      body: `${namedOnly.join(', ')}: say why, or what you would trade off, to get full credit.`,
    });
  }
  if (grade.probe) {
    sections.push({
      heading: `Follow-up question (${STEP_TITLES[grade.probe.step]})`,
      body: `${grade.probe.question}\nAnswer it in the thread starting with "${FOLLOW_UP_PREFIX}", or with the button: it is graded as a revision of that step (practice, no points).`,
    });
  }
  if (grade.note) sections.push({ heading: 'Reviewer note', body: clip(grade.note, 600) });
  return sections;
}

export function answerFeedback(input: {
  study: CaseStudy;
  grade: Grade;
  replaced: boolean;
  points: number;
  minWords: number;
  promptId: number;
  focusStep?: StepKey | null | undefined;
  links: (term: string, step: StepKey) => LearnLink | undefined;
  likelyCase?: CaseStudy | undefined;
}): OutMessage {
  const { grade } = input;
  const points =
    grade.wordCount < input.minWords
      ? `Answers of ${input.minWords}+ words earn points; this one has ${grade.wordCount}.`
      : `Points for this answer so far: ${input.points}${grade.penalty ? ` (red flags cost ${grade.penalty} of the score)` : ''}.`;
  return {
    text: `${input.replaced ? 'Your updated answer' : 'Your answer'} to "${input.study.title}" scores ${grade.total}/100.`,
    title: `${input.replaced ? 'Updated answer' : 'Answer'} graded: ${grade.total}/100`,
    sections: teachingSections(input),
    buttons: grade.probe
      ? [{ id: `daily:followup:${input.promptId}:${grade.probe.step}`, label: 'Answer the follow-up' }]
      : [],
    footer: `${points} The reference outline is posted in the thread at the deadline.`,
  };
}

/** A revision after the close-out, or a follow-up answer: before and after per step; practice, no points. */
export function revisionFeedback(input: {
  study: CaseStudy;
  grade: Grade;
  before?: { score: number; coverage: Record<string, number> } | undefined;
  step?: StepKey | undefined;
  focusStep?: StepKey | null | undefined;
  links: (term: string, step: StepKey) => LearnLink | undefined;
}): OutMessage {
  const { grade, before } = input;
  const shown = input.step ? [input.step] : input.focusStep ? [input.focusStep] : STEPS;
  const lines = shown.map((step) => {
    const was = before?.coverage[step];
    const now = grade.steps[step].coverage;
    const arrow = was === undefined ? '' : now > was + 0.005 ? ' ▲' : now < was - 0.005 ? ' ▼' : ' =';
    return `${STEP_SHORT[step]}: ${was === undefined ? '—' : pct(was)} → ${pct(now)}${arrow}`;
  });
  const what = input.step ? `follow-up on ${STEP_TITLES[input.step]}` : 'revision';
  const headline = before
    ? `${input.step ? pct(before.coverage[input.step] ?? 0) : before.score} → ${input.step ? pct(grade.steps[input.step].coverage) : grade.total}`
    : `${grade.total}/100`;
  return {
    text: `Your ${what} of "${input.study.title}" is graded: ${headline}. Practice only: no points.`,
    title: `🔁 ${input.step ? 'Follow-up' : 'Revision'} graded: ${headline}`,
    sections: [
      {
        heading: before ? 'Before → after, per step' : 'Coverage per step (no earlier answer)',
        body: lines.join('\n'),
      },
      ...teachingSections({ ...input, focusStep: input.step ?? input.focusStep }).filter(
        (section) => !section.heading.startsWith('Coverage'),
      ),
    ],
    footer: 'Revisions earn no points; they count in /mlsd stats as practice and in your weak-step figures.',
  };
}

/** The numbers a candidate would get by asking: the case's clarifying questions and their answers. */
export function clarifyingFacts(study: CaseStudy): OutMessage {
  return {
    text: `Clarifying facts for "${study.title}".`,
    title: `🔎 Clarifying facts: ${study.title}`,
    body: 'What the interviewer would tell you if you asked. Use the numbers: they decide the design.',
    sections: study.clarifying.map((item) => ({ heading: item.q, body: item.a })),
  };
}
