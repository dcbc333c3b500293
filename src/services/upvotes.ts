import type { Actor } from '../core/types.ts';
import { findAnswerByMessage } from '../db/queries/answers.ts';
import { findMember } from '../db/queries/members.ts';
import { appendCappedPointEvent } from '../db/queries/points.ts';
import type { Deps } from './deps.ts';
import { ensureMember } from './members.ts';
import { POINTS } from './points.ts';

/** The start of an upvote award's reason, naming the voter (a forgotten voter's name is rewritten in it). */
const upvoteVoter = (name: string) => `👍 from ${name} on your "`;

/** Finds the voter part of an upvote reason (a Postgres regex), and what it becomes for a forgotten voter. */
export const upvoteVoterRewrite = (formerName: string) => ({
  pattern: '^👍 from .* on your "',
  replacement: upvoteVoter(formerName),
});

export type UpvoteOutcome = 'counted' | 'capped' | 'own' | 'already' | 'not-an-answer';
/** What became of the 👍, with who earns what when it counted. */
export type Upvote = { outcome: UpvoteOutcome; author?: string; points?: number };

/**
 * A 👍 from a member on a daily answer in its thread: the author earns POINTS.upvote, from at most
 * POINTS.upvotesPerAnswer voters per answer. Own answers, repeated reactions and retried deliveries earn
 * nothing; taking the reaction back keeps the points (the ledger is append-only), so re-adding it adds none.
 */
export async function upvoteAnswer(
  deps: Deps,
  input: { voter: Actor; channelId: string; messageId: string },
): Promise<Upvote> {
  const answer = await findAnswerByMessage(deps.db, {
    platform: input.voter.platform,
    workspaceId: input.voter.workspaceId,
    channelId: input.channelId,
    messageId: input.messageId,
  });
  if (!answer) return { outcome: 'not-an-answer' };
  const voter = await ensureMember(deps, input.voter);
  if (voter.id === answer.authorId) return { outcome: 'own' };
  const author = (await findMember(deps.db, answer.authorId))?.displayName;
  const title = deps.library.cases.get(answer.caseId)?.title ?? answer.caseId;
  const voters = `answer:${answer.answerId}:voter:`;
  const outcome = await appendCappedPointEvent(
    deps.db,
    {
      memberId: answer.authorId,
      channelId: answer.channelId,
      kind: 'answer-upvote',
      ref: `${voters}${voter.id}`,
      points: POINTS.upvote,
      reason: `${upvoteVoter(voter.displayName)}${title}" answer`,
      createdAt: deps.clock.now(),
    },
    { refPrefix: voters, cap: POINTS.upvotesPerAnswer },
  );
  return {
    outcome: outcome === 'added' ? 'counted' : outcome === 'capped' ? 'capped' : 'already',
    author,
    points: POINTS.upvote,
  };
}
