import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
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
  revisions,
} from '../schema/index.ts';
import { pairingsOf } from './pairing.ts';

/**
 * What a member's streak is made of: their on-time answers and completed mocks (from the ledger, so a reply
 * too short to earn points does not count), and the prompts of their study channels that closed since their
 * first answer without one from them. Each comes with the time zone of its channel.
 */
export async function streakActivity(
  db: Db,
  memberId: number,
  now: Date,
): Promise<{
  memberZone: string | null;
  done: Array<{ at: Date; zone: string | null }>;
  missed: Array<{ opensAt: Date; closesAt: Date; zone: string }>;
}> {
  const [member] = await db
    .select({ timeZone: members.timeZone })
    .from(members)
    .where(eq(members.id, memberId));
  const done = await db
    .select({
      at: pointEvents.createdAt,
      kind: pointEvents.kind,
      channelId: pointEvents.channelId,
      zone: channels.timeZone,
    })
    .from(pointEvents)
    .leftJoin(channels, eq(channels.id, pointEvents.channelId))
    .where(
      and(
        eq(pointEvents.memberId, memberId),
        inArray(pointEvents.kind, ['daily-answer', 'mock-done', 'drill-review']),
      ),
    )
    .orderBy(asc(pointEvents.createdAt));
  const answeredIn = [
    ...new Set(done.filter((row) => row.kind === 'daily-answer').map((row) => row.channelId as number)),
  ];
  const first = done.find((row) => row.kind === 'daily-answer')?.at;
  const missed =
    first && answeredIn.length > 0
      ? await db
          .select({ opensAt: prompts.postedAt, closesAt: prompts.closesAt, zone: channels.timeZone })
          .from(prompts)
          .innerJoin(channels, eq(channels.id, prompts.channelId))
          .leftJoin(answers, and(eq(answers.promptId, prompts.id), eq(answers.memberId, memberId)))
          .where(
            and(
              inArray(prompts.channelId, answeredIn),
              isNotNull(prompts.postedAt),
              isNull(answers.id),
              gte(prompts.closesAt, first),
              lte(prompts.closesAt, now),
            ),
          )
      : [];
  return {
    memberZone: member?.timeZone ?? null,
    done: done.map((row) => ({ at: row.at, zone: row.zone })),
    missed: missed.map((row) => ({
      opensAt: row.opensAt ?? row.closesAt,
      closesAt: row.closesAt,
      zone: row.zone,
    })),
  };
}

/**
 * How many answers and revisions (practice after the close-out) a member has, and their average coverage per
 * framework step over both: revisions feed the weak-step figures too.
 */
export async function answerCoverage(
  db: Db,
  memberId: number,
): Promise<{ answers: number; revisions: number; coverage: Record<string, number> }> {
  const [total] = await db.select({ n: count() }).from(answers).where(eq(answers.memberId, memberId));
  const [revised] = await db.select({ n: count() }).from(revisions).where(eq(revisions.memberId, memberId));
  const result = await db.execute(sql`
    select kv.key as step, avg((kv.value)::float8) as average
    from (
      select ${answers.coverage} as coverage from ${answers} where ${answers.memberId} = ${memberId}
      union all
      select ${revisions.coverage} from ${revisions} where ${revisions.memberId} = ${memberId}
    ) as practice, jsonb_each(practice.coverage) as kv
    group by kv.key`);
  const list = (result as unknown as { rows: Array<{ step: string; average: number | string }> }).rows;
  return {
    answers: Number(total?.n ?? 0),
    revisions: Number(revised?.n ?? 0),
    coverage: Object.fromEntries(list.map((row) => [row.step, Number(row.average)])),
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
    .where(pairingsOf(memberId));
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

/** Claims the digest of a channel's week; false when it was posted already. */
/** Whether a channel's digest of a week went out. */
export async function digestPosted(db: Db, channelId: number, weekKey: string): Promise<boolean> {
  const rows = await db
    .select({ channelId: digests.channelId })
    .from(digests)
    .where(and(eq(digests.channelId, channelId), eq(digests.weekKey, weekKey)));
  return rows.length > 0;
}

/** Records that a channel's digest of a week went out. */
export async function recordDigest(db: Db, channelId: number, weekKey: string): Promise<void> {
  await db.insert(digests).values({ channelId, weekKey }).onConflictDoNothing();
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

/** A member's point awards since a time, with their channel's time zone, for the activity heatmap. */
export async function pointsSince(
  db: Db,
  memberId: number,
  since: Date,
): Promise<Array<{ at: Date; points: number; zone: string | null }>> {
  return db
    .select({ at: pointEvents.createdAt, points: pointEvents.points, zone: channels.timeZone })
    .from(pointEvents)
    .leftJoin(channels, eq(channels.id, pointEvents.channelId))
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

/** Members with an on-time answer or a completed mock in a channel since a time: whoever may hold a streak. */
export async function recentlyActive(db: Db, channelId: number, since: Date) {
  return db
    .selectDistinct({
      memberId: members.id,
      userId: members.userId,
      displayName: members.displayName,
      hidden: members.hiddenFromBoards,
    })
    .from(pointEvents)
    .innerJoin(members, eq(members.id, pointEvents.memberId))
    .where(
      and(
        eq(pointEvents.channelId, channelId),
        inArray(pointEvents.kind, ['daily-answer', 'mock-done', 'drill-review']),
        gte(pointEvents.createdAt, since),
      ),
    );
}
