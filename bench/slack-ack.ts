import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { App, HTTPReceiver } from '@slack/bolt';
import { Bot } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { createLogger } from '../src/core/log.ts';
import { clearQueuePrefix } from '../tests/helpers/bot.ts';
import { signSlackRequest, slashCommand } from '../tests/helpers/fake-slack.ts';
import { quietBoltLogger } from './bolt.ts';
import { benchDatabase } from './db.ts';
import { ms, summarise } from './stats.ts';

const SECRET = 'bench-signing-secret';
const RATE = 100; // requests per second
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

/** Sends signed slash commands at a fixed rate (open loop) and returns each acknowledgement's latency. */
async function load(url: string, fake: { teamId: string }): Promise<{ latencies: number[]; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL('/slack/events', url);
  const latencies: number[] = [];
  let errors = 0;
  const total = RATE * SECONDS;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = slashCommand({
      teamId: fake.teamId,
      channelId: 'C0BENCH001',
      userId: `U0BENCH${index % 20}`,
      text: 'help',
      triggerId: `bench-${index}`,
    });
    const headers = signSlackRequest(SECRET, body);
    const sent = performance.now();
    inflight.push(
      new Promise<void>((resolve) => {
        const req = httpRequest(
          target,
          {
            method: 'POST',
            agent,
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 200) latencies.push(performance.now() - sent);
              else errors += 1;
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors += 1;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return { latencies, errors };
}

/** Slash-command acknowledgement through the real Bolt HTTP receiver, the bot beside a bare Bolt app. */
export async function benchSlackAck(): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fake-slack-process.ts', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [
    string,
  ];
  const fake = JSON.parse(line) as { url: string; teamId: string };
  const logger = quietBoltLogger;

  // A bare Bolt app that only acknowledges: the baseline.
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logger });
  const bare = new App({ token: 'xoxb-bench', receiver, logger, clientOptions: { slackApiUrl: fake.url } });
  bare.command('/mlsd', async ({ ack }) => {
    await ack();
  });
  const server = await bare.start({ port: 0, host: '127.0.0.1' } as never);
  const bareUrl = `http://127.0.0.1:${(server as unknown as { address(): AddressInfo }).address().port}`;

  const prefix = `mlsd-bench-${process.pid}`;
  const database = await benchDatabase('ack');
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MLSD_QUEUE_PREFIX: prefix,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_APP_TOKEN: '',
    DISCORD_TOKEN: '',
    MLSD_DATA_DIR: `.data/bench-${process.pid}`,
    DATABASE_URL: database.url ?? '',
  });
  const bot = await Bot.create({
    config,
    log: createLogger('silent', { pretty: false }),
    clock: systemClock,
  });
  await bot.start({ platforms: true, workers: true, http: true });

  console.log(`slack ack: ${RATE} req/s for ${SECONDS} s against each (database: ${bot.database.driver})`);
  const baseline = await load(bareUrl, fake);
  const ours = await load(bot.http?.url ?? '', fake);
  const b = summarise(baseline.latencies);
  const o = summarise(ours.latencies);
  console.log(
    `  bare Bolt : n=${b.n} errors=${baseline.errors} p50=${ms(b.p50)} p99=${ms(b.p99)} max=${ms(b.max)}`,
  );
  console.log(
    `  mlsd-bot  : n=${o.n} errors=${ours.errors} p50=${ms(o.p50)} p99=${ms(o.p99)} max=${ms(o.max)}`,
  );
  const ratio = o.p99 / b.p99;
  console.log(
    `  p99 ratio mlsd-bot / bare = ${ratio.toFixed(2)} (target <= 1.5); p99 target <= 50 ms: ${o.p99 <= 50 ? 'met' : 'MISSED'}`,
  );

  await bot.stop();
  await bare.stop();
  await clearQueuePrefix(prefix);
  await database.drop();
  child.kill('SIGTERM');
}
