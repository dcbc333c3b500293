import { and, desc, eq, gte, like, sql, sum } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members, pointEvents } from '../schema/index.ts';

export type PointEvent = Omit<typeof pointEvents.$inferInsert, 'id' | 'createdAt'> & { createdAt?: Date };

/** Appends awards to the ledger; an award whose (kind, ref) exists already is skipped. Returns those added. */
export async function appendPointEvents(db: Db, events: PointEvent[]): Promise<PointEvent[]> {
  if (events.length === 0) return [];
  return db
    .insert(pointEvents)
    .values(events)
    .onConflictDoNothing({ target: [pointEvents.kind, pointEvents.ref] })
    .returning();
}

/** Points already awarded under refs starting with `refPrefix` for one kind. */
export async function sumPointsByRef(db: Db, kind: string, refPrefix: string): Promise<number> {
  const [row] = await db
    .select({ total: sum(pointEvents.points) })
    .from(pointEvents)
    .where(and(eq(pointEvents.kind, kind), like(pointEvents.ref, `${refPrefix}%`)));
  return Number(row?.total ?? 0);
}

export type BoardRow = {
  memberId: number;
  userId: string;
  displayName: string;
  points: number;
  rank: number;
  hidden: boolean;
};

/** Every member's points in a channel since `since`, ranked (ties share a rank). */
export async function channelStandings(db: Db, channelId: number, since: Date): Promise<BoardRow[]> {
  const total = sql<number>`sum(${pointEvents.points})`;
  const rows = await db
    .select({
      memberId: members.id,
      userId: members.userId,
      displayName: members.displayName,
      hidden: members.hiddenFromBoards,
      points: total,
      rank: sql<number>`rank() over (order by sum(${pointEvents.points}) desc)`,
    })
    .from(pointEvents)
    .innerJoin(members, eq(pointEvents.memberId, members.id))
    .where(and(eq(pointEvents.channelId, channelId), gte(pointEvents.createdAt, since)))
    .groupBy(members.id)
    .orderBy(desc(total), members.displayName);
  return rows.map((row) => ({ ...row, points: Number(row.points), rank: Number(row.rank) }));
}
