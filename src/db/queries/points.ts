import { and, count, desc, eq, gt, like, sql, sum } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../client.ts';
import { boardTotals, channels, members, pointEvents } from '../schema/index.ts';

export type PointEvent = Omit<typeof pointEvents.$inferInsert, 'id' | 'createdAt'> & { createdAt?: Date };

// Which board periods a ledger row counts towards, in its channel's time zone: all time, its ISO week and
// its month. Shared by the incremental update and the rebuild so both give identical boards.
const PERIODS_OF = sql.raw(`cross join lateral (values
  ('all'),
  ('w:' || to_char(e.created_at at time zone c.time_zone, 'IYYY-IW')),
  ('m:' || to_char(e.created_at at time zone c.time_zone, 'YYYY-MM'))
) as p(period)`);

/**
 * Appends awards to the ledger; an award whose (kind, ref) exists already is skipped. The leaderboard
 * totals move in the same transaction, so boards never disagree with the ledger. Returns the rows added.
 */
export async function appendPointEvents(db: Db, events: PointEvent[]): Promise<PointEvent[]> {
  if (events.length === 0) return [];
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(pointEvents)
      .values(events)
      .onConflictDoNothing({ target: [pointEvents.kind, pointEvents.ref] })
      .returning();
    const ids = added.filter((row) => row.channelId !== null).map((row) => row.id);
    if (ids.length > 0) {
      await tx.execute(sql`
        insert into ${boardTotals} (channel_id, member_id, period, points)
        select e.channel_id, e.member_id, p.period, sum(e.points)
        from ${pointEvents} e join ${channels} c on c.id = e.channel_id ${PERIODS_OF}
        where e.id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})
        group by 1, 2, 3
        on conflict (channel_id, period, member_id) do update set points = ${boardTotals}.points + excluded.points`);
    }
    return added;
  });
}

/** Recomputes every leaderboard total from the ledger (the source of truth). */
export async function rebuildBoardTotals(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(boardTotals);
    await tx.execute(sql`
      insert into ${boardTotals} (channel_id, member_id, period, points)
      select e.channel_id, e.member_id, p.period, sum(e.points)
      from ${pointEvents} e join ${channels} c on c.id = e.channel_id ${PERIODS_OF}
      group by 1, 2, 3`);
  });
}

/** The board period key of an instant in a time zone ("all", "w:2026-48", "m:2026-11"). */
export function periodKey(period: 'week' | 'month' | 'all', at: Date, zone: string): string {
  if (period === 'all') return 'all';
  const local = DateTime.fromJSDate(at, { zone });
  return period === 'week'
    ? `w:${local.weekYear}-${String(local.weekNumber).padStart(2, '0')}`
    : `m:${local.year}-${String(local.month).padStart(2, '0')}`;
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

/** Every member's points in a channel for a board period, from the totals, ranked (ties share a rank). */
export async function channelStandings(db: Db, channelId: number, period: string): Promise<BoardRow[]> {
  const rows = await db
    .select({
      memberId: members.id,
      userId: members.userId,
      displayName: members.displayName,
      hidden: members.hiddenFromBoards,
      points: boardTotals.points,
      rank: sql<number>`rank() over (order by ${boardTotals.points} desc)`,
    })
    .from(boardTotals)
    .innerJoin(members, eq(boardTotals.memberId, members.id))
    .where(and(eq(boardTotals.channelId, channelId), eq(boardTotals.period, period)))
    .orderBy(desc(boardTotals.points), members.displayName);
  return rows.map((row) => ({ ...row, points: Number(row.points), rank: Number(row.rank) }));
}

export type BoardView = {
  /** The top of the public board: hidden members left out, ranks counted among those shown. */
  top: Array<{ memberId: number; userId: string; displayName: string; points: number; rank: number }>;
  /** Members shown on the board. */
  shown: number;
  /** The viewer's line: their rank among those shown, or hidden with their points. */
  me: { points: number; rank: number; hidden: boolean } | undefined;
};

/**
 * What a leaderboard shows for one viewer: the public top `limit` and the viewer's rank, read through the
 * totals' (channel, period, points) index rather than the whole board, so it stays fast at 100k members.
 */
export async function boardView(
  db: Db,
  channelId: number,
  period: string,
  memberId: number,
  limit = 10,
): Promise<BoardView> {
  const onBoard = and(eq(boardTotals.channelId, channelId), eq(boardTotals.period, period));
  // Hidden members are few: counts run on the (channel, period, points) index and subtract theirs, found
  // from the partial index of hidden members through the board's primary key.
  const countHidden = async (above?: number) => {
    const [row] = await db
      .select({ n: count() })
      .from(members)
      .innerJoin(boardTotals, and(onBoard, eq(boardTotals.memberId, members.id)))
      .where(
        and(
          eq(members.hiddenFromBoards, true),
          above === undefined ? undefined : gt(boardTotals.points, above),
        ),
      );
    return Number(row?.n ?? 0);
  };
  const rows = await db
    .select({
      memberId: members.id,
      userId: members.userId,
      displayName: members.displayName,
      points: boardTotals.points,
    })
    .from(boardTotals)
    .innerJoin(members, eq(boardTotals.memberId, members.id))
    .where(and(onBoard, eq(members.hiddenFromBoards, false)))
    // Points alone, so the index yields the top rows directly; equal scores are then ordered by name.
    .orderBy(desc(boardTotals.points))
    .limit(limit);
  rows.sort((a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName));
  // Ties share a rank: a row ranks where the first row with its points stands.
  const top = rows.map((row) => ({
    ...row,
    rank: rows.findIndex((other) => other.points === row.points) + 1,
  }));
  const countWhere = async (where: ReturnType<typeof and>) =>
    Number((await db.select({ n: count() }).from(boardTotals).where(where))[0]?.n ?? 0);
  const shown = (await countWhere(onBoard)) - (await countHidden());
  const [mine] = await db
    .select({ points: boardTotals.points, hidden: members.hiddenFromBoards })
    .from(boardTotals)
    .innerJoin(members, eq(boardTotals.memberId, members.id))
    .where(and(onBoard, eq(boardTotals.memberId, memberId)));
  if (!mine) return { top, shown, me: undefined };
  const rank =
    (await countWhere(and(onBoard, gt(boardTotals.points, mine.points)))) -
    (await countHidden(mine.points)) +
    1;
  return { top, shown, me: { points: mine.points, rank, hidden: mine.hidden } };
}
