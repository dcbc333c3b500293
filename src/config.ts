import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseKey } from './core/secrets.ts';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const urlString = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), `must be a URL (${what})`);

/** The items of a comma- or space-separated list. */
const itemsOf = (value: string | undefined) =>
  (value ?? '')
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const list = z.string().optional().transform(itemsOf);

const timeZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin');

/** Every environment variable the bot reads, with its default. This is the only reader of process.env. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  MLSD_DATA_DIR: z.string().default('.data'),
  REDIS_URL: urlString('redis://host:6379').default('redis://127.0.0.1:6379'),
  MLSD_QUEUE_PREFIX: z.string().default('mlsd'),
  PORT: z.coerce
    .number({ error: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65_535, 'must be a port number from 0 to 65535')
    .default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: urlString('the Slack Web API base').default('https://slack.com/api/'),
  // Distribution (many workspaces, "Add to Slack"): set these three instead of SLACK_BOT_TOKEN.
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  // Where "Add to Slack" sends people to approve the install (Slack's page; tests point it elsewhere).
  SLACK_AUTHORIZE_URL: urlString("Slack's OAuth approval page").default(
    'https://slack.com/oauth/v2/authorize',
  ),
  // Seals Slack tokens at rest (AES-256-GCM): 32 random bytes, base64 (`mlsd keys new`). Older keys still
  // open what they sealed until `mlsd keys rotate` has sealed it again with the current one.
  MLSD_ENCRYPTION_KEY: optionalString,
  MLSD_ENCRYPTION_OLD_KEYS: list,
  // Days a workspace's study data is kept after it removes the bot (a reinstall within them picks it up).
  MLSD_UNINSTALL_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 or more days')
    .default(30),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_API_URL: urlString('the Discord REST base').default('https://discord.com/api'),
  DISCORD_MESSAGE_CONTENT: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  MLSD_ADMINS: list,
  MLSD_DEFAULT_TIME_ZONE: timeZone.default('UTC'),
  // The hour a member's day starts for streaks (4: a 00:30 answer counts for the evening before).
  MLSD_DAY_START_HOUR: z.coerce
    .number({ error: 'must be an hour from 0 to 23' })
    .int('must be an hour from 0 to 23')
    .min(0, 'must be an hour from 0 to 23')
    .max(23, 'must be an hour from 0 to 23')
    .default(0),
  MLSD_CONTENT_DIR: optionalString,
  // Optional language-model reviewer (any OpenAI-compatible server); off unless the base URL and model are set.
  MLSD_LLM_BASE_URL: optionalString.pipe(
    z
      .string()
      .refine((value) => URL.canParse(value), 'must be a URL, e.g. http://127.0.0.1:11434/v1 for Ollama')
      .optional(),
  ),
  MLSD_LLM_MODEL: optionalString,
  MLSD_LLM_API_KEY: optionalString,
  MLSD_LLM_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a number of milliseconds')
    .min(100, 'must be at least 100 milliseconds')
    .default(20_000),
  // How often (ms) a worker checks that Redis still holds the schedules, rebuilding them from Postgres if not.
  MLSD_RECONCILE_EVERY_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a number of milliseconds')
    .min(100, 'must be at least 100 milliseconds')
    .default(30_000),
  // Multiplies the platform rate limits the bot paces itself to: 1 in production; benchmarks against the fakes
  // (which scale their limits the same way) raise it to finish sooner.
  MLSD_PLATFORM_RATE_SCALE: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be above 0')
    .default(1),
  // The longest wait (ms) between attempts to reach a platform that is down; attempts start 1 s apart.
  MLSD_CONNECT_RETRY_MAX_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a number of milliseconds')
    .min(10, 'must be at least 10 milliseconds')
    .default(60_000),
});

type EnvIssue = { path: string; message: string };

/** Checks between variables; run on the raw environment so they are reported with every other problem. */
function crossChecks(env: Record<string, string | undefined>): EnvIssue[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const issues: EnvIssue[] = [];
  if (set('SLACK_BOT_TOKEN') && !set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    issues.push({
      path: 'SLACK_SIGNING_SECRET',
      message:
        'is required in HTTP mode: set SLACK_SIGNING_SECRET (Basic Information > App Credentials), or set SLACK_APP_TOKEN for Socket Mode',
    });
  }
  const oauth = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  if (oauth.some(set)) {
    for (const name of oauth.filter((name) => !set(name)))
      issues.push({
        path: name,
        message:
          'is needed too: installing in many workspaces takes SLACK_CLIENT_ID, SLACK_CLIENT_SECRET (Basic Information > App Credentials) and SLACK_STATE_SECRET (any long random string)',
      });
    if (set('SLACK_BOT_TOKEN'))
      issues.push({
        path: 'SLACK_BOT_TOKEN',
        message:
          'must be unset when SLACK_CLIENT_ID is set: each workspace gets its own token when it installs the app (or unset the SLACK_CLIENT_* variables to serve one workspace)',
      });
    if (set('SLACK_APP_TOKEN'))
      issues.push({
        path: 'SLACK_APP_TOKEN',
        message:
          'must be unset when SLACK_CLIENT_ID is set: installing in many workspaces runs over HTTP (/slack/events, /slack/install)',
      });
    if (!set('SLACK_SIGNING_SECRET'))
      issues.push({
        path: 'SLACK_SIGNING_SECRET',
        message: 'is required with SLACK_CLIENT_ID (Basic Information > App Credentials)',
      });
    if (!set('MLSD_ENCRYPTION_KEY'))
      issues.push({
        path: 'MLSD_ENCRYPTION_KEY',
        message:
          "is required with SLACK_CLIENT_ID, to keep each workspace's token encrypted: make one with `mlsd keys new` (or `openssl rand -base64 32`) and keep it safe",
      });
  }
  for (const name of ['MLSD_ENCRYPTION_KEY', 'MLSD_ENCRYPTION_OLD_KEYS'] as const) {
    for (const key of itemsOf(env[name])) {
      try {
        parseKey(key);
      } catch (error) {
        issues.push({ path: name, message: `is not a key: ${(error as Error).message}` });
      }
    }
  }
  if (
    !set('SLACK_BOT_TOKEN') &&
    !set('SLACK_CLIENT_ID') &&
    (set('SLACK_APP_TOKEN') || set('SLACK_SIGNING_SECRET'))
  ) {
    issues.push({
      path: 'SLACK_BOT_TOKEN',
      message:
        'is required when other Slack variables are set (the xoxb- token from OAuth & Permissions), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install in many workspaces',
    });
  }
  if (set('MLSD_LLM_BASE_URL') !== set('MLSD_LLM_MODEL')) {
    issues.push({
      path: set('MLSD_LLM_BASE_URL') ? 'MLSD_LLM_MODEL' : 'MLSD_LLM_BASE_URL',
      message:
        'is needed too: the reviewer runs when both MLSD_LLM_BASE_URL and MLSD_LLM_MODEL are set (e.g. http://127.0.0.1:11434/v1 and llama3.1)',
    });
  }
  if (set('SLACK_APP_TOKEN') && !env.SLACK_APP_TOKEN?.trim().startsWith('xapp-')) {
    issues.push({ path: 'SLACK_APP_TOKEN', message: 'must be an app-level token (xapp-...)' });
  }
  return issues;
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once; throws one ConfigError that lists every problem and the variable to set.
 * `defaults` fill variables the environment leaves unset (the playground logs only warnings by default).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  defaults: Partial<Record<keyof Config, string>> = {},
): Config {
  if (Object.keys(defaults).length > 0) env = { ...defaults, ...env };
  const result = configSchema.safeParse(env);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))),
    ...crossChecks(env),
  ].map((issue) => `${issue.path || '(environment)'} ${issue.message}`);
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems);
}

export const platformsEnabled = (config: Config) => ({
  slack: Boolean(config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID),
  discord: Boolean(config.DISCORD_TOKEN),
});
