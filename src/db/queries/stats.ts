import { and, asc, count, desc, eq, gt, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  answers,
  channels,
  digests,
  members,
  mockFeedback,
  pairings,
  pairRounds,
  pointEvents,
  prompts,
} from '../schema/index.ts';

/** Prompt days for a member's streak: days their study channels posted, and days they answered. */
export async function streakDays(
  db: Db,
  memberId: number,
  now: Date,
): Promise<{ required: string[]; answered: string[]; open: string | undefined }> {
  const mine = await db
    .select({ channelId: prompts.channelId, localDate: prompts.localDate })
    .from(answers)
    .innerJoin(prompts, eq(answers.promptId, prompts.id))
    .where(eq(answers.memberId, memberId))
    .orderBy(asc(prompts.localDate));
  if (mine.length === 0) return { required: [], answered: [], open: undefined };
  const first = mine[0]?.localDate ?? '';
  const channelIds = [...new Set(mine.map((row) => row.channelId))];
  const posted = await db
    .select({ localDate: prompts.localDate, closesAt: prompts.closesAt, closedAt: prompts.closedAt })
    .from(prompts)
    .where(
      and(
        inArray(prompts.channelId, channelIds),
        isNotNull(prompts.messageId),
        sql`${prompts.localDate} >= ${first}`,
      ),
    );
  const open = posted
    .filter((row) => !row.closedAt && row.closesAt > now)
    .map((row) => row.localDate)
    .sort()
    .at(-1);
  return { required: posted.map((row) => row.localDate), answered: mine.map((row) => row.localDate), open };
}

/** How many answers a member has, and their average coverage per framework step. */
export async function answerCoverage(
  db: Db,
  memberId: number,
): Promise<{ answers: number; coverage: Record<string, number> }> {
  const [total] = await db.select({ n: count() }).from(answers).where(eq(answers.memberId, memberId));
  const rows = await db
    .select({ step: sql<string>`kv.key`, average: sql<number>`avg((kv.value)::float8)` })
    .from(sql`${answers}, jsonb_each(${answers.coverage}) as kv`)
    .where(eq(answers.memberId, memberId))
    .groupBy(sql`kv.key`);
  return {
    answers: Number(total?.n ?? 0),
    coverage: Object.fromEntries(rows.map((row) => [row.step, Number(row.average)])),
  };
}

export async function recentAwards(db: Db, memberId: number, limit: number) {
  return db
    .select({
      points: pointEvents.points,
      reason: pointEvents.reason,
      kind: pointEvents.kind,
      at: pointEvents.createdAt,
    })
    .from(pointEvents)
    .where(eq(pointEvents.memberId, memberId))
    .orderBy(desc(pointEvents.createdAt), desc(pointEvents.id))
    .limit(limit);
}

export async function mockCounts(
  db: Db,
  memberId: number,
): Promise<{ total: number; done: number; asCandidate: number; feedbackReceived: number }> {
  const all = await db
    .select({ status: pairings.status, candidateId: pairings.candidateId })
    .from(pairings)
    .where(
      or(
        eq(pairings.interviewerId, memberId),
        eq(pairings.candidateId, memberId),
        eq(pairings.observerId, memberId),
      ),
    );
  const mocks = all.filter((row) => row.status === 'done');
  const [received] = await db
    .select({ n: count() })
    .from(mockFeedback)
    .where(eq(mockFeedback.aboutMemberId, memberId));
  return {
    total: all.length,
    done: mocks.length,
    asCandidate: mocks.filter((row) => row.candidateId === memberId).length,
    feedbackReceived: Number(received?.n ?? 0),
  };
}

export async function setHidden(db: Db, memberId: number, hidden: boolean): Promise<void> {
  await db.update(members).set({ hiddenFromBoards: hidden }).where(eq(members.id, memberId));
}

/** Claims the digest of a channel's week; false when it was posted already. */
export async function claimDigest(db: Db, channelId: number, weekKey: string): Promise<boolean> {
  const rows = await db.insert(digests).values({ channelId, weekKey }).onConflictDoNothing().returning();
  return rows.length > 0;
}

/** A channel's week: answers to its prompts, mocks completed in its rounds, and average coverage per step. */
export async function channelWeek(
  db: Db,
  channelId: number,
  since: Date,
): Promise<{ answers: number; mocks: number; coverage: Record<string, number> }> {
  const [answered] = await db
    .select({ n: count() })
    .from(answers)
    .innerJoin(prompts, eq(answers.promptId, prompts.id))
    .where(and(eq(prompts.channelId, channelId), gt(answers.updatedAt, since)));
  const [mocks] = await db
    .select({ n: count() })
    .from(pairings)
    .innerJoin(pairRounds, eq(pairings.roundId, pairRounds.id))
    .where(and(eq(pairRounds.channelId, channelId), eq(pairings.status, 'done'), gt(pairings.doneAt, since)));
  const rows = await db
    .select({ step: sql<string>`kv.key`, average: sql<number>`avg((kv.value)::float8)` })
    .from(
      sql`${answers} join ${prompts} on ${answers.promptId} = ${prompts.id}, jsonb_each(${answers.coverage}) as kv`,
    )
    .where(and(eq(prompts.channelId, channelId), gt(answers.updatedAt, since)))
    .groupBy(sql`kv.key`);
  return {
    answers: Number(answered?.n ?? 0),
    mocks: Number(mocks?.n ?? 0),
    coverage: Object.fromEntries(rows.map((row) => [row.step, Number(row.average)])),
  };
}

/** A member's point awards since a time, for the activity heatmap. */
export async function pointsSince(
  db: Db,
  memberId: number,
  since: Date,
): Promise<Array<{ at: Date; points: number }>> {
  return db
    .select({ at: pointEvents.createdAt, points: pointEvents.points })
    .from(pointEvents)
    .where(and(eq(pointEvents.memberId, memberId), gt(pointEvents.createdAt, since)));
}

/** The channels a member has earned points in (for their App Home boards). */
export async function memberBoards(db: Db, memberId: number) {
  return db
    .selectDistinct({ channelId: channels.id, name: channels.name, timeZone: channels.timeZone })
    .from(pointEvents)
    .innerJoin(channels, eq(pointEvents.channelId, channels.id))
    .where(eq(pointEvents.memberId, memberId));
}
