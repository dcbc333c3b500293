import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { sends } from '../schema/index.ts';

export type SentRef = { messageId?: string; threadId?: string; channelId?: string; permalink?: string };

export type SendClaim =
  /** This caller sends; `recheck` when an earlier sender may have sent before it died. */
  | { status: 'claimed'; recheck: boolean }
  /** Sent already: what was sent. */
  | { status: 'sent'; ref: SentRef }
  /** Another sender holds a fresh claim. */
  | { status: 'busy' };

/** Claims `key` for sending, unless it was sent or another sender's claim is younger than `ttlMs`. */
export async function claimSend(db: Db, key: string, now: Date, ttlMs: number): Promise<SendClaim> {
  const staleBefore = new Date(now.getTime() - ttlMs);
  const [claimed] = await db
    .insert(sends)
    .values({ key, claimedAt: now, attempts: 1 })
    .onConflictDoUpdate({
      target: sends.key,
      set: { claimedAt: now, attempts: sql`${sends.attempts} + 1` },
      setWhere: and(isNull(sends.sentAt), or(isNull(sends.claimedAt), lt(sends.claimedAt, staleBefore))),
    })
    .returning({ attempts: sends.attempts });
  if (claimed) return { status: 'claimed', recheck: claimed.attempts > 1 };
  const [row] = await db.select().from(sends).where(eq(sends.key, key));
  return row?.sentAt ? { status: 'sent', ref: row.ref ?? {} } : { status: 'busy' };
}

export async function markSent(db: Db, key: string, ref: SentRef, now: Date): Promise<void> {
  // A sender whose claim was taken over may still finish: the first record stands.
  await db
    .update(sends)
    .set({ sentAt: now, ref })
    .where(and(eq(sends.key, key), isNull(sends.sentAt)));
}

/** Gives a claim back after a failed send; the attempt count stays, so the next sender checks first. */
export async function releaseSend(db: Db, key: string): Promise<void> {
  await db
    .update(sends)
    .set({ claimedAt: null })
    .where(and(eq(sends.key, key), isNull(sends.sentAt)));
}

/** Which of `keys` were sent already (one query, for rounds that check many). */
export async function sentKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ key: sends.key })
    .from(sends)
    .where(and(inArray(sends.key, keys), isNotNull(sends.sentAt)));
  return new Set(rows.map((row) => row.key));
}
