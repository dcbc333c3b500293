import { and, asc, count, desc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channels, prompts } from '../schema/index.ts';
import type { ChannelRow } from './channels.ts';

export type PromptRow = typeof prompts.$inferSelect;

/** A claim older than this is taken to belong to a worker that died, and may be taken over. */

/**
 * Today's prompt row of a channel, created with the unit chosen for it unless one exists: a prompt's case is
 * fixed by whoever comes first, and every later caller (a retry, a racing command) posts that one.
 */
export async function findOrCreatePrompt(
  db: Db,
  values: { channelId: number; caseId: string; focusStep: string | null; localDate: string; closesAt: Date },
): Promise<PromptRow> {
  const [inserted] = await db
    .insert(prompts)
    .values(values)
    .onConflictDoNothing({ target: [prompts.channelId, prompts.localDate] })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.channelId, values.channelId), eq(prompts.localDate, values.localDate)));
  return existing as PromptRow;
}

export async function markPromptPosted(
  db: Db,
  id: number,
  posted: {
    messageId: string;
    threadId: string;
    permalink?: string | undefined;
    postedAt: Date;
    closesAt: Date;
  },
): Promise<PromptRow> {
  const [row] = await db
    .update(prompts)
    .set({ ...posted, permalink: posted.permalink ?? null })
    .where(eq(prompts.id, id))
    .returning();
  return row as PromptRow;
}

export async function findPrompt(db: Db, id: number): Promise<PromptRow | undefined> {
  const [row] = await db.select().from(prompts).where(eq(prompts.id, id));
  return row;
}

export async function findPromptOn(
  db: Db,
  channelId: number,
  localDate: string,
): Promise<PromptRow | undefined> {
  const [row] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.channelId, channelId), eq(prompts.localDate, localDate)));
  return row;
}

/** A channel's most recent posted prompt. */
export async function findLatestPrompt(db: Db, channelId: number): Promise<PromptRow | undefined> {
  const [row] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.channelId, channelId), isNotNull(prompts.messageId)))
    .orderBy(desc(prompts.localDate))
    .limit(1);
  return row;
}

/** The prompt whose thread a message was posted in, with its channel. */
export async function findPromptByThread(
  db: Db,
  where: { platform: string; workspaceId: string; channelId: string; threadId: string },
): Promise<{ prompt: PromptRow; channel: ChannelRow } | undefined> {
  const [row] = await db
    .select({ prompt: prompts, channel: channels })
    .from(prompts)
    .innerJoin(channels, eq(prompts.channelId, channels.id))
    .where(
      and(
        eq(prompts.threadId, where.threadId),
        eq(channels.platform, where.platform),
        eq(channels.workspaceId, where.workspaceId),
        eq(channels.channelId, where.channelId),
      ),
    );
  return row;
}

export type PostedUnit = { caseId: string; focusStep: string | null; times: number };

/** How often each case (whole, or one step of it) has been posted to a channel, for the rotation. */
export async function countPostedUnits(db: Db, channelId: number): Promise<PostedUnit[]> {
  const rows = await db
    .select({ caseId: prompts.caseId, focusStep: prompts.focusStep, times: count() })
    .from(prompts)
    .where(eq(prompts.channelId, channelId))
    .groupBy(prompts.caseId, prompts.focusStep);
  return rows.map((row) => ({ ...row, times: Number(row.times) }));
}

/** Marks a prompt closed; false when it was closed already. */
export async function markPromptClosed(db: Db, id: number, closedAt: Date): Promise<boolean> {
  const rows = await db
    .update(prompts)
    .set({ closedAt })
    .where(and(eq(prompts.id, id), isNull(prompts.closedAt)))
    .returning({ id: prompts.id });
  return rows.length > 0;
}

/** Posted prompts past their deadline that nobody has closed. */
export async function listOverduePrompts(db: Db, now: Date): Promise<PromptRow[]> {
  return db
    .select()
    .from(prompts)
    .where(and(isNull(prompts.closedAt), sql`${prompts.messageId} is not null`, lte(prompts.closesAt, now)))
    .orderBy(asc(prompts.closesAt));
}

/** Posted prompts still open, to re-arm their close-out jobs after Redis lost its data. */
export async function listOpenPrompts(db: Db): Promise<PromptRow[]> {
  return db
    .select()
    .from(prompts)
    .where(and(isNull(prompts.closedAt), sql`${prompts.messageId} is not null`));
}
