import { messageEvent, postToBolt } from '../../helpers/fake-slack.ts';
import {
  expectThat,
  type Harness,
  type Scenario,
  SIGNING_SECRET,
  sleep,
  until,
  withHarness,
} from '../harness.ts';
import { GOOD_ANSWER } from './slack.ts';

/**
 * A worker killed (SIGKILL, no goodbye) in the middle of sending, then started again: every message still
 * arrives exactly once. Slack answers slowly, so the kill lands while messages exist on Slack that the
 * worker has not yet recorded.
 */

const ADMIN = 'U0KILLADMN';
const users: Record<string, { isAdmin?: boolean; name: string }> = {
  [ADMIN]: { isAdmin: true, name: 'ops' },
};
const channelOf = (index: number) => `C0KILL${String(index).padStart(4, '0')}`;
const member = (index: number) => `U0KILLM${String(index).padStart(3, '0')}`;
for (let index = 0; index < 40; index += 1) users[member(index)] = { name: `member${index}` };

/** Slack messages the bot posted whose text matches, per conversation. */
function postsBy(harness: Harness, pattern: RegExp): Map<string, number> {
  const per = new Map<string, number>();
  for (const call of harness.slack.callsTo('chat.postMessage')) {
    if (!pattern.test(JSON.stringify(call.body))) continue;
    const where = `${String(call.body.channel)}${call.body.thread_ts ? `/${String(call.body.thread_ts)}` : ''}`;
    per.set(where, (per.get(where) ?? 0) + 1);
  }
  return per;
}

const duplicates = (per: Map<string, number>) => [...per.values()].filter((count) => count > 1).length;

/** How many messages the restarted workers found on Slack (sent by the killed one) instead of re-posting. */
const foundOnSlack = (harness: Harness) =>
  harness.processes
    .flatMap((bot) => bot.logs)
    .filter((entry) => String(entry.msg).startsWith('found the message an earlier attempt posted')).length;

/** Channel ids (database) of `count` study channels made through `/mlsd daily schedule`. */
async function studyChannels(harness: Harness, count: number): Promise<number[]> {
  for (let index = 0; index < count; index += 1) {
    await harness.slash('daily schedule 09:00 UTC mon-sun', { user: ADMIN, channel: channelOf(index) });
  }
  const rows = await until('the channels', async () => {
    const found = await harness.query<{ id: number }>(
      'select id from channels where daily_enabled order by id',
    );
    return found.length === count ? found : undefined;
  });
  return rows.map((row) => row.id);
}

const dailyPosts: Scenario = {
  name: 'worker-kill-daily-post',
  run: () =>
    // Slack's limits enforced (× 10), and two workers sharing the fan-out: one dies, the other carries on.
    withHarness({ slackUsers: users, limits: { scale: 10 } }, async (harness) => {
      await harness.start('web');
      const ids = await studyChannels(harness, 60);
      harness.slack.slowDown('chat.postMessage', 250);
      const victim = await harness.start('worker');
      await harness.start('worker');
      for (const id of ids) await harness.fire('daily', 'daily-post', { channelId: id });
      const daily = /Daily case/;
      await until('37 posts', () => [...postsBy(harness, daily).values()].length >= 37, 60_000, 10);
      const before = [...postsBy(harness, daily).values()].length;
      await victim.kill('SIGKILL');
      harness.slack.slowDown('chat.postMessage', 0);
      await until(
        'every prompt posted',
        async () => {
          const [row] = await harness.query<{ posted: string }>(
            'select count(*) as posted from prompts where message_id is not null',
          );
          return row?.posted === String(ids.length);
        },
        120_000,
        250,
      ).catch(async (error: Error) => {
        const rows = await harness.query(
          'select channel_id, message_id from prompts where message_id is null',
        );
        throw new Error(`${error.message}; unposted ${JSON.stringify(rows)}`);
      });
      await sleep(1_000);
      const per = postsBy(harness, daily);
      const [rows] = await harness.query<{ prompts: string; days: string }>(
        'select count(*) as prompts, count(distinct (channel_id, local_date)) as days from prompts',
      );
      const lost = ids.length - per.size;
      expectThat(
        lost === 0 && duplicates(per) === 0,
        `${per.size} channels posted to, ${duplicates(per)} duplicated`,
      );
      expectThat(
        rows?.prompts === String(ids.length) && rows.days === String(ids.length),
        `prompts ${JSON.stringify(rows)}`,
      );
      expectThat(
        harness.slack.rateLimited.length === 0,
        `${harness.slack.rateLimited.length} posts drew a 429`,
      );
      return `2 workers sharing the fan-out under Slack's limits (× 10); killed worker pid ${victim.pid} after ${before} of ${ids.length} posts; ${ids.length} channels, ${per.size} posts, ${lost} lost, ${duplicates(per)} duplicated, 0 rate-limited (${foundOnSlack(harness)} found already on Slack by the other worker)`;
    }),
};

const closeOuts: Scenario = {
  name: 'worker-kill-close-out',
  run: () =>
    withHarness({ slackUsers: users }, async (harness) => {
      await harness.start('web');
      const ids = await studyChannels(harness, 12);
      const worker = await harness.start('worker');
      for (const id of ids) await harness.fire('daily', 'daily-post', { channelId: id });
      const prompts = await until('the posts', async () => {
        const rows = await harness.query<{ id: number; thread_id: string; channel: string }>(
          `select p.id, p.thread_id, c.channel_id as channel from prompts p join channels c on c.id = p.channel_id
           where p.thread_id is not null order by p.id`,
        );
        return rows.length === ids.length ? rows : undefined;
      });
      // Two answers per prompt, so each reveal has best answers to show.
      for (const [index, prompt] of prompts.entries()) {
        for (const who of [member(index), member(index + 20)]) {
          const event = messageEvent({
            teamId: harness.slack.teamId,
            channelId: prompt.channel,
            userId: who,
            text: GOOD_ANSWER,
            ts: `17900000${String(index).padStart(2, '0')}.0001${who.slice(-2)}`,
            threadTs: prompt.thread_id,
          });
          await postToBolt(harness.web().url, SIGNING_SECRET, event, { contentType: 'application/json' });
        }
      }
      await until('the answers', async () => {
        const [row] = await harness.query<{ answers: string }>('select count(*) as answers from answers');
        return row?.answers === String(prompts.length * 2);
      });
      await harness.query("update prompts set closes_at = now() - interval '1 minute'");
      harness.slack.slowDown('chat.postMessage', 300);
      for (const prompt of prompts) await harness.fire('daily', 'daily-close', { promptId: prompt.id });
      const reveal = /Close-out|Reference outline/;
      await until('half the reveals', () => postsBy(harness, reveal).size >= prompts.length / 2, 60_000, 10);
      const before = [...postsBy(harness, reveal).values()].reduce((sum, count) => sum + count, 0);
      await worker.kill('SIGKILL');
      harness.slack.slowDown('chat.postMessage', 0);
      await harness.start('worker');
      await until(
        'every prompt closed',
        async () => {
          const [row] = await harness.query<{ closed: string }>(
            'select count(*) as closed from prompts where closed_at is not null',
          );
          return row?.closed === String(prompts.length);
        },
        120_000,
        250,
      );
      await sleep(1_000);
      // Each reveal message, by its text, once per thread.
      const messages = new Map<string, number>();
      for (const call of harness.slack.callsTo('chat.postMessage')) {
        if (!call.body.thread_ts) continue;
        const key = `${String(call.body.thread_ts)}|${String(call.body.text)}`;
        messages.set(key, (messages.get(key) ?? 0) + 1);
      }
      const threads = new Set([...messages.keys()].map((key) => key.split('|')[0]));
      expectThat(duplicates(messages) === 0, `${duplicates(messages)} reveal messages posted twice`);
      expectThat(threads.size === prompts.length, `reveals in ${threads.size} of ${prompts.length} threads`);
      return `killed worker pid ${worker.pid} after ${before} reveal messages; ${prompts.length} prompts closed, ${messages.size} reveal messages, 0 duplicated, 0 lost (${foundOnSlack(harness)} found already on Slack)`;
    }),
};

const pairingRound: Scenario = {
  name: 'worker-kill-pairing-round',
  run: () =>
    withHarness({ slackUsers: users }, async (harness) => {
      await harness.start('web');
      const channel = channelOf(0);
      await harness.slash('pair schedule weekly mon 10:00 UTC', { user: ADMIN, channel });
      for (let index = 0; index < 30; index += 1) {
        await harness.slash('pair join mid recsys', { user: member(index), channel });
      }
      await until('30 members in', async () => {
        const [row] = await harness.query<{ n: string }>('select count(*) as n from pair_members');
        return row?.n === '30';
      });
      const [{ id } = { id: 0 }] = await harness.query<{ id: number }>('select id from channels');
      harness.slack.slowDown('chat.postMessage', 250);
      const worker = await harness.start('worker');
      await harness.fire('pairing', 'pair-round', { channelId: id });
      const intro = /"pairing:\d+:intro"/;
      await until('5 group intros', () => postsBy(harness, intro).size >= 5, 60_000, 10);
      const before = postsBy(harness, intro).size;
      await worker.kill('SIGKILL');
      harness.slack.slowDown('chat.postMessage', 0);
      await harness.start('worker');
      await until(
        'every group told',
        async () => {
          const [row] = await harness.query<{ open: string }>(
            'select count(*) as open from pairings where notified_at is null or guide_sent_at is null',
          );
          return row?.open === '0';
        },
        120_000,
        250,
      );
      await sleep(1_000);
      const [counts] = await harness.query<{ rounds: string; pairings: string }>(
        'select (select count(*) from pair_rounds) as rounds, (select count(*) from pairings) as pairings',
      );
      const intros = postsBy(harness, intro);
      const guides = postsBy(harness, /"pairing:\d+:guide:\d+"/);
      const groups = Number(counts?.pairings ?? 0);
      expectThat(counts?.rounds === '1', `${counts?.rounds} rounds`);
      expectThat(
        intros.size === groups && duplicates(intros) === 0,
        `${intros.size} intros for ${groups} groups, ${duplicates(intros)} duplicated`,
      );
      const guideCount = [...guides.values()].reduce((sum, count) => sum + count, 0);
      expectThat(
        duplicates(guides) === 0 && guideCount >= groups,
        `${guideCount} guides, ${duplicates(guides)} duplicated`,
      );
      return `killed worker pid ${worker.pid} after ${before} of ${groups} group intros; 1 round, ${groups} groups, ${intros.size} intros and ${guideCount} guides, 0 duplicated (${foundOnSlack(harness)} found already on Slack)`;
    }),
};

export default [dailyPosts, closeOuts, pairingRound];
