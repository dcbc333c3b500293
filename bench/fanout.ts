import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { type Harness, withHarness } from '../tests/faults/harness.ts';
import { defaultGuild, type FakeDiscord } from '../tests/helpers/fake-discord.ts';
import { messageEvent, signSlackRequest, slashCommand } from '../tests/helpers/fake-slack.ts';
import { ms, summarise } from './stats.ts';

/**
 * `npm run bench -- fanout`: the daily post to 2,000 Slack and 2,000 Discord channels through BullMQ, with
 * 1 and 3 `mlsd worker` processes beside `mlsd start --no-worker`, against fakes enforcing the published
 * rate limits scaled by SCALE (the floor uses the same factor); then 20 answers a second for 60 s with the
 * private feedback's latency and Slack's ack under that load beside a bare Bolt app; and the gateway
 * process's memory across three fan-outs.
 */
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 2_000);
// Each platform's limits scaled by one factor (Slack's workspace limit, 100 posts a minute, would take 20
// minutes for 2,000 channels; Discord's 50 requests a second is near what one worker does anyway).
const SCALE = {
  slack: Number(process.env.BENCH_SLACK_SCALE ?? 20),
  discord: Number(process.env.BENCH_DISCORD_SCALE ?? 1),
} as const;
const ANSWERS_PER_SECOND = 20;
const ANSWER_SECONDS = Number(process.env.BENCH_ANSWER_SECONDS ?? 60);
const SIGNING_SECRET = 'fault-signing-secret';

/** Seconds the platform's limits allow at best for `channels` daily posts. */
function floorSeconds(platform: 'slack' | 'discord', channels: number): number {
  // Slack: chat.postMessage, workspace-wide 100 a minute (one a second per channel never binds here).
  if (platform === 'slack') return (channels / (100 * SCALE.slack)) * 60;
  // Discord: each post is a message and the thread started on it, under 50 requests a second.
  return (2 * channels) / (50 * SCALE.discord);
}

const discordChannel = (index: number) => `13${String(index).padStart(17, '0')}`;
const slackChannel = (index: number) => `C0F${String(index).padStart(7, '0')}`;

function guild() {
  const base = defaultGuild();
  base.channels = Array.from({ length: CHANNELS }, (_, index) => ({
    id: discordChannel(index),
    name: `cohort-${index}`,
  }));
  return base;
}

async function posted(harness: Harness): Promise<number> {
  const [row] = await harness.query<{ n: string }>(
    'select count(*) as n from prompts where message_id is not null',
  );
  return Number(row?.n ?? 0);
}

/** The gateway process's resident memory, in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((item) => item.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

async function fanOut(platform: 'slack' | 'discord', workers: number): Promise<void> {
  await withHarness(
    { limits: { scale: SCALE[platform] }, discordGuilds: platform === 'discord' ? [guild()] : [] },
    async (harness) => {
      const web = await harness.start('web');
      for (let index = 0; index < workers; index += 1) await harness.start('worker');
      if (platform === 'discord') await (harness.discord as FakeDiscord).waitForReady(30_000);
      const workspace = platform === 'slack' ? harness.slack.teamId : defaultGuild().id;
      const values = Array.from(
        { length: CHANNELS },
        (_, index) =>
          `('${platform}', '${workspace}', '${platform === 'slack' ? slackChannel(index) : discordChannel(index)}', 'UTC')`,
      ).join(',');
      const ids = await harness.query<{ id: number }>(
        `insert into channels (platform, workspace_id, channel_id, time_zone) values ${values} returning id`,
      );
      const rounds = platform === 'discord' ? 3 : 1;
      const memory: number[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        if (round > 1) await harness.query('delete from prompts');
        const started = performance.now();
        for (const { id } of ids) await harness.fire('daily', 'daily-post', { channelId: id });
        let last = await posted(harness);
        while (last < CHANNELS && performance.now() - started < 20 * 60_000) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          last = await posted(harness);
        }
        const seconds = (performance.now() - started) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const perChannel = new Map<string, number>();
        if (platform === 'slack') {
          for (const call of harness.slack.callsTo('chat.postMessage'))
            perChannel.set(String(call.body.channel), (perChannel.get(String(call.body.channel)) ?? 0) + 1);
        } else {
          for (const request of (harness.discord as FakeDiscord).requests)
            if (
              request.method === 'POST' &&
              request.status === 200 &&
              /^\/channels\/\d+\/messages$/.test(request.path)
            ) {
              const channel = request.path.split('/')[2] ?? '';
              perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
            }
        }
        const expected = round;
        const lost = CHANNELS - [...perChannel.values()].filter((count) => count >= expected).length;
        const duplicates = [...perChannel.values()].reduce(
          (sum, count) => sum + Math.max(0, count - expected),
          0,
        );
        const floor = floorSeconds(platform, CHANNELS);
        const limited =
          platform === 'slack'
            ? harness.slack.rateLimited.length
            : (harness.discord as FakeDiscord).requests.filter((request) => request.status === 429).length;
        if (platform === 'discord') memory.push(rssMb(web.pid));
        console.log(
          `fanout ${platform} ${workers} worker${workers === 1 ? '' : 's'}${rounds > 1 ? ` (round ${round})` : ''}: ${CHANNELS} channels in ${seconds.toFixed(1)} s, floor ${floor.toFixed(1)} s, ratio to floor ${(seconds / floor).toFixed(2)}, lost ${lost}, duplicates ${duplicates}, 429s ${limited}${last < CHANNELS ? ` (only ${last} posted)` : ''}${platform === 'discord' ? `; gateway process ${memory.at(-1)?.toFixed(0)} MB` : ''}`,
        );
      }
      if (memory.length > 1)
        console.log(
          `fanout ${platform} ${workers} worker${workers === 1 ? '' : 's'}: gateway memory across ${memory.length} fan-outs ${memory.map((mb) => mb.toFixed(0)).join(' → ')} MB, growth ${((memory.at(-1) ?? 0) - (memory[0] ?? 0)).toFixed(0)} MB after the first`,
        );
    },
  );
}

const ANSWER =
  'Clarify the goal, the scale (50M users) and the latency budget (100 ms). Frame it as ranking with a two-stage design: retrieval of 1,000 candidates by a two-tower model, then a gradient boosted ranker on user and item features. Labels come from clicks joined to impressions; split by time. Serve from a feature store with cached embeddings, A/B test on engagement, and monitor drift and calibration with weekly retraining.';

/** A member's answer in a daily thread, as Slack's Events API delivers it. */
const answerEvent = (teamId: string, user: string, index: number, thread: string) =>
  messageEvent({
    teamId,
    channelId: 'C0LOAD0001',
    userId: user,
    text: ANSWER,
    ts: `1790000000.${String(index + 10).padStart(6, '0')}`,
    threadTs: thread,
  });

/** Signed POSTs at a fixed rate (open loop); resolves with each one's ack latency. */
function send(url: string, body: string, contentType: string, agent: Agent): Promise<number> {
  const headers = signSlackRequest(SIGNING_SECRET, body);
  const sent = performance.now();
  return new Promise((resolve) => {
    const req = request(
      new URL('/slack/events', url),
      { method: 'POST', agent, headers: { ...headers, 'content-type': contentType } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - sent));
      },
    );
    req.on('error', () => resolve(Number.NaN));
    req.end(body);
  });
}

async function answerLoad(): Promise<void> {
  await withHarness({ limits: { scale: SCALE.slack } }, async (harness) => {
    const web = await harness.start('web');
    await harness.start('worker');
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    await send(
      web.url,
      slashCommand({
        teamId: harness.slack.teamId,
        channelId: 'C0LOAD0001',
        userId: 'U0LOADER01',
        text: 'daily',
      }),
      'application/x-www-form-urlencoded',
      agent,
    );
    let thread = '';
    while (!thread) {
      const [row] = await harness.query<{ thread_id: string | null }>('select thread_id from prompts');
      thread = row?.thread_id ?? '';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const total = ANSWERS_PER_SECOND * ANSWER_SECONDS;
    const sentAt = new Map<string, number>();
    const acks: Promise<number>[] = [];
    const started = performance.now();
    for (let index = 0; index < total; index += 1) {
      const due = started + (index * 1000) / ANSWERS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const user = `U0L${String(index).padStart(7, '0')}`;
      sentAt.set(user, Date.now());
      // The answer's own acknowledgement is the ack measured under this load.
      acks.push(
        send(
          web.url,
          JSON.stringify(answerEvent(harness.slack.teamId, user, index, thread)),
          'application/json',
          agent,
        ),
      );
    }
    const ackTimes = (await Promise.all(acks)).filter(Number.isFinite);
    const deadline = Date.now() + 120_000;
    const latencies = new Map<string, number>();
    while (latencies.size < total && Date.now() < deadline) {
      for (const call of harness.slack.callsTo('chat.postEphemeral')) {
        const user = String(call.body.user);
        const at = sentAt.get(user);
        if (at !== undefined && !latencies.has(user) && /\/100/.test(JSON.stringify(call.body)))
          latencies.set(user, call.at - at);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const feedback = summarise([...latencies.values()]);
    const p95 = percentile95([...latencies.values()]);
    console.log(
      `answers: ${ANSWERS_PER_SECOND}/s for ${ANSWER_SECONDS} s, private feedback for ${feedback.n} of ${total}: p50 ${ms(feedback.p50)}, p95 ${ms(p95)}, p99 ${ms(feedback.p99)} (target p95 <= 300 ms, ${p95 <= 300 ? 'met' : 'NOT met'})`,
    );
    const bare = await bareBoltAcks(harness);
    const ours = summarise(ackTimes);
    console.log(
      `slack ack of those answers: mlsd-bot p99 ${ms(ours.p99)} (n=${ours.n}); bare Bolt p99 ${ms(bare.p99)} (n=${bare.n}); ratio ${(ours.p99 / bare.p99).toFixed(2)} (target <= 1.5)`,
    );
    agent.destroy();
  });
}

function percentile95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}

/** A bare Bolt app in its own process, acking the same command stream: the baseline. */
async function bareBoltAcks(harness: Harness): Promise<ReturnType<typeof summarise>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./bare-bolt-process.ts', import.meta.url).pathname],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SLACK_API_URL: harness.slack.url, SIGNING_SECRET },
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [
    string,
  ];
  const url = JSON.parse(line).url as string;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const acks: Promise<number>[] = [];
  const started = performance.now();
  for (let index = 0; index < ANSWERS_PER_SECOND * ANSWER_SECONDS; index += 1) {
    const wait = started + (index * 1000) / ANSWERS_PER_SECOND - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const user = `U0B${String(index).padStart(7, '0')}`;
    acks.push(
      send(
        url,
        JSON.stringify(answerEvent(harness.slack.teamId, user, index, '1790000000.000001')),
        'application/json',
        agent,
      ),
    );
  }
  const times = (await Promise.all(acks)).filter(Number.isFinite);
  agent.destroy();
  child.kill('SIGTERM');
  return summarise(times);
}

export async function benchFanout(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('fanout: set DATABASE_URL to a Postgres server to run this benchmark');
    return;
  }
  console.log(
    `fanout: the fakes enforce the published limits, Slack's × ${SCALE.slack} and Discord's × ${SCALE.discord}; the bot paces to the same factor (MLSD_PLATFORM_RATE_SCALE)`,
  );
  for (const platform of ['slack', 'discord'] as const) {
    for (const workers of [1, 3]) await fanOut(platform, workers);
  }
}

/** `npm run bench -- load`: answers at 20 a second, their private feedback and their acks. */
export async function benchLoad(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('load: set DATABASE_URL to a Postgres server to run this benchmark');
    return;
  }
  await answerLoad();
}
