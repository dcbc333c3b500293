import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

/** Slack tokens (bot, user, app, refresh) and Discord bot tokens: never written to a log line. */
const TOKEN =
  /\b(xox[abpe]|xapp)-[A-Za-z0-9-]{6,}|\b[A-Za-z0-9_-]{24,28}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g;

/** `value` with every token in it replaced, looked for a few levels deep. */
export function scrubTokens(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(TOKEN, '[token]');
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubTokens(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubTokens(item, depth + 1);
  if (value instanceof Error) {
    out.message = scrubTokens(value.message, depth + 1);
    out.stack = scrubTokens(value.stack, depth + 1);
  }
  return out;
}

const scrubbing: LoggerOptions = {
  formatters: { log: (object) => scrubTokens(object) as Record<string, unknown> },
  hooks: {
    logMethod(args, method) {
      method.apply(
        this,
        args.map((arg) => (typeof arg === 'string' ? scrubTokens(arg) : arg)) as Parameters<typeof method>,
      );
    },
  },
};

/**
 * JSON logs on stderr (stdout stays free for CLI output); pretty when a person is watching a terminal,
 * outside production.
 */
export function createLogger(
  level: string,
  options: {
    pretty?: boolean;
    environment?: 'development' | 'production' | 'test';
    /** Where lines go instead of stderr (tests read them). */
    destination?: DestinationStream;
  } = {},
): Logger {
  const pretty = options.pretty ?? (process.stderr.isTTY && options.environment !== 'production');
  if (pretty) {
    try {
      return pino({
        level,
        ...scrubbing,
        transport: {
          target: 'pino-pretty',
          options: { destination: 2, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
        },
      });
    } catch {
      // pino-pretty is a dev dependency; production images log JSON.
    }
  }
  return pino({ level, ...scrubbing }, options.destination ?? pino.destination(2));
}
