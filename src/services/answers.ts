import { ANSWER_LIMIT, feedbackMessage, lateAnswer, userErrorText } from '../../content/messages.ts';
import type { StepKey } from '../core/framework.ts';
import type { Actor, OutMessage, Place } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { saveAnswer } from '../db/queries/answers.ts';
import { type ChannelRow, findChannel } from '../db/queries/channels.ts';
import { findPrompt, findPromptByThread, type PromptRow } from '../db/queries/prompts.ts';
import type { Deps } from './deps.ts';
import { gradeAnswer } from './grading.ts';
import { ensureMember } from './members.ts';
import { awardAnswerPoints, MIN_ANSWER_WORDS, MIN_FOCUS_WORDS } from './points.ts';
import { formatLocal } from './schedule.ts';
import { awardStreakBonus, dayRules } from './streaks.ts';

export type AnswerInput = {
  actor: Actor;
  /** The platform message (or form submission) id. */
  messageId: string;
  text: string;
  /** When the platform says the answer was written; decides lateness and which reply is newest. */
  sentAt: Date;
  source: 'thread' | 'form';
};

/** What happened to an answer, and what to tell its author privately (nothing for a duplicate). */
export type AnswerOutcome =
  | { kind: 'not-an-answer' }
  | { kind: 'duplicate' }
  | { kind: 'refused' | 'late' | 'graded'; feedback: OutMessage; score?: number };

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
  if (!prompt || !channel) {
    return { kind: 'refused', feedback: { text: userErrorText('prompt-not-found', {}) } };
  }
  return recordAnswer(deps, prompt, channel, input);
}

async function recordAnswer(
  deps: Deps,
  prompt: PromptRow,
  channel: ChannelRow,
  input: AnswerInput,
): Promise<AnswerOutcome> {
  const study = deps.library.cases.get(prompt.caseId);
  if (!study) throw new Error(`case "${prompt.caseId}" is not in the library`);
  if (prompt.closedAt || input.sentAt.getTime() > prompt.closesAt.getTime()) {
    return {
      kind: 'late',
      feedback: lateAnswer({ title: study.title, closedAt: formatLocal(prompt.closesAt, channel.timeZone) }),
    };
  }
  const text = input.text.trim();
  if (text.length > ANSWER_LIMIT) {
    return { kind: 'refused', feedback: { text: userErrorText('answer-too-long', { length: text.length }) } };
  }
  if (text.length === 0) return { kind: 'refused', feedback: { text: userErrorText('answer-empty', {}) } };

  const focusStep = prompt.focusStep as StepKey | null;
  const minWords = focusStep ? MIN_FOCUS_WORDS : MIN_ANSWER_WORDS;
  const grade = gradeAnswer(study, text, { focus: focusStep, library: deps.library });
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
  deps.metrics?.answerGraded();
  return {
    kind: 'graded',
    score: grade.total,
    feedback: feedbackMessage({
      study,
      grade,
      replaced: outcome.replaced,
      points: outcome.points,
      minWords,
      focusStep,
    }),
  };
}
