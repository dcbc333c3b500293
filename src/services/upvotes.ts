import { sql } from 'drizzle-orm';
import type { Actor } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { findAnswerByMessage } from '../db/queries/answers.ts';
import { appendPointEvents, sumPointsByRef } from '../db/queries/points.ts';
import type { Deps } from './deps.ts';
import { ensureMember } from './members.ts';
import { POINTS } from './points.ts';

export type UpvoteOutcome = 'counted' | 'capped' | 'own' | 'already' | 'not-an-answer';

/** Advisory lock class for "counting an answer's upvotes" (the second key is the answer id). */
const UPVOTE_LOCK = 7_410_002;

/**
 * A 👍 from a member on a daily answer in its thread: the author earns POINTS.upvote, from at most
 * POINTS.upvotesPerAnswer voters per answer. Own answers, repeated reactions and retried deliveries earn
 * nothing; taking the reaction back keeps the points (the ledger is append-only), so re-adding it adds none.
 */
export async function upvoteAnswer(
  deps: Deps,
  input: { voter: Actor; channelId: string; messageId: string },
): Promise<UpvoteOutcome> {
  const answer = await findAnswerByMessage(deps.db, {
    platform: input.voter.platform,
    workspaceId: input.voter.workspaceId,
    channelId: input.channelId,
    messageId: input.messageId,
  });
  if (!answer) return 'not-an-answer';
  const voter = await ensureMember(deps, input.voter);
  if (voter.id === answer.authorId) return 'own';
  const title = deps.library.cases.get(answer.caseId)?.title ?? answer.caseId;
  const refs = `answer:${answer.answerId}:voter:`;
  return deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await db.execute(sql`select pg_advisory_xact_lock(${UPVOTE_LOCK}, ${answer.answerId})`);
    const counted = (await sumPointsByRef(db, 'answer-upvote', refs)) / POINTS.upvote;
    if (counted >= POINTS.upvotesPerAnswer) return 'capped';
    const added = await appendPointEvents(db, [
      {
        memberId: answer.authorId,
        channelId: answer.channelId,
        kind: 'answer-upvote',
        ref: `${refs}${voter.id}`,
        points: POINTS.upvote,
        reason: `👍 from ${voter.displayName} on your "${title}" answer`,
        createdAt: deps.now(),
      },
    ]);
    return added.length > 0 ? 'counted' : 'already';
  });
}
