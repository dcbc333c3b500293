import { Queue } from 'bullmq';
import { messageEvent, postToBolt } from '../../helpers/fake-slack.ts';
import {
  expectThat,
  type Harness,
  REDIS_URL,
  type Scenario,
  SIGNING_SECRET,
  sleep,
  until,
  withHarness,
} from '../harness.ts';
import { GOOD_ANSWER, postPrompt } from './slack.ts';

const ADMIN = 'U0DEPADMIN';
const ANA = 'U0DEPANA01';
const users = { [ADMIN]: { isAdmin: true, name: 'ops' }, [ANA]: { name: 'ana' } };
const channel = (index: number) => `C0DEP${String(index).padStart(5, '0')}`;

/** The job schedulers Redis holds for this bot, by id. */
async function schedulers(harness: Harness): Promise<string[]> {
  const ids: string[] = [];
  for (const name of ['daily', 'pairing']) {
    const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix: harness.prefix });
    try {
      ids.push(...(await queue.getJobSchedulers(0, -1, true)).map((item) => item.key));
    } finally {
      await queue.close();
    }
  }
  return ids.sort();
}

/**
 * Sends a command and waits for its private answer (the first one after it that matches `expected`, when
 * other messages may be on their way); returns the answer and how long it took.
 */
async function ask(harness: Harness, text: string, user = ADMIN, where = channel(1), expected = /./) {
  const sent = Date.now();
  const { status } = await harness.slash(text, { user, channel: where });
  const answer = await until(
    `an answer to /mlsd ${text}`,
    () => harness.privateTo(user, sent).find((reply) => expected.test(reply)),
    10_000,
    20,
  );
  const call = harness.slack.calls.find((item) => item.at >= sent && String(item.body.text) === answer);
  return { status, answer, ms: (call?.at ?? Date.now()) - sent };
}

async function readyz(harness: Harness): Promise<{ status: number; checks: Record<string, boolean> }> {
  const response = await fetch(new URL('/readyz', harness.web().url));
  const body = (await response.json()) as { checks?: Record<string, boolean> };
  return { status: response.status, checks: body.checks ?? {} };
}

const redisDownAtStart: Scenario = {
  name: 'redis-unreachable-at-start',
  run: () =>
    withHarness({ slackUsers: users, proxy: { redis: true } }, async (harness) => {
      await harness.redisProxy?.cut();
      await harness.start('web');
      const worker = await harness.start('worker', {}, false);
      const refused = await ask(harness, 'daily schedule 09:00 Europe/Berlin');
      const ready = await readyz(harness);
      expectThat(
        /try again/i.test(refused.answer) && refused.ms < 3_000,
        `with Redis down, "${refused.answer}" after ${refused.ms} ms`,
      );
      expectThat(
        ready.status === 503 && ready.checks.redis === false,
        `/readyz ${ready.status} ${JSON.stringify(ready.checks)}`,
      );
      const [stored] = await harness.query<{ enabled: boolean }>(
        'select daily_enabled as enabled from channels',
      );
      expectThat(!stored?.enabled, 'the schedule was stored although the scheduler could not take it');
      await harness.redisProxy?.restore();
      await worker.running(30_000);
      await until('/readyz 200', async () => (await readyz(harness)).status === 200, 20_000);
      const accepted = await ask(harness, 'daily schedule 09:00 Europe/Berlin');
      expectThat(/scheduled/i.test(accepted.answer), `after Redis came back: "${accepted.answer}"`);
      const ids = await until('the daily scheduler', async () => {
        const found = await schedulers(harness);
        return found.some((id) => id.startsWith('daily-post-')) && found.includes('daily-sweep')
          ? found
          : undefined;
      });
      return `Redis down before start: "try again" in ${refused.ms} ms, /readyz 503, nothing stored; Redis back: worker up, schedule taken, ${ids.length} schedulers`;
    }),
};

const redisDownWhileRunning: Scenario = {
  name: 'redis-unreachable-while-running',
  run: () =>
    withHarness({ slackUsers: users, proxy: { redis: true } }, async (harness) => {
      await harness.start('web');
      await harness.start('worker');
      await ask(harness, 'daily schedule 09:00 UTC');
      const before = await schedulers(harness);
      await harness.redisProxy?.cut();
      const refused = await ask(harness, 'daily schedule 10:00 UTC');
      const help = await ask(harness, 'help', ANA);
      const ready = await readyz(harness);
      expectThat(
        /try again/i.test(refused.answer) && refused.ms < 3_000,
        `"${refused.answer}" after ${refused.ms} ms`,
      );
      expectThat(/mlsd-bot/.test(help.answer) && help.ms < 3_000, `help with Redis down: ${help.ms} ms`);
      expectThat(ready.status === 503 && ready.checks.redis === false, `/readyz ${ready.status}`);
      const [row] = await harness.query<{ time: string }>('select daily_time as time from channels');
      expectThat(row?.time === '09:00', `the refused change was stored: ${row?.time}`);
      await harness.redisProxy?.restore();
      await until('/readyz 200', async () => (await readyz(harness)).status === 200, 20_000);
      const accepted = await ask(harness, 'daily schedule 10:00 UTC');
      expectThat(/scheduled: 10:00/i.test(accepted.answer), `after Redis came back: "${accepted.answer}"`);
      return `Redis cut while running: "try again" in ${refused.ms} ms, other commands in ${help.ms} ms, /readyz 503, 09:00 kept; back: 10:00 taken, ${before.length} schedulers kept`;
    }),
};

const redisFlushed: Scenario = {
  name: 'redis-loses-its-data',
  run: () =>
    withHarness({ slackUsers: users }, async (harness) => {
      await harness.start('web');
      await harness.start('worker');
      for (const index of [1, 2, 3]) await ask(harness, 'daily schedule 09:00 UTC', ADMIN, channel(index));
      await ask(harness, 'pair schedule weekly mon 10:00 UTC', ADMIN, channel(1));
      // Every scheduler the commands asked for, once the list stops changing.
      let last = '';
      const before = await until(
        'every scheduler',
        async () => {
          const found = await schedulers(harness);
          const settled = found.length >= 7 && found.join() === last;
          last = found.join();
          return settled ? found : undefined;
        },
        20_000,
        500,
      );
      const removed = await harness.flushRedis();
      const after = await until(
        'the schedulers rebuilt without a restart',
        async () => {
          const found = await schedulers(harness);
          return found.length === before.length ? found : undefined;
        },
        20_000,
      );
      expectThat(
        JSON.stringify(after) === JSON.stringify(before),
        `before ${before.join(',')}, after ${after.join(',')}`,
      );
      // The cron fires (twice, as after a failover) for every channel: one post each.
      const ids = await harness.query<{ id: number }>('select id from channels order by id');
      for (const { id } of ids) {
        await harness.fire('daily', 'daily-post', { channelId: id });
        await harness.fire('daily', 'daily-post', { channelId: id });
      }
      await until('the posts', () => harness.slack.callsTo('chat.postMessage').length >= ids.length, 20_000);
      await sleep(2_000);
      const posts = harness.slack
        .callsTo('chat.postMessage')
        .filter((call) => /Daily case/.test(JSON.stringify(call.body)));
      expectThat(posts.length === ids.length, `${posts.length} daily posts for ${ids.length} channels`);
      return `deleted ${removed} Redis keys while running: ${after.length} of ${before.length} schedulers back without a restart; cron fired twice per channel: ${posts.length} posts for ${ids.length} channels`;
    }),
};

const postgresDown: Scenario = {
  name: 'postgres-unreachable-for-30s',
  run: () =>
    withHarness({ slackUsers: users, proxy: { postgres: true } }, async (harness) => {
      await harness.start('web');
      await harness.start('worker');
      const thread = await postPrompt(harness, channel(1));
      await harness.postgresProxy?.cut();
      const cutAt = Date.now();
      const ready = await until('/readyz to notice', async () => {
        const now = await readyz(harness);
        return now.status === 503 ? now : undefined;
      });
      const refused = await ask(harness, 'leaderboard', ANA, channel(1), /database|Leaderboard|No points/);
      // An answer arrives while the database is away: refused for now, taken when Slack retries later.
      const answer = messageEvent({
        teamId: harness.slack.teamId,
        channelId: channel(1),
        userId: ANA,
        text: GOOD_ANSWER,
        ts: '1790000001.000100',
        threadTs: thread,
        eventId: 'Ev0PGDOWN',
      });
      const during = await postToBolt(harness.web().url, SIGNING_SECRET, answer, {
        contentType: 'application/json',
      });
      await sleep(Math.max(0, 30_000 - (Date.now() - cutAt)));
      const [whileDown] = await harness.query<{ answers: string }>('select count(*) as answers from answers');
      await harness.postgresProxy?.restore();
      await until('/readyz 200', async () => (await readyz(harness)).status === 200, 20_000);
      const retried = await postToBolt(harness.web().url, SIGNING_SECRET, answer, {
        contentType: 'application/json',
        retryNum: 1,
        retryReason: 'http_error',
      });
      await until('the answer graded after recovery', async () => {
        const [row] = await harness.query<{ answers: string }>('select count(*) as answers from answers');
        return row?.answers === '1';
      });
      const back = await ask(harness, 'leaderboard', ANA, channel(1), /Leaderboard|No points yet/);
      const [points] = await harness.query<{ awards: string }>(
        "select count(*) as awards from point_events where kind = 'daily-answer'",
      );
      expectThat(ready.checks.database === false, `/readyz checks ${JSON.stringify(ready.checks)}`);
      expectThat(
        /database is not answering/i.test(refused.answer) && refused.ms < 3_000,
        `a command during the outage: "${refused.answer}" after ${refused.ms} ms`,
      );
      expectThat(
        during.status === 200 && retried.status === 200,
        `statuses ${during.status}/${retried.status}`,
      );
      expectThat(
        whileDown?.answers === '0' && points?.awards === '1',
        `answers while down ${whileDown?.answers}, awards ${points?.awards}`,
      );
      expectThat(/Leaderboard|No points yet/.test(back.answer), `after recovery: "${back.answer}"`);
      return `Postgres cut for 30 s: /readyz 503 (database false), "${refused.answer.slice(0, 40)}…" in ${refused.ms} ms, an answer refused then taken on Slack's retry (1 answer, 1 award); recovered without a restart`;
    }),
};

export default [redisDownAtStart, redisDownWhileRunning, redisFlushed, postgresDown];
