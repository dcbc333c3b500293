import { and, asc, count, desc, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channels, prompts } from '../schema/index.ts';
import type { ChannelRow } from './channels.ts';

export type PromptRow = typeof prompts.$inferSelect;

/** A claim older than this is taken to belong to a worker that died, and may be taken over. */
const STALE_CLAIM_MS = 2 * 60_000;
const staleBefore = (now: Date) => new Date(now.getTime() - STALE_CLAIM_MS);

export type PromptClaim = { prompt: PromptRow; claimed: boolean };

/**
 * Reserves the one prompt of a channel for a local date. `claimed` is true for the caller that must post
 * it; a concurrent or repeated call gets the existing row with `claimed` false.
 */
export async function claimPromptPost(
  db: Db,
  values: { channelId: number; caseId: string; focusStep: string | null; localDate: string; closesAt: Date },
  now: Date,
): Promise<PromptClaim> {
  const [inserted] = await db
    .insert(prompts)
    .values({ ...values, postClaimedAt: now })
    .onConflictDoNothing({ target: [prompts.channelId, prompts.localDate] })
    .returning();
  if (inserted) return { prompt: inserted, claimed: true };
  const [taken] = await db
    .update(prompts)
    .set({ postClaimedAt: now })
    .where(
      and(
        eq(prompts.channelId, values.channelId),
        eq(prompts.localDate, values.localDate),
        isNull(prompts.messageId),
        or(isNull(prompts.postClaimedAt), lt(prompts.postClaimedAt, staleBefore(now))),
      ),
    )
    .returning();
  if (taken) return { prompt: taken, claimed: true };
  const [existing] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.channelId, values.channelId), eq(prompts.localDate, values.localDate)));
  return { prompt: existing as PromptRow, claimed: false };
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

/** Gives a claim back when posting failed, so a retry may post at once. */
export async function releasePromptClaim(db: Db, id: number): Promise<void> {
  await db
    .update(prompts)
    .set({ postClaimedAt: null })
    .where(and(eq(prompts.id, id), isNull(prompts.messageId)));
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

/** Reserves the close-out of a prompt for one caller; false when it is done or in hand elsewhere. */
export async function claimPromptClose(db: Db, id: number, now: Date): Promise<PromptRow | undefined> {
  const [row] = await db
    .update(prompts)
    .set({ closeClaimedAt: now })
    .where(
      and(
        eq(prompts.id, id),
        isNull(prompts.closedAt),
        sql`${prompts.messageId} is not null`,
        or(isNull(prompts.closeClaimedAt), lt(prompts.closeClaimedAt, staleBefore(now))),
      ),
    )
    .returning();
  return row;
}

export async function markPromptClosed(db: Db, id: number, closedAt: Date): Promise<void> {
  await db.update(prompts).set({ closedAt }).where(eq(prompts.id, id));
}

export async function releasePromptClose(db: Db, id: number): Promise<void> {
  await db
    .update(prompts)
    .set({ closeClaimedAt: null })
    .where(and(eq(prompts.id, id), isNull(prompts.closedAt)));
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
