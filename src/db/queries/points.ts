import { and, count, desc, eq, like, sql, sum } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../client.ts';
import { boardScores, boardTotals, channels, members, pointEvents } from '../schema/index.ts';

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
 * totals and score counts move in the same transaction, so boards never disagree with the ledger. Returns
 * the rows added.
 */
export async function appendPointEvents(db: Db, events: PointEvent[]): Promise<PointEvent[]> {
  if (events.length === 0) return [];
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(pointEvents)
      .values(events)
      .onConflictDoNothing({ target: [pointEvents.kind, pointEvents.ref] })
      .returning();
    const onBoards = added.filter((row) => row.channelId !== null);
    if (onBoards.length === 0) return added;
    // One writer per channel board at a time, until commit: the old totals read below are then current,
    // score rows are never locked in opposite orders, and a member hidden meanwhile (setHidden takes the
    // same locks) is either seen hidden here or moved out by setHidden after this commits.
    const channelIds = [...new Set(onBoards.map((row) => row.channelId as number))].sort((a, b) => a - b);
    for (const channelId of channelIds) {
      await tx.execute(sql`select pg_advisory_xact_lock(${BOARD_LOCK}, ${channelId})`);
    }
    const ids = sql.join(
      onBoards.map((row) => sql`${row.id}`),
      sql`, `,
    );
    await tx.execute(sql`
      with delta as (
        select e.channel_id, e.member_id, p.period, sum(e.points)::int as points
        from ${pointEvents} e join ${channels} c on c.id = e.channel_id ${PERIODS_OF}
        where e.id in (${ids})
        group by 1, 2, 3
      ),
      old as (
        select b.channel_id, b.member_id, b.period, b.points
        from ${boardTotals} b join delta d using (channel_id, member_id, period)
      ),
      totals as (
        insert into ${boardTotals} (channel_id, member_id, period, points)
        select channel_id, member_id, period, points from delta
        on conflict (channel_id, period, member_id) do update set points = ${boardTotals}.points + excluded.points
      ),
      moves as (
        select d.channel_id, d.member_id, d.period, coalesce(o.points, 0) + d.points as points, 1 as n
        from delta d left join old o using (channel_id, member_id, period)
        union all
        select channel_id, member_id, period, points, -1 from old
      )
      insert into ${boardScores} (channel_id, period, points, members)
      select mv.channel_id, mv.period, mv.points, sum(mv.n)::int
      from moves mv join ${members} m on m.id = mv.member_id and not m.hidden_from_boards
      group by 1, 2, 3 having sum(mv.n) <> 0 order by 1, 2, 3
      on conflict (channel_id, period, points) do update set members = ${boardScores}.members + excluded.members`);
    return added;
  });
}

/**
 * Appends one award unless `cap` awards of its kind already carry refs starting with `refPrefix` (say, the
 * voters of one answer). Awards sharing a prefix are serialised by an advisory lock on it, so racing
 * deliveries cannot pass the cap.
 */
export async function appendCappedPointEvent(
  db: Db,
  event: PointEvent,
  limit: { refPrefix: string; cap: number },
): Promise<'added' | 'capped' | 'duplicate'> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CAP_LOCK}, hashtext(${limit.refPrefix}))`);
    const [row] = await tx
      .select({ n: count() })
      .from(pointEvents)
      .where(and(eq(pointEvents.kind, event.kind), like(pointEvents.ref, `${limit.refPrefix}%`)));
    if (Number(row?.n ?? 0) >= limit.cap) return 'capped';
    const added = await appendPointEvents(tx as unknown as Db, [event]);
    return added.length > 0 ? 'added' : 'duplicate';
  });
}

/** Advisory lock class for "counting capped awards" (the second key hashes their ref prefix). */
const CAP_LOCK = 7_410_002;

/** Advisory lock class for "writing a channel's boards" (the second key is the channel id). */
const BOARD_LOCK = 7_410_001;

/** Recomputes every leaderboard total and score count from the ledger (the source of truth). */
export async function rebuildBoardTotals(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${boardTotals}, ${boardScores} in exclusive mode`);
    await tx.delete(boardTotals);
    await tx.delete(boardScores);
    await tx.execute(sql`
      insert into ${boardTotals} (channel_id, member_id, period, points)
      select e.channel_id, e.member_id, p.period, sum(e.points)
      from ${pointEvents} e join ${channels} c on c.id = e.channel_id ${PERIODS_OF}
      group by 1, 2, 3`);
    await tx.execute(sql`
      insert into ${boardScores} (channel_id, period, points, members)
      select b.channel_id, b.period, b.points, count(*)
      from ${boardTotals} b join ${members} m on m.id = b.member_id and not m.hidden_from_boards
      group by 1, 2, 3`);
  });
}

/**
 * Takes a member off the public boards or puts them back: their rows leave or rejoin every board's score
 * counts in the same transaction, under the board locks of their workspace's channels. Idempotent.
 */
export async function setHidden(db: Db, memberId: number, hidden: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const [member] = await tx
      .select({ platform: members.platform, workspaceId: members.workspaceId })
      .from(members)
      .where(eq(members.id, memberId));
    if (!member) return;
    await lockWorkspaceBoards(tx as unknown as Db, member.platform, member.workspaceId);
    const changed = await tx
      .update(members)
      .set({ hiddenFromBoards: hidden })
      .where(and(eq(members.id, memberId), eq(members.hiddenFromBoards, !hidden)))
      .returning({ id: members.id });
    if (changed.length === 0) return;
    await tx.execute(sql`
      insert into ${boardScores} (channel_id, period, points, members)
      select channel_id, period, points, ${hidden ? -1 : 1} * count(*)::int from ${boardTotals}
      where member_id = ${memberId}
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (channel_id, period, points) do update set members = ${boardScores}.members + excluded.members`);
  });
}

/** Takes the board locks of every channel of a workspace, in channel order; held until the transaction ends. */
export async function lockWorkspaceBoards(tx: Db, platform: string, workspaceId: string): Promise<void> {
  const boards = await tx
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.platform, platform), eq(channels.workspaceId, workspaceId)))
    .orderBy(channels.id);
  for (const board of boards) await tx.execute(sql`select pg_advisory_xact_lock(${BOARD_LOCK}, ${board.id})`);
}

/**
 * Hands a member's ledger rows and board totals to a hidden member (forgetting someone): their rows leave
 * the score counts first when they were shown, so ranks and "of N" drop them while every channel's and
 * team's totals stay. Run inside a transaction holding the workspace's board locks. Returns the rows moved.
 */
export async function handOverPoints(
  tx: Db,
  from: { id: number; hidden: boolean },
  toHiddenMemberId: number,
): Promise<{ rows: number; total: number }> {
  if (!from.hidden) {
    await tx.execute(sql`
      insert into ${boardScores} (channel_id, period, points, members)
      select channel_id, period, points, -count(*)::int from ${boardTotals}
      where member_id = ${from.id}
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (channel_id, period, points) do update set members = ${boardScores}.members + excluded.members`);
  }
  await tx.update(boardTotals).set({ memberId: toHiddenMemberId }).where(eq(boardTotals.memberId, from.id));
  const moved = await tx
    .update(pointEvents)
    .set({ memberId: toHiddenMemberId })
    .where(eq(pointEvents.memberId, from.id))
    .returning({ points: pointEvents.points });
  return { rows: moved.length, total: moved.reduce((sum, row) => sum + row.points, 0) };
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
 * What a leaderboard shows for one viewer: the public top `limit` from the totals' (channel, period,
 * points) index, and the viewer's rank and the "of N" count from the score counts of shown members (a
 * hidden viewer ranks among them without being counted). Two queries, whatever the size of the board.
 */
export async function boardView(
  db: Db,
  channelId: number,
  period: string,
  memberId: number,
  limit = 10,
): Promise<BoardView> {
  // A limit of 0 asks for the viewer's line alone (stats, App Home): no top query then.
  const rows =
    limit === 0
      ? []
      : await db
          .select({
            memberId: members.id,
            userId: members.userId,
            displayName: members.displayName,
            points: boardTotals.points,
          })
          .from(boardTotals)
          .innerJoin(members, eq(boardTotals.memberId, members.id))
          .where(
            and(
              eq(boardTotals.channelId, channelId),
              eq(boardTotals.period, period),
              eq(members.hiddenFromBoards, false),
            ),
          )
          // Points alone, so the index yields the top rows directly; equal scores are then ordered by name.
          .orderBy(desc(boardTotals.points))
          .limit(limit);
  rows.sort((a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName));
  // Ties share a rank: a row ranks where the first row with its points stands.
  const top = rows.map((row) => ({
    ...row,
    rank: rows.findIndex((other) => other.points === row.points) + 1,
  }));
  const result = await db.execute(sql`
    select mine.points, mine.hidden,
      (select coalesce(sum(s.members), 0) from ${boardScores} s
        where s.channel_id = ${channelId} and s.period = ${period}) as shown,
      (select coalesce(sum(s.members), 0) from ${boardScores} s
        where s.channel_id = ${channelId} and s.period = ${period} and s.points > mine.points) as above
    from (values (1)) as one(x)
    left join (
      select b.points, m.hidden_from_boards as hidden from ${boardTotals} b join ${members} m on m.id = b.member_id
      where b.channel_id = ${channelId} and b.period = ${period} and b.member_id = ${memberId}
    ) mine on true`);
  const [counts] = (result as unknown as { rows: Array<Record<string, string | number | boolean | null>> })
    .rows;
  const shown = Number(counts?.shown ?? 0);
  if (counts?.points === null || counts?.points === undefined) return { top, shown, me: undefined };
  return {
    top,
    shown,
    me: {
      points: Number(counts.points),
      rank: Number(counts.above) + 1,
      hidden: Boolean(counts.hidden),
    },
  };
}
