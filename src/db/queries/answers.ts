import { and, count, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { answers, channels, members, prompts, revisions } from '../schema/index.ts';

export type AnswerRow = typeof answers.$inferSelect;
export type NewAnswer = Omit<typeof answers.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export type SaveResult =
  | { kind: 'created'; answer: AnswerRow }
  | { kind: 'replaced'; answer: AnswerRow; previous: AnswerRow }
  | { kind: 'unchanged'; answer: AnswerRow };

/**
 * Stores a member's answer to a prompt. A newer message replaces the current answer; the same text
 * delivered again, or an older message arriving late, changes nothing.
 */
export async function saveAnswer(db: Db, value: NewAnswer, now: Date): Promise<SaveResult> {
  const [created] = await db
    .insert(answers)
    .values(value)
    .onConflictDoNothing({ target: [answers.promptId, answers.memberId] })
    .returning();
  if (created) return { kind: 'created', answer: created };
  const [previous] = await db
    .select()
    .from(answers)
    .where(and(eq(answers.promptId, value.promptId), eq(answers.memberId, value.memberId)))
    .for('update');
  if (!previous) throw new Error('answer vanished while saving');
  // The same text again (a retried event, a double-submitted form) is not a new answer.
  if (previous.text === value.text) return { kind: 'unchanged', answer: previous };
  if (previous.sentAt > value.sentAt) return { kind: 'unchanged', answer: previous };
  const [answer] = await db
    .update(answers)
    .set({ ...value, version: previous.version + 1, updatedAt: now })
    .where(eq(answers.id, previous.id))
    .returning();
  return { kind: 'replaced', answer: answer as AnswerRow, previous };
}

export type RankedAnswer = {
  answerId: number;
  memberId: number;
  userId: string;
  displayName: string;
  score: number;
};

/** The best answers to a prompt, highest score first (earlier answer wins a tie). */
export async function listTopAnswers(db: Db, promptId: number, limit: number): Promise<RankedAnswer[]> {
  return db
    .select({
      answerId: answers.id,
      memberId: answers.memberId,
      userId: members.userId,
      displayName: members.displayName,
      score: answers.score,
    })
    .from(answers)
    .innerJoin(members, eq(answers.memberId, members.id))
    .where(eq(answers.promptId, promptId))
    .orderBy(desc(answers.score), answers.sentAt)
    .limit(limit);
}

export async function countAnswers(db: Db, promptId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(answers).where(eq(answers.promptId, promptId));
  return Number(row?.n ?? 0);
}

/** Average coverage per framework step over a prompt's answers. */
export async function averageCoverage(db: Db, promptId: number): Promise<Record<string, number>> {
  const rows = await db
    .select({ step: sql<string>`kv.key`, average: sql<number>`avg((kv.value)::float8)` })
    .from(sql`${answers}, jsonb_each(${answers.coverage}) as kv`)
    .where(eq(answers.promptId, promptId))
    .groupBy(sql`kv.key`);
  return Object.fromEntries(rows.map((row) => [row.step, Number(row.average)]));
}

/**
 * The daily answer a platform message holds, found from where the message lives: the study channel (Slack
 * threads live in it) or the prompt's thread (a Discord thread is its own channel).
 */
export async function findAnswerByMessage(
  db: Db,
  where: { platform: string; workspaceId: string; channelId: string; messageId: string },
) {
  const [row] = await db
    .select({
      answerId: answers.id,
      authorId: answers.memberId,
      caseId: prompts.caseId,
      channelId: channels.id,
    })
    .from(answers)
    .innerJoin(prompts, eq(answers.promptId, prompts.id))
    .innerJoin(channels, eq(prompts.channelId, channels.id))
    .where(
      and(
        eq(answers.messageId, where.messageId),
        eq(channels.platform, where.platform),
        eq(channels.workspaceId, where.workspaceId),
        or(eq(channels.channelId, where.channelId), eq(prompts.threadId, where.channelId)),
      ),
    );
  return row;
}

/** A member's answer to a prompt, if they gave one. */
export async function findMemberAnswer(
  db: Db,
  promptId: number,
  memberId: number,
): Promise<AnswerRow | undefined> {
  const [row] = await db
    .select()
    .from(answers)
    .where(and(eq(answers.promptId, promptId), eq(answers.memberId, memberId)));
  return row;
}

export type RevisionRow = typeof revisions.$inferSelect;

/**
 * Stores a revision (practice after the close-out, or a follow-up answer); the same message again (a retry
 * or an edit) updates it. `unchanged` when the same text arrives again.
 */
export async function saveRevision(
  db: Db,
  value: Omit<typeof revisions.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<{ revision: RevisionRow; unchanged: boolean }> {
  const [existing] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.memberId, value.memberId), eq(revisions.messageId, value.messageId)));
  if (existing && existing.text === value.text) return { revision: existing, unchanged: true };
  const [row] = await db
    .insert(revisions)
    .values({ ...value, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [revisions.memberId, revisions.messageId],
      set: {
        text: value.text,
        score: value.score,
        coverage: value.coverage,
        wordCount: value.wordCount,
        updatedAt: now,
      },
    })
    .returning();
  return { revision: row as RevisionRow, unchanged: false };
}

/** The member's latest whole-answer revision of a prompt (follow-ups to one step aside). */
export async function latestRevision(
  db: Db,
  promptId: number,
  memberId: number,
): Promise<RevisionRow | undefined> {
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.promptId, promptId), eq(revisions.memberId, memberId), isNull(revisions.step)))
    .orderBy(desc(revisions.updatedAt), desc(revisions.id))
    .limit(1);
  return row;
}
