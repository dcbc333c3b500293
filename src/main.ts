import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig, platformsEnabled } from './config.ts';
import { systemClock } from './core/clock.ts';
import { createLogger } from './core/log.ts';
import { gradeAnswer, gradeToJson } from './engines/grading/index.ts';
import { slackManifest } from './platforms/slack/manifest.ts';
import { ContentError, loadLibrary } from './services/content.ts';

const USAGE = `mlsd: machine-learning system design study bot

Usage:
  mlsd start [--no-worker]          run the bot (Slack and/or Discord, HTTP server, workers);
                                    with no platform token set, the terminal playground
  mlsd playground [--fresh]         the terminal playground: one study channel, simulated members
  mlsd worker                       run only the job workers (scale these out)
  mlsd migrate                      apply database migrations
  mlsd discord register [--guild ID]  register /mlsd (guild: instant, for development; global otherwise)
  mlsd slack manifest [--url URL] [--socket]  print the Slack app manifest to paste at api.slack.com/apps
                                    (with --url: HTTP mode, the OAuth redirect URL for "Add to Slack")
  mlsd keys new                     print a new MLSD_ENCRYPTION_KEY (seals Slack tokens at rest)
  mlsd keys rotate                  seal every stored token again with MLSD_ENCRYPTION_KEY (the old key
                                    in MLSD_ENCRYPTION_OLD_KEYS until this has run)
  mlsd content check                validate the study library
  mlsd grade <case-id> [file|-]     grade an answer (file or stdin) and print JSON
`;

const out = (text: string) => process.stdout.write(`${text}\n`);

async function readAnswer(source: string | undefined): Promise<string> {
  if (source && source !== '-') return readFileSync(source, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `mlsd keys rotate`: every stored installation sealed again with the current key. */
async function rotateKeys(): Promise<number> {
  const config = loadConfig();
  if (!config.MLSD_ENCRYPTION_KEY) {
    process.stderr.write(
      'Set MLSD_ENCRYPTION_KEY to the new key (make one with `mlsd keys new`) and MLSD_ENCRYPTION_OLD_KEYS to the key it replaces.\n',
    );
    return 2;
  }
  const [{ Sealer }, { openDatabase }, { resealInstallations }] = await Promise.all([
    import('./core/secrets.ts'),
    import('./db/client.ts'),
    import('./db/queries/installations.ts'),
  ]);
  const sealer = new Sealer(config.MLSD_ENCRYPTION_KEY, config.MLSD_ENCRYPTION_OLD_KEYS);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MLSD_DATA_DIR });
  try {
    await database.migrate();
    const { resealed, total } = await resealInstallations(database.db, sealer);
    out(
      `Sealed ${resealed} of ${total} Slack installations again with key ${sealer.currentKeyId}; every one is now under it. MLSD_ENCRYPTION_OLD_KEYS can be emptied.`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      guild: { type: 'string' },
      url: { type: 'string' },
      socket: { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    out(USAGE);
    return 0;
  }

  switch (command) {
    case 'content': {
      if (sub !== 'check') break;
      const library = loadLibrary(loadConfig().MLSD_CONTENT_DIR);
      for (const problem of library.problems) out(`${problem.file}: ${problem.field}: ${problem.reason}`);
      out(
        `${library.cases.size} case studies, ${library.cards.size} trade-off cards, ${library.problems.length} problems`,
      );
      return library.problems.length === 0 ? 0 : 1;
    }
    case 'grade': {
      const library = loadLibrary(loadConfig().MLSD_CONTENT_DIR);
      const study = sub ? library.cases.get(sub) : undefined;
      if (!study) {
        process.stderr.write(
          `Unknown case "${sub ?? ''}". Usage: mlsd grade <case-id> [file|-]. Cases: ${[...library.cases.keys()].join(', ')}\n`,
        );
        return 2;
      }
      const text = await readAnswer(rest[0]);
      out(JSON.stringify(gradeToJson(gradeAnswer(library, study, text)), null, 2));
      return 0;
    }
    case 'slack': {
      if (sub !== 'manifest') break;
      const manifest = slackManifest({ url: values.url, socketMode: values.socket || !values.url });
      out(JSON.stringify(manifest, null, 2));
      const [redirect] = manifest.oauth_config.redirect_urls ?? [];
      if (redirect && values.url)
        process.stderr.write(
          `\nTo install in many workspaces ("Add to Slack"):\n  OAuth redirect URL: ${redirect} (in the manifest above)\n  Install page:       ${new URL('/slack/install', values.url)}\n  Then: Manage Distribution > Activate Public Distribution, and set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET,\n  SLACK_STATE_SECRET and MLSD_ENCRYPTION_KEY (\`mlsd keys new\`) instead of SLACK_BOT_TOKEN.\n`,
        );
      return 0;
    }
    case 'keys': {
      if (sub === 'new') {
        const { newKey } = await import('./core/secrets.ts');
        out(newKey());
        return 0;
      }
      if (sub !== 'rotate') break;
      return rotateKeys();
    }
    case 'discord': {
      if (sub !== 'register') break;
      const config = loadConfig();
      if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
        process.stderr.write(
          'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal > your app) first.\n',
        );
        return 2;
      }
      // The chat SDKs, the database and the app load only for the commands that use them, so
      // `mlsd grade` and `mlsd content check` start quickly.
      const [{ loadRegistry }, { registerWith }] = await Promise.all([
        import('./core/registry.ts'),
        import('./platforms/discord/commands.ts'),
      ]);
      await registerWith(
        {
          token: config.DISCORD_TOKEN,
          apiUrl: config.DISCORD_API_URL,
          applicationId: config.DISCORD_APPLICATION_ID,
          guildId: values.guild,
        },
        await loadRegistry(),
      );
      out(
        values.guild
          ? `Registered /mlsd in guild ${values.guild} (available now).`
          : 'Registered /mlsd globally (Discord may take up to an hour to show it everywhere).',
      );
      return 0;
    }
    case 'migrate': {
      const config = loadConfig();
      const { openDatabase } = await import('./db/client.ts');
      const database = await openDatabase({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.MLSD_DATA_DIR,
      });
      await database.migrate();
      await database.close();
      out(`Migrations applied (${database.driver}).`);
      return 0;
    }
    case 'playground':
      return playground(values.fresh);
    case 'start': {
      const config = loadConfig();
      const enabled = platformsEnabled(config);
      if (!enabled.slack && !enabled.discord) {
        // A deployed bot (the Docker image sets NODE_ENV=production) has no terminal for the playground:
        // say what to set and wait, instead of exiting into a restart loop.
        return config.NODE_ENV === 'production' ? idle(config) : playground(values.fresh);
      }
      return serve(command, values['no-worker']);
    }
    case 'worker':
      return serve(command, values['no-worker']);
  }
  process.stderr.write(`Unknown command "${positionals.join(' ')}".\n\n${USAGE}`);
  return 2;
}

export const NO_PLATFORM_MESSAGE =
  'No chat platform is configured, so the bot has nothing to connect to. Set SLACK_BOT_TOKEN (with ' +
  'SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN for Socket Mode) and/or DISCORD_TOKEN, for ' +
  'example in .env, then restart (README: "Connect Slack", "Connect Discord"). To try the bot without ' +
  'tokens, run `npx mlsd playground` in a terminal. Waiting; /readyz answers 503 until then.';

/** Production start with no platform token: health endpoints up, /readyz 503, one clear log line. */
async function idle(config: Config): Promise<number> {
  const log = createLogger(config.LOG_LEVEL, { environment: config.NODE_ENV });
  const { startHttpServer } = await import('./platforms/http.ts');
  const http = await startHttpServer({
    port: config.PORT,
    host: config.HOST,
    log,
    ready: async () => ({ platform: false }),
  });
  log.error({ set: ['SLACK_BOT_TOKEN', 'DISCORD_TOKEN'] }, NO_PLATFORM_MESSAGE);
  const stop = () => void http.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return -1; // keep running
}

/** The terminal playground: stdin in, transcript on stdout, logs on stderr; ends at end of input. */
async function playground(fresh: boolean): Promise<number> {
  const config = loadConfig(undefined, { LOG_LEVEL: 'warn' });
  const log = createLogger(config.LOG_LEVEL, { environment: config.NODE_ENV });
  const { Playground } = await import('./playground.ts');
  const session = await Playground.start({ config, log, fresh, now: systemClock.now() });
  await session.run();
  return 0;
}

async function serve(mode: 'start' | 'worker', noWorker: boolean): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { environment: config.NODE_ENV });
  const { Bot } = await import('./app.ts');
  const bot = await Bot.create({ config, log, clock: systemClock });
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) return;
    log.info({ signal }, 'shutting down: no new work, finishing active jobs');
    stopping = bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // The last net under the error boundaries: a stray rejection inside an SDK (a platform unreachable for a
  // moment) is logged, not allowed to take down the platform that still works and the HTTP server.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  await bot.start({ platforms: mode === 'start', workers: mode === 'worker' || !noWorker, http: true });
  log.info(
    {
      slack: Boolean(bot.slack),
      discord: Boolean(bot.discord),
      slackConnected: bot.slack?.link.connected,
      discordConnected: bot.discord?.link.connected,
      workers: mode === 'worker' || !noWorker,
      url: bot.http?.url,
    },
    'mlsd-bot is running',
  );
  return -1; // keep running
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof ContentError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
