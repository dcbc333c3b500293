import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Bot } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/core/log.ts';
import type { Scheduler } from '../../src/scheduler/port.ts';
import { TestClock } from './clock.ts';
import { createTestDatabase } from './db.ts';

export const SLACK_SIGNING_SECRET = 'test-signing-secret';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export { TEST_EPOCH, TestClock } from './clock.ts';

export type TestBotOptions = {
  slackApiUrl?: string;
  discordApiUrl?: string;
  discordApplicationId?: string;
  clock?: TestClock;
  admins?: string[];
  workers?: boolean;
  scheduler?: Scheduler;
  env?: Record<string, string>;
  /** Receives every log line (JSON) instead of stderr, at LOG_LEVEL (trace when set). */
  logLines?: string[];
};

/** Deletes every Redis key a test's queue prefix created. */
export async function clearQueuePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts the real bot (real Bolt and discord.js, real Postgres/PGlite and Redis) wired to loopback fakes,
 * with its own database copy and its own queue prefix.
 */
export async function startTestBot(options: TestBotOptions = {}) {
  const database = await createTestDatabase();
  const prefix = `mlsd-test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL,
    MLSD_QUEUE_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MLSD_ADMINS: (options.admins ?? []).join(','),
    ...(options.slackApiUrl
      ? { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET, SLACK_API_URL: options.slackApiUrl }
      : {}),
    ...(options.discordApiUrl
      ? {
          DISCORD_TOKEN: 'fake-discord-token',
          DISCORD_APPLICATION_ID: options.discordApplicationId ?? '100000000000000001',
          DISCORD_API_URL: options.discordApiUrl,
        }
      : {}),
    ...options.env,
  });
  const log = options.logLines
    ? createLogger('trace', {
        pretty: false,
        destination: { write: (line: string) => void options.logLines?.push(line) },
      })
    : createLogger(config.LOG_LEVEL, { pretty: false });
  const clock = options.clock ?? new TestClock();
  const bot = await Bot.create({
    config,
    log,
    database,
    clock,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  await bot.start({ platforms: true, workers: options.workers ?? true, http: true });
  return {
    bot,
    clock,
    db: database.db,
    url: bot.http?.url ?? '',
    prefix,
    async stop() {
      await bot.stop();
      await clearQueuePrefix(prefix);
    },
  };
}

export type TestBot = Awaited<ReturnType<typeof startTestBot>>;

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
