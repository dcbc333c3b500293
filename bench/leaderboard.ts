import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { connectPostgres } from '../src/db/client.ts';
import { boardView, periodKey, rebuildBoardTotals } from '../src/db/queries/points.ts';
import { benchDatabase } from './db.ts';
import { ms, summarise } from './stats.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const QUERIES = 300;

/**
 * Top 10 plus the caller's rank for a week and for all time, from the Postgres totals, beside a Redis
 * sorted set holding the same scores (ZREVRANGE + ZREVRANK); target p95 <= 10 ms.
 */
export async function benchLeaderboard(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('leaderboard: set DATABASE_URL to a Postgres server to run this benchmark');
    return;
  }
  const database = await benchDatabase('board');
  const db = connectPostgres(database.url as string, { max: 4 });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = { all: `mlsd-bench-${process.pid}:all`, week: `mlsd-bench-${process.pid}:week` };
  const rowsOf = async <T>(query: ReturnType<typeof sql>): Promise<T[]> =>
    ((await db.db.execute(query)) as unknown as { rows: T[] }).rows;
  try {
    await db.migrate();
    const started = performance.now();
    const [channel] = await rowsOf<{ id: number }>(
      sql`insert into channels (platform, workspace_id, channel_id, time_zone) values ('bench', 'W', 'C', 'UTC') returning id`,
    );
    await db.db.execute(sql`insert into members (platform, workspace_id, user_id, display_name)
      select 'bench', 'W', 'U' || g, 'member ' || g from generate_series(1, ${MEMBERS}) g`);
    const [{ first } = { first: 1 }] = await rowsOf<{ first: number }>(
      sql`select min(id) as first from members`,
    );
    // Events spread over ~12 weeks; point values vary so ranks are not all ties.
    await db.db.execute(sql`insert into point_events (member_id, channel_id, kind, ref, points, reason, created_at)
      select ${first} + (g::bigint * 7919) % ${MEMBERS}, ${channel?.id}, 'bench', 'b' || g, 1 + (g::bigint * 31) % 20, 'bench',
             now() - ((g % 2016) * interval '1 hour')
      from generate_series(1, ${EVENTS}) g`);
    // Some members have left the public boards: views must leave them out.
    await db.db.execute(sql`update members set hidden_from_boards = true where id % 100 = 0`);
    await rebuildBoardTotals(db.db);
    // As autovacuum would in production: the visibility map lets the rank count use an index-only scan.
    await db.db.execute(sql`vacuum (analyze) board_totals`);
    console.log(
      `leaderboard: ${MEMBERS} members (1% hidden from boards), ${EVENTS} point events loaded and aggregated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const week = periodKey('week', new Date(), 'UTC');
    for (const [name, period] of [
      ['all', 'all'],
      ['week', week],
    ] as const) {
      const rows = await rowsOf<{
        member_id: number;
        points: number;
      }>(
        sql`select member_id, points from board_totals where channel_id = ${channel?.id} and period = ${period}`,
      );
      const pipeline = redis.pipeline();
      pipeline.del(keys[name]);
      for (let start = 0; start < rows.length; start += 10_000) {
        pipeline.zadd(
          keys[name],
          ...rows.slice(start, start + 10_000).flatMap((row) => [row.points, String(row.member_id)]),
        );
      }
      await pipeline.exec();

      const pgTimes: number[] = [];
      const redisTimes: number[] = [];
      for (let index = 0; index < QUERIES; index += 1) {
        const member = rows[(index * 977) % rows.length]?.member_id ?? first;
        let at = performance.now();
        await boardView(db.db, channel?.id ?? 0, period, member);
        pgTimes.push(performance.now() - at);
        at = performance.now();
        await redis.zrevrange(keys[name], 0, 9, 'WITHSCORES');
        await redis.zrevrank(keys[name], String(member));
        redisTimes.push(performance.now() - at);
      }
      const pgStats = summarise(pgTimes);
      const redisStats = summarise(redisTimes);
      const p95 = (values: number[]) =>
        [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1] ?? Number.NaN;
      console.log(
        `  ${name.padEnd(4)} (${rows.length} members on the board): Postgres p50=${ms(pgStats.p50)} p95=${ms(p95(pgTimes))} max=${ms(pgStats.max)} | Redis p50=${ms(redisStats.p50)} p95=${ms(p95(redisTimes))} | p95 ratio Postgres/Redis = ${(p95(pgTimes) / p95(redisTimes)).toFixed(1)} (target p95 <= 10 ms: ${p95(pgTimes) <= 10 ? 'met' : 'MISSED'})`,
      );
    }
  } finally {
    await redis.del(keys.all, keys.week);
    redis.disconnect();
    await db.close();
    await database.drop();
  }
}
