import type { Db } from '../db/client.ts';
import { appendPointEvents, sumPointsByRef } from '../db/queries/points.ts';

/** Every way to earn points, and how many. Documented in the README; no points for being first. */
export const POINTS = {
  dailyAnswer: 10, // an on-time answer of at least MIN_ANSWER_WORDS words
  coverageMax: 20, // scaled by rubric coverage: 100/100 earns all 20
  upvote: 2, // a 👍 from another member on a thread answer
  upvotesPerAnswer: 3, // voters whose 👍 earns points, per answer
} as const;

export const MIN_ANSWER_WORDS = 40; // words, for a whole case
export const MIN_FOCUS_WORDS = 20; // words, for a one-step focus drill

/**
 * Awards the points an answer has earned so far. The base award is once per member and prompt; the
 * coverage bonus is topped up (or corrected down) with a new ledger row per answer version, so the sum
 * always equals the latest grade and a duplicate delivery adds nothing.
 */
export async function awardAnswerPoints(
  db: Db,
  input: {
    memberId: number;
    channelId: number;
    promptId: number;
    answerId: number;
    version: number;
    score: number;
    wordCount: number;
    minWords: number;
    caseTitle: string;
    at: Date;
  },
): Promise<number> {
  const baseRef = `prompt:${input.promptId}:member:${input.memberId}`;
  const coverageRefs = `answer:${input.answerId}:`;
  if (input.wordCount < input.minWords) {
    // Too short to earn anything now; report what earlier versions of this answer earned.
    return (
      (await sumPointsByRef(db, 'daily-answer', baseRef)) +
      (await sumPointsByRef(db, 'daily-coverage', coverageRefs))
    );
  }
  await appendPointEvents(db, [
    {
      memberId: input.memberId,
      channelId: input.channelId,
      kind: 'daily-answer',
      ref: baseRef,
      points: POINTS.dailyAnswer,
      reason: `answered "${input.caseTitle}" on time`,
      createdAt: input.at,
    },
  ]);
  const target = Math.round((POINTS.coverageMax * input.score) / 100);
  const awarded = await sumPointsByRef(db, 'daily-coverage', coverageRefs);
  if (target !== awarded) {
    await appendPointEvents(db, [
      {
        memberId: input.memberId,
        channelId: input.channelId,
        kind: 'daily-coverage',
        ref: `${coverageRefs}v${input.version}`,
        points: target - awarded,
        reason: `rubric coverage ${input.score}/100 on "${input.caseTitle}"${input.version > 1 ? ` (answer v${input.version})` : ''}`,
        createdAt: input.at,
      },
    ]);
  }
  // The corrections keep the coverage rows summing to the target.
  return POINTS.dailyAnswer + target;
}
