import { sql } from 'drizzle-orm';
import { connectPostgres } from '../src/db/client.ts';
import { dueToday } from '../src/db/queries/study.ts';
import { benchDatabase } from './db.ts';
import { ms, summarise } from './stats.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 150); // per member: the whole curriculum after a year
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 365); // per member: a year at one review a day
const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo'];
const RUNS = 7;

/**
 * The morning round's one query: every member's due items up to the end of their own local day (count,
 * new ones, the first five), for 10,000 members with a year of review history; target <= 1 s for all.
 */
export async function benchStudy(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('study: set DATABASE_URL to a Postgres server to run this benchmark');
    return;
  }
  const database = await benchDatabase('study');
  const db = connectPostgres(database.url as string, { max: 4 });
  try {
    await db.migrate();
    const started = performance.now();
    await db.db.execute(sql`insert into members (platform, workspace_id, user_id, display_name, time_zone)
      select 'bench', 'W', 'U' || g, 'member ' || g, (${`{${ZONES.join(',')}}`}::text[])[1 + g % ${ZONES.length}]
      from generate_series(1, ${MEMBERS}) g`);
    // A year in: items due from two weeks ago to a year ahead, most reviewed several times.
    await db.db.execute(sql`insert into drill_items
        (member_id, item_key, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review, added_at)
      select m.id, 'card:item-' || i, now() + ((((m.id * 7919 + i * 104729) % 380) - 14) * interval '1 day'),
             5 + i % 90, 4.5, 10, 10, 0, 1 + i % 9, i % 3, case when i % 25 = 0 then 0 else 2 end,
             now() - interval '10 days', now() - interval '365 days'
      from members m cross join generate_series(1, ${ITEMS}) i`);
    await db.db.execute(sql`insert into drill_reviews (member_id, item_key, rating, state, reps, reviewed_at, next_due)
      select m.id, 'card:item-' || (1 + r % ${ITEMS}), 1 + r % 4, 2, r % 9, now() - (r * interval '1 day'), now()
      from members m cross join generate_series(1, ${REVIEWS}) r`);
    await db.db.execute(sql`vacuum (analyze) drill_items`);
    await db.db.execute(sql`vacuum (analyze) drill_reviews`);
    const loaded = (performance.now() - started) / 1000;
    const members = (
      (await db.db.execute(sql`select id, time_zone as zone from members`)) as unknown as {
        rows: Array<{ id: number; zone: string }>;
      }
    ).rows;
    const endOfDay = (zone: string) => {
      const local = new Date(new Date().toLocaleString('en-US', { timeZone: zone }));
      const offset = local.getTime() - Date.now();
      const end = new Date(local);
      end.setHours(23, 59, 59, 999);
      return new Date(end.getTime() - offset);
    };
    const wanted = members.map((member) => ({ memberId: member.id, until: endOfDay(member.zone) }));
    const times: number[] = [];
    let due = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const at = performance.now();
      const result = await dueToday(db.db, wanted);
      times.push(performance.now() - at);
      due = [...result.values()].reduce((sum, row) => sum + row.due, 0);
    }
    const { p50, max } = summarise(times);
    console.log(
      `study: ${MEMBERS} members × ${ITEMS} items (${(MEMBERS * ITEMS).toLocaleString('en')} drill items) and ${(MEMBERS * REVIEWS).toLocaleString('en')} reviews loaded in ${loaded.toFixed(1)} s`,
    );
    console.log(
      `study: the day's due items of all ${MEMBERS} members, each to their local end of day, in one query: median ${ms(p50)}, worst ${ms(max)} of ${RUNS} runs (${due.toLocaleString('en')} items due; target <= 1000 ms, ${max <= 1000 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await db.close();
    await database.drop();
  }
}
