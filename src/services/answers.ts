import { answerFeedback, type LearnLink, revisionFeedback } from '../../content/grading-messages.ts';
import { ANSWER_LIMIT } from '../../content/refusals.ts';
import type { CaseStudy } from '../../content/schema.ts';
import { stripControl } from '../core/args.ts';
import { UserError } from '../core/errors.ts';
import { STEP_TITLES, STEPS, type StepKey } from '../core/framework.ts';
import type { Actor, OutMessage, Place } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { findMemberAnswer, latestRevision, saveAnswer, saveRevision } from '../db/queries/answers.ts';
import { type ChannelRow, findChannel } from '../db/queries/channels.ts';
import { findPrompt, findPromptByThread, type PromptRow } from '../db/queries/prompts.ts';
import { touchPlan } from '../db/queries/study.ts';
import { type Grade, likelyCase } from '../engines/grading/index.ts';
import type { Deps } from './deps.ts';
import { ensureMember } from './members.ts';
import { awardAnswerPoints, MIN_ANSWER_WORDS, MIN_FOCUS_WORDS } from './points.ts';
import { gradeWithReviewer } from './reviewer.ts';
import { awardStreakBonus, dayRules } from './streaks.ts';
import { feedMisses } from './study/drill.ts';

export type AnswerInput = {
  actor: Actor;
  /** The platform message (or form submission) id. */
  messageId: string;
  text: string;
  /** When the platform says the answer was written; decides lateness and which reply is newest. */
  sentAt: Date;
  source: 'thread' | 'form';
  /** A follow-up answer about one step (from its button); graded as a revision of that step. */
  step?: StepKey | undefined;
};

/**
 * What happened to an answer, and what to tell its author privately (nothing for a duplicate). Answers that
 * cannot be taken (empty, too long) are refused with a UserError.
 */
export type AnswerOutcome =
  | { kind: 'not-an-answer' }
  | { kind: 'duplicate' }
  | { kind: 'graded' | 'revision'; feedback: OutMessage; score?: number };

/** A reply in a thread: an answer when the thread belongs to a daily prompt. */
export async function answerInThread(deps: Deps, place: Place, input: AnswerInput): Promise<AnswerOutcome> {
  if (!place.threadId) return { kind: 'not-an-answer' };
  const found = await findPromptByThread(deps.db, {
    platform: place.platform,
    workspaceId: place.workspaceId,
    channelId: place.channelId,
    threadId: place.threadId,
  });
  if (!found) return { kind: 'not-an-answer' };
  return recordAnswer(deps, found.prompt, found.channel, input);
}

/** An answer from the "Submit answer" form of a prompt. */
export async function answerByForm(deps: Deps, promptId: number, input: AnswerInput): Promise<AnswerOutcome> {
  const prompt = await findPrompt(deps.db, promptId);
  const channel = prompt ? await findChannel(deps.db, prompt.channelId) : undefined;
  // A form names its prompt by id: one of another workspace (a forged id) does not exist for this person.
  if (
    !prompt ||
    !channel ||
    channel.platform !== input.actor.platform ||
    channel.workspaceId !== input.actor.workspaceId
  )
    throw new UserError('prompt-not-found');
  return recordAnswer(deps, prompt, channel, input);
}

/** A follow-up answer in the thread: "Follow-up: ..." or "Follow-up (serving): ...". */
const FOLLOW_UP = /^\s*follow[- ]?up\s*(?:\(([a-z &]+)\))?\s*[:\-–]\s*/i;

async function recordAnswer(
  deps: Deps,
  prompt: PromptRow,
  channel: ChannelRow,
  input: AnswerInput,
): Promise<AnswerOutcome> {
  const study = deps.library.cases.get(prompt.caseId);
  if (!study) throw new Error(`case "${prompt.caseId}" is not in the library`);
  // Control characters (from a paste) are never part of an answer: dropped, the rest kept.
  const text = stripControl(input.text).trim();
  // Refusals name the answer field: a form keeps what was typed and shows the problem there.
  if (text.length > ANSWER_LIMIT) throw new UserError('answer-too-long', { length: text.length }, 'answer');
  if (text.length === 0) throw new UserError('answer-empty', {}, 'answer');
  const followUp = FOLLOW_UP.exec(text);
  const closed = Boolean(prompt.closedAt) || input.sentAt.getTime() > prompt.closesAt.getTime();
  // After the deadline, and for a follow-up at any time, the answer is practice: graded, compared, no points.
  if (followUp || input.step || closed) {
    const { step: _given, ...rest } = input;
    return recordRevision(deps, prompt, study, {
      ...rest,
      text: followUp ? text.slice(followUp[0].length) : text,
      step: input.step ?? (followUp ? (stepNamed(followUp[1]) ?? 'weakest') : undefined),
    });
  }

  const focusStep = prompt.focusStep as StepKey | null;
  const minWords = focusStep ? MIN_FOCUS_WORDS : MIN_ANSWER_WORDS;
  const grade = await gradeWithReviewer(deps, study, text, focusStep);
  const member = await ensureMember(deps, input.actor);
  const outcome = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const saved = await saveAnswer(
      db,
      {
        promptId: prompt.id,
        memberId: member.id,
        messageId: input.messageId,
        source: input.source,
        text,
        score: grade.total,
        coverage: Object.fromEntries(
          Object.entries(grade.steps).map(([step, value]) => [step, value.coverage]),
        ),
        matches: Object.fromEntries(
          Object.entries(grade.steps).map(([step, value]) => [
            step,
            { matched: value.matched, missed: value.missed.map((item) => item.term) },
          ]),
        ),
        wordCount: grade.wordCount,
        sentAt: input.sentAt,
      },
      deps.clock.now(),
    );
    if (saved.kind === 'unchanged') return undefined;
    const points = await awardAnswerPoints(db, {
      memberId: member.id,
      channelId: channel.id,
      promptId: prompt.id,
      answerId: saved.answer.id,
      version: saved.answer.version,
      score: grade.total,
      wordCount: grade.wordCount,
      minWords,
      caseTitle: study.title,
      at: deps.clock.now(),
    });
    const bonus =
      grade.wordCount >= minWords
        ? await awardStreakBonus(db, {
            memberId: member.id,
            channelId: channel.id,
            now: deps.clock.now(),
            rules: dayRules(deps),
          })
        : 0;
    return { replaced: saved.kind === 'replaced', points: points + bonus };
  });
  if (!outcome) return { kind: 'duplicate' };
  deps.log.info({ prompt: prompt.id, member: member.id, score: grade.total }, 'answer graded');
  await feedQueue(deps, member.id, study, grade, focusStep);
  deps.metrics?.answerGraded();
  return {
    kind: 'graded',
    score: grade.total,
    feedback: answerFeedback({
      study,
      grade,
      replaced: outcome.replaced,
      points: outcome.points,
      minWords,
      promptId: prompt.id,
      focusStep,
      links: learnLinks(deps, study),
      likelyCase: offTopic(deps, study, grade, text),
    }),
  };
}

const stepNamed = (name: string | undefined): StepKey | undefined => {
  const wanted = name?.trim().toLowerCase();
  if (!wanted) return undefined;
  return STEPS.find((step) => step === wanted || STEP_TITLES[step].toLowerCase().startsWith(wanted));
};

/**
 * Practice after the fact: a revision after the close-out, or an answer to a follow-up question about one
 * step. Graded against the rubric (that step only for a follow-up), compared with what the member answered
 * before, stored for stats, and worth no points.
 */
async function recordRevision(
  deps: Deps,
  prompt: PromptRow,
  study: CaseStudy,
  input: Omit<AnswerInput, 'step'> & { step?: StepKey | 'weakest' | undefined },
): Promise<AnswerOutcome> {
  const member = await ensureMember(deps, input.actor);
  const answer = await findMemberAnswer(deps.db, prompt.id, member.id);
  const earlier = (await latestRevision(deps.db, prompt.id, member.id)) ?? answer;
  const step =
    input.step === 'weakest'
      ? answer
        ? (Object.entries(answer.coverage).sort((a, b) => a[1] - b[1])[0]?.[0] as StepKey | undefined)
        : undefined
      : input.step;
  const focus = step ?? (prompt.focusStep as StepKey | null);
  const grade = await gradeWithReviewer(deps, study, input.text, focus ?? null);
  const coverage = step
    ? { [step]: grade.steps[step].coverage }
    : Object.fromEntries(Object.entries(grade.steps).map(([key, value]) => [key, value.coverage]));
  const saved = await saveRevision(
    deps.db,
    {
      promptId: prompt.id,
      memberId: member.id,
      messageId: input.messageId,
      step: step ?? null,
      text: input.text,
      score: grade.total,
      coverage,
      wordCount: grade.wordCount,
    },
    deps.clock.now(),
  );
  if (saved.unchanged) return { kind: 'duplicate' };
  deps.log.info({ prompt: prompt.id, member: member.id, score: grade.total, step }, 'revision graded');
  deps.metrics?.answerGraded();
  const before = step ? answer : earlier;
  return {
    kind: 'revision',
    score: grade.total,
    feedback: revisionFeedback({
      study,
      grade,
      before: before ? { score: before.score, coverage: before.coverage } : undefined,
      step,
      focusStep: prompt.focusStep as StepKey | null,
      links: learnLinks(deps, study),
    }),
  };
}

/** The card that explains an idea: its own, else one of the case's cards about that step. */
function learnLinks(deps: Deps, study: CaseStudy) {
  return (term: string, step: StepKey): LearnLink | undefined => {
    const concept = study.steps[step].concepts.find((item) => item.term === term);
    const own = concept?.card ? deps.library.cards.get(concept.card) : undefined;
    const card =
      own ??
      study.tradeoffs.map((id) => deps.library.cards.get(id)).find((item) => item?.steps.includes(step));
    return card ? { card: { id: card.id, title: card.title } } : undefined;
  };
}

/** For an answer that reads as another case's: that case, so the feedback can say so. */
function offTopic(deps: Deps, study: CaseStudy, grade: Grade, text: string): CaseStudy | undefined {
  if (grade.relevance >= 0.5 || grade.wordCount < 60) return undefined;
  const other = likelyCase(deps.library, study, text);
  return other ? deps.library.cases.get(other.id) : undefined;
}

/** Below this coverage a step of a daily answer counts as a miss: its recall and cards come due. */
const WEAK_STEP = 0.5;

/**
 * Misses feed the drill queue: the recall of each weak step of this case, and the cards behind the ideas
 * the answer missed, become due now; the answer also counts as plan activity.
 */
async function feedQueue(
  deps: Deps,
  memberId: number,
  study: CaseStudy,
  grade: Grade,
  focusStep: StepKey | null,
): Promise<void> {
  const steps = (focusStep ? [focusStep] : STEPS).filter((step) => grade.steps[step].coverage < WEAK_STEP);
  const cards = steps.flatMap((step) =>
    grade.steps[step].missed.flatMap((missed) => {
      const concept = study.steps[step].concepts.find((item) => item.term === missed.term);
      return concept?.card ? [concept.card] : [];
    }),
  );
  try {
    await feedMisses(deps, memberId, { caseId: study.id, steps, cards });
    await touchPlan(deps.db, memberId, deps.clock.now());
  } catch (error) {
    // The answer is saved and graded; the queue catches up on the next miss.
    deps.log.warn({ err: error, member: memberId }, 'could not feed misses to the drill queue');
  }
}
