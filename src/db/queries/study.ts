import { and, asc, count, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channels, drillItems, drillReviews, members, plans } from '../schema/index.ts';
import { memberStillHere } from './installations.ts';

export type PlanRow = typeof plans.$inferSelect;
export type DrillItemRow = typeof drillItems.$inferSelect;

/** An item's spaced-repetition state as stored (the FSRS card's fields). */
export type MemoryState = Pick<
  DrillItemRow,
  | 'due'
  | 'stability'
  | 'difficulty'
  | 'elapsedDays'
  | 'scheduledDays'
  | 'learningSteps'
  | 'reps'
  | 'lapses'
  | 'state'
  | 'lastReview'
>;

export async function savePlan(
  db: Db,
  plan: Omit<typeof plans.$inferInsert, 'createdAt' | 'nudgedAt'>,
): Promise<PlanRow> {
  const { memberId: _member, ...changes } = plan;
  const [row] = await db
    .insert(plans)
    .values(plan)
    .onConflictDoUpdate({ target: plans.memberId, set: { ...changes, nudgedAt: null } })
    .returning();
  return row as PlanRow;
}

export async function findPlan(db: Db, memberId: number): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.memberId, memberId));
  return row;
}

export async function deletePlan(db: Db, memberId: number): Promise<boolean> {
  const rows = await db.delete(plans).where(eq(plans.memberId, memberId)).returning({ id: plans.memberId });
  return rows.length > 0;
}

export async function setPlanTime(db: Db, memberId: number, morningTime: string): Promise<boolean> {
  const rows = await db
    .update(plans)
    .set({ morningTime })
    .where(eq(plans.memberId, memberId))
    .returning({ id: plans.memberId });
  return rows.length > 0;
}

/** Marks practice on a plan: the quiet-days count starts again, and so does the right to one nudge. */
export async function touchPlan(db: Db, memberId: number, at: Date): Promise<void> {
  await db.update(plans).set({ lastActiveAt: at, nudgedAt: null }).where(eq(plans.memberId, memberId));
}

/** Records the one nudge of a quiet stretch; false when it was recorded already. */
export async function markNudged(db: Db, memberId: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(plans)
    .set({ nudgedAt: at })
    .where(and(eq(plans.memberId, memberId), isNull(plans.nudgedAt)))
    .returning({ id: plans.memberId });
  return rows.length > 0;
}

/** Every plan with its member, for the morning round. */
export async function listPlans(db: Db) {
  return db
    .select({ plan: plans, member: members, channelZone: channels.timeZone })
    .from(plans)
    .innerJoin(members, eq(members.id, plans.memberId))
    .leftJoin(channels, eq(channels.id, plans.channelId))
    .where(memberStillHere())
    .orderBy(asc(plans.memberId));
}

const stateColumns = (memory: MemoryState) => ({
  due: memory.due,
  stability: memory.stability,
  difficulty: memory.difficulty,
  elapsedDays: memory.elapsedDays,
  scheduledDays: memory.scheduledDays,
  learningSteps: memory.learningSteps,
  reps: memory.reps,
  lapses: memory.lapses,
  state: memory.state,
  lastReview: memory.lastReview,
});

export const memoryOf = (row: DrillItemRow): MemoryState => ({
  due: row.due,
  stability: row.stability,
  difficulty: row.difficulty,
  elapsedDays: row.elapsedDays,
  scheduledDays: row.scheduledDays,
  learningSteps: row.learningSteps,
  reps: row.reps,
  lapses: row.lapses,
  state: row.state,
  lastReview: row.lastReview,
});

/** Adds items a member has not met yet, new and due from `memory.due` in order; returns the keys added. */
export async function addItems(
  db: Db,
  memberId: number,
  keys: string[],
  memory: MemoryState,
): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .insert(drillItems)
    // A second apart, so items met together come due (and are served) in the order given.
    .values(
      keys.map((itemKey, index) => ({
        memberId,
        itemKey,
        ...stateColumns(memory),
        due: new Date(memory.due.getTime() + index * 1_000),
        addedAt: memory.due,
      })),
    )
    .onConflictDoNothing()
    .returning({ key: drillItems.itemKey });
  return rows.map((row) => row.key);
}

/** Brings items due now (a miss in an answer or a mock), adding the ones the member has not met. */
export async function makeDue(db: Db, memberId: number, keys: string[], fresh: MemoryState): Promise<void> {
  if (keys.length === 0) return;
  await addItems(db, memberId, keys, fresh);
  await db
    .update(drillItems)
    .set({ due: fresh.due })
    .where(
      and(
        eq(drillItems.memberId, memberId),
        inArray(drillItems.itemKey, keys),
        sql`${drillItems.due} > ${fresh.due}`,
      ),
    );
}

export async function findItem(db: Db, memberId: number, itemKey: string): Promise<DrillItemRow | undefined> {
  const [row] = await db
    .select()
    .from(drillItems)
    .where(and(eq(drillItems.memberId, memberId), eq(drillItems.itemKey, itemKey)));
  return row;
}

/** The member's most overdue item due by `until`, if any. */
export async function nextDue(db: Db, memberId: number, until: Date): Promise<DrillItemRow | undefined> {
  const [row] = await db
    .select()
    .from(drillItems)
    .where(and(eq(drillItems.memberId, memberId), lte(drillItems.due, until)))
    .orderBy(asc(drillItems.due), asc(drillItems.itemKey))
    .limit(1);
  return row;
}

/** How many items a member has due by `until`, and how many were never reviewed. */
export async function dueCount(
  db: Db,
  memberId: number,
  until: Date,
): Promise<{ due: number; fresh: number }> {
  const [row] = await db
    .select({ due: count(), fresh: sql<number>`count(*) filter (where ${drillItems.reps} = 0)` })
    .from(drillItems)
    .where(and(eq(drillItems.memberId, memberId), lte(drillItems.due, until)));
  return { due: Number(row?.due ?? 0), fresh: Number(row?.fresh ?? 0) };
}

/** Items never reviewed, and how many items the member has in all. */
export async function itemCounts(db: Db, memberId: number): Promise<{ items: number; unseen: number }> {
  const [row] = await db
    .select({ items: count(), unseen: sql<number>`count(*) filter (where ${drillItems.reps} = 0)` })
    .from(drillItems)
    .where(eq(drillItems.memberId, memberId));
  return { items: Number(row?.items ?? 0), unseen: Number(row?.unseen ?? 0) };
}

/**
 * Applies one review: the new state, and the log line, only if the item still has the reps the rating
 * was made for (a double click or a retried delivery applies once). False when it did not apply.
 */
export async function recordReview(
  db: Db,
  input: {
    memberId: number;
    itemKey: string;
    reps: number;
    before: number;
    rating: number;
    coverage?: number | undefined;
    after: MemoryState;
    at: Date;
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(drillItems)
      .set(stateColumns(input.after))
      .where(
        and(
          eq(drillItems.memberId, input.memberId),
          eq(drillItems.itemKey, input.itemKey),
          eq(drillItems.reps, input.reps),
        ),
      )
      .returning({ key: drillItems.itemKey });
    if (updated.length === 0) return false;
    await tx.insert(drillReviews).values({
      memberId: input.memberId,
      itemKey: input.itemKey,
      rating: input.rating,
      state: input.before,
      reps: input.reps,
      coverage: input.coverage ?? null,
      reviewedAt: input.at,
      nextDue: input.after.due,
    });
    return true;
  });
}

/** Reviews since `since`: how many, and how many were recalled (rated Hard or better). */
export async function reviewTally(
  db: Db,
  memberId: number,
  since: Date,
): Promise<{ reviews: number; recalled: number }> {
  const [row] = await db
    .select({ reviews: count(), recalled: sql<number>`count(*) filter (where ${drillReviews.rating} > 1)` })
    .from(drillReviews)
    .where(and(eq(drillReviews.memberId, memberId), gte(drillReviews.reviewedAt, since)));
  return { reviews: Number(row?.reviews ?? 0), recalled: Number(row?.recalled ?? 0) };
}

/** Items coming due per day over the next days (by due timestamp), for the forecast. */
export async function dueTimes(db: Db, memberId: number, until: Date): Promise<Date[]> {
  const rows = await db
    .select({ due: drillItems.due })
    .from(drillItems)
    .where(and(eq(drillItems.memberId, memberId), lt(drillItems.due, until)));
  return rows.map((row) => row.due);
}

/** Every member's count of items due by `until` (the morning round for all plans at once). */
export async function dueByMember(db: Db, until: Date): Promise<Map<number, number>> {
  const rows = await db
    .select({ memberId: drillItems.memberId, due: count() })
    .from(drillItems)
    .where(lte(drillItems.due, until))
    .groupBy(drillItems.memberId);
  return new Map(rows.map((row) => [row.memberId, Number(row.due)]));
}

/** The keys of every item a member has met. */
export async function itemKeys(db: Db, memberId: number): Promise<Set<string>> {
  const rows = await db
    .select({ key: drillItems.itemKey })
    .from(drillItems)
    .where(eq(drillItems.memberId, memberId));
  return new Set(rows.map((row) => row.key));
}

/** Items a member met since `since` (today's new items). */
export async function addedSince(db: Db, memberId: number, since: Date): Promise<string[]> {
  const rows = await db
    .select({ key: drillItems.itemKey })
    .from(drillItems)
    .where(and(eq(drillItems.memberId, memberId), gte(drillItems.addedAt, since)))
    .orderBy(asc(drillItems.addedAt), asc(drillItems.itemKey));
  return rows.map((row) => row.key);
}

/** Reviews a member did since `since`. */
export async function reviewsSince(db: Db, memberId: number, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(drillReviews)
    .where(and(eq(drillReviews.memberId, memberId), gte(drillReviews.reviewedAt, since)));
  return Number(row?.n ?? 0);
}

/** Forgets an item whose content left the library. */
export async function removeItem(db: Db, memberId: number, itemKey: string): Promise<void> {
  await db.delete(drillItems).where(and(eq(drillItems.memberId, memberId), eq(drillItems.itemKey, itemKey)));
}

/**
 * The day's due items of many members at once, each up to their own local end of day: how many, how many
 * never reviewed, and the first few keys in order. One query however many members (the morning round).
 */
export async function dueToday(
  db: Db,
  wanted: Array<{ memberId: number; until: Date }>,
  first = 5,
): Promise<Map<number, { due: number; fresh: number; keys: string[] }>> {
  if (wanted.length === 0) return new Map();
  const ids = `{${wanted.map((item) => item.memberId).join(',')}}`;
  const untils = `{${wanted.map((item) => `"${item.until.toISOString()}"`).join(',')}}`;
  const result = await db.execute(sql`
    with wanted(member_id, until) as (select * from unnest(${ids}::int[], ${untils}::timestamptz[]))
    select d.member_id as "memberId", count(*)::int as due,
           count(*) filter (where d.reps = 0)::int as fresh,
           (array_agg(d.item_key order by d.due, d.item_key))[1:${first}] as keys
    from wanted w join ${drillItems} d on d.member_id = w.member_id and d.due <= w.until
    group by d.member_id`);
  const rows = (
    result as unknown as { rows: Array<{ memberId: number; due: number; fresh: number; keys: string[] }> }
  ).rows;
  return new Map(rows.map((row) => [row.memberId, { due: row.due, fresh: row.fresh, keys: row.keys }]));
}
