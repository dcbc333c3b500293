import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import {
  appendPointEvents,
  boardView,
  channelStandings,
  periodKey,
  rebuildBoardTotals,
  setHidden,
} from '../../src/db/queries/points.ts';
import { boardScores, boardTotals, channels, members, pointEvents } from '../../src/db/schema/index.ts';
import { createTestDatabase } from '../helpers/db.ts';

/** Leaderboard totals move with the ledger in one transaction, and a rebuild from the ledger matches them. */
describe('board totals', () => {
  let database: Database;
  const channelIds: number[] = [];
  const memberIds: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    for (const [index, zone] of ['Europe/Berlin', 'America/Los_Angeles'].entries()) {
      const [row] = await db
        .insert(channels)
        .values({ platform: 'slack', workspaceId: 'T', channelId: `C${index}`, timeZone: zone })
        .returning();
      channelIds.push(row?.id ?? 0);
    }
    for (let index = 0; index < 6; index += 1) {
      const [row] = await db
        .insert(members)
        .values({ platform: 'slack', workspaceId: 'T', userId: `U${index}`, displayName: `m${index}` })
        .returning();
      memberIds.push(row?.id ?? 0);
    }
    // Awards across a DST change (late March) and a month end, some delivered twice.
    let ref = 0;
    const start = DateTime.fromISO('2026-03-25T20:00:00Z');
    for (let hour = 0; hour < 24 * 12; hour += 7) {
      ref += 1;
      const event = {
        memberId: memberIds[ref % memberIds.length] as number,
        channelId: channelIds[ref % 2] as number,
        kind: 'test',
        ref: `r${ref}`,
        points: (ref % 9) + 1,
        reason: 'test',
        createdAt: start.plus({ hours: hour }).toJSDate(),
      };
      await appendPointEvents(db, [event]);
      if (ref % 5 === 0) await appendPointEvents(db, [event]);
    }
  });

  afterAll(async () => {
    await database?.close();
  });

  /** What the ledger says a channel's board for a period is, computed independently. */
  async function fromLedger(channelId: number, period: string, zone: string): Promise<Map<number, number>> {
    const totals = new Map<number, number>();
    for (const event of await database.db.select().from(pointEvents)) {
      if (event.channelId !== channelId) continue;
      if (period !== 'all') {
        const local = DateTime.fromJSDate(event.createdAt, { zone });
        const key = period.startsWith('w:')
          ? `w:${local.weekYear}-${String(local.weekNumber).padStart(2, '0')}`
          : `m:${local.year}-${String(local.month).padStart(2, '0')}`;
        if (key !== period) continue;
      }
      totals.set(event.memberId, (totals.get(event.memberId) ?? 0) + event.points);
    }
    return totals;
  }

  const periods = (zone: string) => [
    'all',
    periodKey('week', new Date('2026-03-27T12:00:00Z'), zone),
    periodKey('week', new Date('2026-04-01T12:00:00Z'), zone),
    periodKey('month', new Date('2026-03-27T12:00:00Z'), zone),
    periodKey('month', new Date('2026-04-03T12:00:00Z'), zone),
  ];

  it('matches the ledger for every channel and period, duplicates counted once', async () => {
    for (const [index, channelId] of channelIds.entries()) {
      const zone = index === 0 ? 'Europe/Berlin' : 'America/Los_Angeles';
      for (const period of periods(zone)) {
        const board = await channelStandings(database.db, channelId, period);
        const expected = await fromLedger(channelId, period, zone);
        expect(new Map(board.map((row) => [row.memberId, row.points])), `${channelId} ${period}`).toEqual(
          expected,
        );
      }
    }
  });

  /** The score counts the totals imply: how many shown members hold each score (zero rows left out). */
  async function scoreCounts(): Promise<{ kept: string[]; implied: string[] }> {
    const hidden = new Set(
      (await database.db.select().from(members)).filter((row) => row.hiddenFromBoards).map((row) => row.id),
    );
    const implied = new Map<string, number>();
    for (const row of await database.db.select().from(boardTotals)) {
      if (hidden.has(row.memberId)) continue;
      const key = `${row.channelId}|${row.period}|${row.points}`;
      implied.set(key, (implied.get(key) ?? 0) + 1);
    }
    const kept = (await database.db.select().from(boardScores))
      .filter((row) => row.members !== 0)
      .map((row) => `${row.channelId}|${row.period}|${row.points}=${row.members}`);
    return { kept: kept.sort(), implied: [...implied].map(([key, n]) => `${key}=${n}`).sort() };
  }

  it('keeps the score counts in step with the totals', async () => {
    const { kept, implied } = await scoreCounts();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(implied);
  });

  it('rebuilds identical boards and score counts from the ledger', async () => {
    const before = await database.db.select().from(boardTotals);
    const scoresBefore = (await scoreCounts()).kept;
    await rebuildBoardTotals(database.db);
    const after = await database.db.select().from(boardTotals);
    const key = (row: (typeof before)[number]) =>
      `${row.channelId}|${row.period}|${row.memberId}|${row.points}`;
    expect(after.map(key).sort()).toEqual(before.map(key).sort());
    expect((await scoreCounts()).kept).toEqual(scoresBefore);
  });

  it('keeps the counts right under concurrent awards and corrections to one board', async () => {
    const channelId = channelIds[1] as number;
    const at = new Date('2026-04-20T12:00:00Z');
    // Several members at once, each in a few transactions of up and down moves (some colliding refs).
    await Promise.all(
      memberIds.flatMap((memberId, index) =>
        [7, -3, 5, -5, 11].map((points, step) =>
          appendPointEvents(database.db, [
            {
              memberId,
              channelId,
              kind: 'race',
              ref: `race:${memberId}:${step}`,
              points: points + index,
              reason: 'test',
              createdAt: at,
            },
            ...(step === 2
              ? [{ memberId, channelId, kind: 'race', ref: `race:${memberId}:0`, points: 99, reason: 'dup' }]
              : []),
          ]),
        ),
      ),
    );
    const { kept, implied } = await scoreCounts();
    expect(kept).toEqual(implied);
    const expected = await fromLedger(channelId, 'all', 'America/Los_Angeles');
    const board = await channelStandings(database.db, channelId, 'all');
    expect(new Map(board.map((row) => [row.memberId, row.points]))).toEqual(expected);
  });

  it('reads the top 10 and a member’s rank from the totals', async () => {
    const channelId = channelIds[0] as number;
    const board = await channelStandings(database.db, channelId, 'all');
    const last = board.at(-1);
    const { top, me } = await boardView(database.db, channelId, 'all', last?.memberId ?? 0);
    const [rank, points] = [me?.rank, me?.points];
    expect(top.map((row) => row.points)).toEqual(board.slice(0, 10).map((row) => row.points));
    expect(points).toBe(last?.points);
    expect(rank).toBe(last?.rank);
  });

  it('leaves hidden members out of the top, the count and the ranks, and still ranks a hidden viewer', async () => {
    const channelId = channelIds[0] as number;
    const board = await channelStandings(database.db, channelId, 'all');
    const [first, second] = board;
    const last = board.at(-1);
    await setHidden(database.db, first?.memberId ?? 0, true);
    await setHidden(database.db, first?.memberId ?? 0, true); // a double click changes nothing more
    try {
      expect((await scoreCounts()).kept).toEqual((await scoreCounts()).implied);
      const view = await boardView(database.db, channelId, 'all', last?.memberId ?? 0);
      expect(view.top.map((row) => row.memberId)).not.toContain(first?.memberId);
      expect(view.top[0]?.memberId).toBe(second?.memberId);
      expect(view.shown).toBe(board.length - 1);
      expect(view.me?.rank).toBe((last?.rank ?? 0) - 1);
      const hidden = await boardView(database.db, channelId, 'all', first?.memberId ?? 0);
      expect(hidden.me).toEqual({ points: first?.points, rank: 1, hidden: true });
      const nobody = await boardView(database.db, channelId, 'w:1999-01', last?.memberId ?? 0);
      expect(nobody).toEqual({ top: [], shown: 0, me: undefined });
    } finally {
      await setHidden(database.db, first?.memberId ?? 0, false);
    }
    const { kept, implied } = await scoreCounts();
    expect(kept).toEqual(implied);
    expect((await boardView(database.db, channelId, 'all', last?.memberId ?? 0)).shown).toBe(board.length);
  });

  it('keeps the counts right when members hide and return while awards arrive', async () => {
    const channelId = channelIds[0] as number;
    const at = new Date('2026-04-21T12:00:00Z');
    await Promise.all(
      memberIds.flatMap((memberId, index) => [
        setHidden(database.db, memberId, true),
        ...[4, -2, 9].map((points, step) =>
          appendPointEvents(database.db, [
            {
              memberId,
              channelId,
              kind: 'hide-race',
              ref: `hide-race:${memberId}:${step}`,
              points: points + index,
              reason: 'test',
              createdAt: at,
            },
          ]),
        ),
        setHidden(database.db, memberId, index % 2 !== 0),
      ]),
    );
    const { kept, implied } = await scoreCounts();
    expect(kept).toEqual(implied);
    await Promise.all(memberIds.map((memberId) => setHidden(database.db, memberId, false)));
    expect((await scoreCounts()).kept).toEqual((await scoreCounts()).implied);
  });
});
