import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { unexpectedErrorText, unknownComponent, userErrorText } from '../content/refusals.ts';
import { type Config, platformsEnabled } from './config.ts';
import type { Clock } from './core/clock.ts';
import { Dispatcher } from './core/dispatch.ts';
import { UserError, withTimeout } from './core/errors.ts';
import { createJobRunner } from './core/jobs.ts';
import { Metrics } from './core/metrics.ts';
import { loadRegistry, type Registry, verifyJobNames } from './core/registry.ts';
import { Sealer } from './core/secrets.ts';
import type { InstallationKey, Notifier, Platform } from './core/types.ts';
import { type Database, isDatabaseUnavailable, openDatabase } from './db/client.ts';
import { recordDelivery } from './db/queries/deliveries.ts';
import { formDraftStore } from './db/queries/forms.ts';
import { installationVault, workspacesOf } from './db/queries/installations.ts';
import { warmUp } from './engines/grading/index.ts';
import { DiscordAdapter } from './platforms/discord/adapter.ts';
import { startHttpServer } from './platforms/http.ts';
import { Pacer } from './platforms/pace.ts';
import { SLACK_BODY_LIMIT, SlackAdapter } from './platforms/slack/adapter.ts';
import { slackManifest } from './platforms/slack/manifest.ts';
import { BullMqScheduler } from './scheduler/bullmq.ts';
import type { Scheduler } from './scheduler/port.ts';
import { ContentError, type Library, loadLibrary } from './services/content.ts';
import { createServices, type Services } from './services/index.ts';
import { JOB_NAMES } from './services/jobs.ts';

/** Loads the study library and refuses to run on broken content. */
export function loadValidLibrary(dir?: string): Library {
  const library = loadLibrary(dir);
  if (library.problems.length > 0) {
    throw new ContentError(
      `The study library has problems (run \`mlsd content check\`):\n${library.problems
        .map((problem) => `  - ${problem.file}: ${problem.field}: ${problem.reason}`)
        .join('\n')}`,
    );
  }
  return library;
}

export type BotOptions = {
  config: Config;
  log: Logger;
  /** Injected in tests and the playground; BullMQ on REDIS_URL otherwise. */
  scheduler?: Scheduler;
  database?: Database;
  library?: Library;
  /** The one clock of the process: the wall clock in production, a manual one in tests and the playground. */
  clock: Clock;
  /** Notifiers of platforms without an adapter here (the playground's console). */
  notifiers?: Notifier[];
};

export type StartOptions = { platforms: boolean; workers: boolean; http: boolean };

/** The composition root: everything one process needs, wired once. */
export class Bot {
  slack: SlackAdapter | undefined;
  discord: DiscordAdapter | undefined;
  http: { server: Server; url: string; close(): Promise<void> } | undefined;
  private stopping = false;
  private healing = false;
  private paceRedis: Redis | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    readonly options: BotOptions,
    readonly database: Database,
    readonly library: Library,
    readonly registry: Registry<Services>,
    readonly scheduler: Scheduler,
    readonly services: Services,
    readonly dispatcher: Dispatcher<Services>,
    readonly metrics: Metrics,
  ) {}

  static async create(options: BotOptions): Promise<Bot> {
    const { config, log } = options;
    const library = options.library ?? loadValidLibrary(config.MLSD_CONTENT_DIR);
    const registry = await loadRegistry<Services>();
    verifyJobNames(registry, JOB_NAMES);
    const database =
      options.database ??
      (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MLSD_DATA_DIR }));
    await database.migrate();
    const scheduler =
      options.scheduler ??
      new BullMqScheduler({
        redisUrl: config.REDIS_URL,
        prefix: config.MLSD_QUEUE_PREFIX,
        queues: new Map([...registry.jobs.values()].map((job) => [job.name, job.queue])),
        attempts: new Map(
          [...registry.jobs.values()]
            .filter((job) => job.attempts)
            .map((job) => [job.name, job.attempts as number]),
        ),
        log: log.child({ component: 'scheduler' }),
      });
    const metrics = new Metrics();
    const notifiers = new Map<Platform, Notifier>(
      (options.notifiers ?? []).map((notifier) => [notifier.platform, notifier]),
    );
    const services = createServices({
      db: database.db,
      library,
      scheduler,
      notifiers,
      config,
      log: log.child({ component: 'services' }),
      clock: options.clock,
      metrics: {
        answerGraded: () => metrics.answersGraded.inc(),
        reviewed: (outcome) => metrics.reviews.inc({ outcome }),
      },
    });
    const dispatcher = new Dispatcher<Services>({
      registry,
      clock: options.clock,
      services,
      log: log.child({ component: 'dispatch' }),
      ports: {
        firstDelivery: (platform, key) => recordDelivery(database.db, platform, key),
        isAdmin: (actor) => services.members.isAdmin(actor),
        unavailable: (error) =>
          isDatabaseUnavailable(error) ? new UserError('database-unavailable') : undefined,
        words: {
          refusal: (error) => userErrorText(error.identifier, error.context),
          unexpected: unexpectedErrorText,
          unknownComponent,
        },
      },
      observe: ({ kind, name, outcome, ms }) => {
        metrics.commands.inc({ kind, name, outcome });
        metrics.commandSeconds.observe({ kind, name }, ms / 1000);
      },
    });
    const bot = new Bot(options, database, library, registry, scheduler, services, dispatcher, metrics);
    bot.createAdapters(notifiers);
    return bot;
  }

  private createAdapters(notifiers: Map<Platform, Notifier>): void {
    const { config, log } = this.options;
    const enabled = platformsEnabled(config);
    // The platforms' limits are shared by every process of the bot: the counters live in Redis (a memory
    // fallback while Redis is away), except in the playground, which has no Redis and no platform.
    if (this.scheduler instanceof BullMqScheduler) {
      this.paceRedis = new Redis(config.REDIS_URL, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: false,
      });
      this.paceRedis.on('error', (error) => log.debug({ err: error }, 'pacer redis error'));
    }
    const pacer = new Pacer({
      redis: this.paceRedis,
      prefix: config.MLSD_QUEUE_PREFIX,
      scale: config.MLSD_PLATFORM_RATE_SCALE,
    });
    if (enabled.slack) {
      this.slack = new SlackAdapter(
        {
          botToken: config.SLACK_BOT_TOKEN,
          oauth: this.slackOAuth(),
          signingSecret: config.SLACK_SIGNING_SECRET,
          appToken: config.SLACK_APP_TOKEN,
          apiUrl: config.SLACK_API_URL,
          log,
          clock: this.options.clock,
          linkDelays: this.linkDelays(),
          onRateLimited: () => this.metrics.rateLimits.inc({ platform: 'slack' }),
          pacer,
        },
        this.dispatcher,
      );
      notifiers.set('slack', this.metrics.instrument(this.slack.notifier));
    }
    if (enabled.discord && config.DISCORD_TOKEN) {
      this.discord = new DiscordAdapter(
        {
          token: config.DISCORD_TOKEN,
          apiUrl: config.DISCORD_API_URL,
          messageContent: config.DISCORD_MESSAGE_CONTENT,
          log,
          clock: this.options.clock,
          drafts: formDraftStore(this.database.db, this.options.clock),
          linkDelays: this.linkDelays(),
          onRateLimited: () => this.metrics.rateLimits.inc({ platform: 'discord' }),
          pacer,
          // A server that removes the bot is treated as a Slack workspace that uninstalls it.
          membership: {
            left: async (guildId: string) => {
              await this.services.workspaces.departed('discord', [guildId]);
            },
            joined: async (guildId: string) => {
              await this.services.workspaces.returned('discord', [guildId]);
            },
          },
        },
        this.dispatcher,
      );
      notifiers.set('discord', this.metrics.instrument(this.discord.notifier));
    }
  }

  /** Installed in many workspaces ("Add to Slack"): the installer's settings, tokens sealed in Postgres. */
  private slackOAuth() {
    const { config, log } = this.options;
    if (!config.SLACK_CLIENT_ID || !config.SLACK_CLIENT_SECRET || !config.SLACK_STATE_SECRET)
      return undefined;
    if (!config.MLSD_ENCRYPTION_KEY) throw new Error('MLSD_ENCRYPTION_KEY is required with SLACK_CLIENT_ID');
    const sealer = new Sealer(config.MLSD_ENCRYPTION_KEY, config.MLSD_ENCRYPTION_OLD_KEYS);
    const db = this.database.db;
    return {
      clientId: config.SLACK_CLIENT_ID,
      clientSecret: config.SLACK_CLIENT_SECRET,
      stateSecret: config.SLACK_STATE_SECRET,
      authorizeUrl: config.SLACK_AUTHORIZE_URL,
      scopes: slackManifest({ socketMode: false }).oauth_config.scopes.bot,
      vault: installationVault(db, sealer, this.options.clock),
      hooks: {
        // An org-wide install serves every workspace of the organisation seen so far.
        installed: async (key: InstallationKey) => {
          log.info({ teamId: key.teamId, enterpriseId: key.enterpriseId }, 'Slack installation added');
          await this.services.workspaces.returned('slack', await workspacesOf(db, key));
        },
        uninstalled: async (key: InstallationKey) => {
          await this.services.workspaces.departed('slack', await workspacesOf(db, key));
        },
      },
    };
  }

  private linkDelays() {
    const max = this.options.config.MLSD_CONNECT_RETRY_MAX_MS;
    return { firstDelay: Math.min(1_000, max), maxDelay: max };
  }

  /** Database, Redis and each platform's connection, for /readyz. */
  async readiness(): Promise<Record<string, boolean>> {
    const [database, redis] = await Promise.all([
      withTimeout(this.database.ping(), 2_000, 'database').then(
        () => true,
        () => false,
      ),
      this.scheduler.ready(2_000).then(
        () => true,
        () => false,
      ),
    ]);
    return {
      database,
      redis,
      ...(this.slack ? { slack: this.slack.link.connected } : {}),
      ...(this.discord ? { discord: this.discord.link.connected } : {}),
    };
  }

  async start(what: StartOptions): Promise<void> {
    const { config, log } = this.options;
    // Compile every case's rubric now (about a second), not on the first answer to each case, when it
    // would hold up every other request of this process for up to 200 ms.
    if (what.platforms || what.workers) warmUp(this.library);
    if (what.http) {
      this.http = await startHttpServer({
        port: config.PORT,
        host: config.HOST,
        log,
        ready: () => this.readiness(),
        metrics: async () => {
          const counts = (await this.scheduler.counts?.().catch(() => [])) ?? [];
          for (const row of counts)
            this.metrics.queueDepth.set({ queue: row.queue, state: row.state }, row.count);
          return {
            contentType: this.metrics.registry.contentType,
            body: await this.metrics.registry.metrics(),
          };
        },
        slack: what.platforms ? this.slack?.requestListener : undefined,
        slackBodyLimit: SLACK_BODY_LIMIT,
      });
    }
    if (what.workers) {
      await this.scheduler.startWorkers(
        createJobRunner({
          registry: this.registry,
          services: this.services,
          log,
          observe: ({ name, outcome, ms }) => {
            this.metrics.jobs.inc({ name, outcome });
            this.metrics.jobSeconds.observe({ name }, ms / 1000);
          },
        }),
      );
      // A Redis or Postgres hiccup here is not fatal: the watchdog below rebuilds the schedules once both answer.
      await this.reconcile('start').catch((error: unknown) =>
        log.warn({ err: error }, 'could not reconcile the schedules at start; retrying in the background'),
      );
      this.watchdog = setInterval(() => void this.healSchedules(), config.MLSD_RECONCILE_EVERY_MS);
      this.watchdog.unref();
    }
    if (what.platforms) {
      await Promise.all([this.slack?.start(), this.discord?.start()]);
    }
  }

  /** Rebuilds every schedule in Redis from Postgres (the truth): daily posts, close-outs, pairing, digests. */
  private async reconcile(reason: 'start' | 'lost'): Promise<void> {
    const rebuilt = await this.services.reconcile.reconcileAll();
    this.options.log.info({ reason, ...rebuilt }, 'schedules reconciled from Postgres');
  }

  /**
   * A Redis that comes back empty (flushed, failed over, replaced) loses every schedule while the workers
   * keep running: each check finds out and rebuilds them, so no channel misses its post until a restart.
   */
  private async healSchedules(): Promise<void> {
    if (this.healing || this.stopping) return;
    this.healing = true;
    try {
      if (!(await this.services.daily.schedulesLost())) return;
      this.options.log.warn('the schedules are gone from Redis; rebuilding them from Postgres');
      await this.reconcile('lost');
    } catch (error) {
      // Redis or Postgres down: the next check tries again.
      this.options.log.debug({ err: error }, 'schedule check failed');
    } finally {
      this.healing = false;
    }
  }

  /** Stops taking work, lets active jobs finish, then closes every connection. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.watchdog);
    const log = this.options.log;
    // Each step runs even if an earlier one fails (a dead Redis must not keep the database open).
    const steps: Array<[string, () => Promise<unknown> | undefined]> = [
      ['platforms', () => Promise.all([this.slack?.stop(), this.discord?.stop()])],
      ['http', () => this.http?.close()],
      ['scheduler', () => this.scheduler.close()],
      ['pacer', () => this.paceRedis?.quit()],
      ['database', () => this.database.close()],
    ];
    for (const [name, step] of steps) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => log.warn({ err: error, step: name }, 'shutdown step failed'));
    }
  }
}
