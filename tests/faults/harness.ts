import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SCHEDULER_DEFAULTS } from '../../src/scheduler/bullmq.ts';
import { type FakeDiscord, type FakeGuild, startFakeDiscord } from '../helpers/fake-discord.ts';
import {
  type FakeSlackApi,
  type FakeSlackUser,
  postToBolt,
  slashCommand,
  startFakeSlackApi,
} from '../helpers/fake-slack.ts';

/**
 * The fault harness: the real bot as separate processes (`mlsd start --no-worker` and `mlsd worker`) on this
 * machine's Postgres and Redis, each scenario with its own database and queue prefix, spoken to only
 * through the Slack and Discord fakes. Postgres and Redis can be reached through TCP proxies the scenario
 * cuts and restores. Everything started is stopped by pid at the end, passed or failed.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mlsd.js');
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SIGNING_SECRET = 'fault-signing-secret';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns something truthy; fails with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      // An empty list (no rows yet) is not there yet either.
      if (Array.isArray(value) ? value.length > 0 : value) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

export class Failure extends Error {}

/** Fails the scenario with what was found. */
export function expectThat(condition: boolean, found: string): asserts condition {
  if (!condition) throw new Failure(found);
}

/** A TCP proxy in front of Postgres or Redis: `cut()` drops every connection and refuses new ones. */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Closes the listener and every open connection: the service is gone. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Listens again on the same port: the service is back. */
  async restore(): Promise<void> {
    await this.start();
  }
}

/** One bot process, its logs (JSON lines on stderr) and its HTTP address. */
export class BotProcess {
  readonly logs: Array<Record<string, unknown>> = [];
  url = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          this.logs.push(entry);
          if (entry.msg === 'http server listening' && typeof entry.url === 'string') this.url = entry.url;
        } catch {
          this.logs.push({ msg: line });
        }
        newline = buffer.indexOf('\n');
      }
    });
    child.stdout?.resume();
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  logged(message: string | RegExp): boolean {
    return this.logs.some((entry) =>
      typeof message === 'string' ? entry.msg === message : message.test(String(entry.msg)),
    );
  }

  /** Waits for the process to say it is running. */
  async running(timeoutMs = 30_000): Promise<this> {
    await until(
      `pid ${this.pid} running`,
      () => {
        if (!this.alive) throw new Error(`exited: ${JSON.stringify(this.logs.slice(-5))}`);
        return this.logged('mlsd-bot is running');
      },
      timeoutMs,
      50,
    );
    return this;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.alive) process.kill(this.pid, signal);
    return this.exited;
  }
}

/** The app's credentials when installed in many workspaces, and the key sealing their tokens. */
export const SLACK_OAUTH = { clientId: '7777.8888', clientSecret: 'fault-client-secret' };
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export type HarnessOptions = {
  slackUsers?: Record<string, FakeSlackUser>;
  discordGuilds?: FakeGuild[];
  /** Installed in many workspaces ("Add to Slack"): OAuth settings instead of one SLACK_BOT_TOKEN. */
  slackOAuth?: boolean;
  /** Have the fakes enforce the platforms' published limits, scaled by this factor. */
  limits?: { scale: number };
  /** Put Postgres and/or Redis behind a proxy the scenario can cut. */
  proxy?: { postgres?: boolean; redis?: boolean };
  env?: Record<string, string>;
};

/** Everything one scenario runs on, and its clean-up. */
export class Harness {
  readonly processes: BotProcess[] = [];
  readonly prefix = `mlsd-fault-${randomBytes(4).toString('hex')}`;
  readonly databaseName = `mlsd_fault_${randomBytes(4).toString('hex')}`;
  readonly pool: pg.Pool;
  postgresProxy: TcpProxy | undefined;
  redisProxy: TcpProxy | undefined;
  slack!: FakeSlackApi;
  discord: FakeDiscord | undefined;
  private readonly workdir = mkdtempSync(join(tmpdir(), 'mlsd-fault-'));
  private readonly queues = new Map<string, Queue>();

  private constructor(readonly options: HarnessOptions) {
    this.pool = new pg.Pool({ connectionString: this.directDatabaseUrl(), max: 3 });
    this.pool.on('error', () => {});
  }

  static async create(options: HarnessOptions = {}): Promise<Harness> {
    const harness = new Harness(options);
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${harness.databaseName}`);
    await admin.end();
    const limits = options.limits ? { limits: options.limits } : {};
    harness.slack = await startFakeSlackApi({
      users: options.slackUsers ?? {},
      ...limits,
      ...(options.slackOAuth ? { oauth: SLACK_OAUTH } : {}),
    });
    if (options.discordGuilds)
      harness.discord = await startFakeDiscord({ guilds: options.discordGuilds, ...limits });
    const postgres = new URL(POSTGRES_URL);
    const redis = new URL(REDIS_URL);
    if (options.proxy?.postgres) {
      harness.postgresProxy = new TcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) });
      await harness.postgresProxy.start();
    }
    if (options.proxy?.redis) {
      harness.redisProxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
      await harness.redisProxy.start();
    }
    return harness;
  }

  directDatabaseUrl(): string {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${this.databaseName}`;
    return url.toString();
  }

  private botDatabaseUrl(): string {
    const url = new URL(this.directDatabaseUrl());
    if (this.postgresProxy) url.port = String(this.postgresProxy.port);
    return url.toString();
  }

  private botRedisUrl(): string {
    const url = new URL(REDIS_URL);
    if (this.redisProxy) url.port = String(this.redisProxy.port);
    return url.toString();
  }

  /** The environment of every bot process: nothing inherited but the path and the home directory. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: this.botDatabaseUrl(),
      REDIS_URL: this.botRedisUrl(),
      MLSD_QUEUE_PREFIX: this.prefix,
      PORT: '0',
      HOST: '127.0.0.1',
      ...(this.options.slackOAuth
        ? {
            SLACK_CLIENT_ID: SLACK_OAUTH.clientId,
            SLACK_CLIENT_SECRET: SLACK_OAUTH.clientSecret,
            SLACK_STATE_SECRET: 'fault-state-secret-long-enough',
            SLACK_AUTHORIZE_URL: new URL('/oauth/v2/authorize', this.slack.url).toString(),
            MLSD_ENCRYPTION_KEY: ENCRYPTION_KEY,
          }
        : { SLACK_BOT_TOKEN: 'xoxb-fault-token' }),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.slack.url,
      ...(this.discord
        ? {
            DISCORD_TOKEN: 'fault-discord-token',
            DISCORD_APPLICATION_ID: this.discord.applicationId,
            DISCORD_API_URL: this.discord.apiUrl,
          }
        : {}),
      MLSD_RECONCILE_EVERY_MS: '500',
      // Unless the fakes enforce the platforms' limits (scaled), the bot's pacing need not wait for them.
      MLSD_PLATFORM_RATE_SCALE: String(this.options.limits?.scale ?? 100),
      MLSD_CONNECT_RETRY_MAX_MS: '1000',
      ...this.options.env,
      ...extra,
    };
  }

  /** Starts `mlsd start --no-worker` (web) or `mlsd worker`, and waits until it runs. */
  async start(mode: 'web' | 'worker', extra: Record<string, string> = {}, wait = true): Promise<BotProcess> {
    const args = mode === 'web' ? ['start', '--no-worker'] : ['worker'];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: this.workdir,
      env: this.env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child);
    this.processes.push(bot);
    return wait ? bot.running() : bot;
  }

  /** The web process's address, for Slack's events. */
  web(): BotProcess {
    const web = this.processes.find((bot) => bot.alive && bot.child.spawnargs.includes('--no-worker'));
    if (!web) throw new Error('no web process is running');
    return web;
  }

  /** Sends a signed slash command to the web process, as Slack would. */
  async slash(
    text: string,
    who: { user: string; channel: string; team?: string },
    options: { triggerId?: string } = {},
  ): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const response = await postToBolt(
      this.web().url,
      SIGNING_SECRET,
      slashCommand({
        teamId: who.team ?? this.slack.teamId,
        channelId: who.channel,
        userId: who.user,
        text,
        triggerId: options.triggerId ?? `trig-${randomBytes(6).toString('hex')}`,
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    return { status: response.status, ms: Date.now() - started };
  }

  /** What the bot told one person privately after `since` (ms since the epoch). */
  privateTo(user: string, since = 0): string[] {
    return this.slack.calls
      .filter((call) => call.at >= since)
      .filter(
        (call) =>
          (call.method === 'chat.postEphemeral' && call.body.user === user) || call.method === 'response_url',
      )
      .map((call) => String(call.body.text ?? ''));
  }

  async query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, values)).rows;
  }

  /** Adds a job to the bot's queue, as its job scheduler would when a cron time comes. */
  async fire(queue: string, name: string, data: unknown, jobId?: string): Promise<void> {
    let producer = this.queues.get(queue);
    if (!producer) {
      producer = new Queue(queue, { connection: { url: REDIS_URL }, prefix: this.prefix });
      this.queues.set(queue, producer);
    }
    // The options the bot's own queues give every job (retries and their backoff).
    await producer.add(name, data, {
      ...(jobId ? { jobId } : {}),
      attempts: SCHEDULER_DEFAULTS.attempts,
      backoff: { type: 'exponential', delay: SCHEDULER_DEFAULTS.backoff },
    });
  }

  /** Deletes every Redis key of this bot (its queues, schedulers, delayed jobs). */
  async flushRedis(): Promise<number> {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    let removed = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) removed += await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return removed;
  }

  /** Stops every process (SIGKILL by pid), the fakes and the proxies; drops the database and the keys. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((bot) => bot.kill('SIGKILL')));
    for (const queue of this.queues.values()) await queue.close().catch(() => {});
    await this.pool.end().catch(() => {});
    await this.slack?.close().catch(() => {});
    await this.discord?.close().catch(() => {});
    await this.postgresProxy?.cut();
    await this.redisProxy?.cut();
    await this.flushRedis().catch(() => {});
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${this.databaseName} with (force)`);
    await admin.end();
    rmSync(this.workdir, { recursive: true, force: true });
  }
}

export type Scenario = {
  name: string;
  /** Runs the scenario; returns what was injected and found. Throws a Failure when the bot misbehaved. */
  run(): Promise<string>;
};

/** Runs `body` on a fresh harness, closing it whatever happens. */
export async function withHarness<T>(
  options: HarnessOptions,
  body: (harness: Harness) => Promise<T>,
): Promise<T> {
  const harness = await Harness.create(options);
  try {
    return await body(harness);
  } finally {
    await harness.close();
  }
}
