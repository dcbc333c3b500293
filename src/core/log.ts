import { type Logger, pino } from 'pino';

/**
 * JSON logs on stderr (stdout stays free for CLI output); pretty when a person is watching a terminal,
 * outside production.
 */
export function createLogger(
  level: string,
  options: { pretty?: boolean; environment?: 'development' | 'production' | 'test' } = {},
): Logger {
  const pretty = options.pretty ?? (process.stderr.isTTY && options.environment !== 'production');
  if (pretty) {
    try {
      return pino({
        level,
        transport: {
          target: 'pino-pretty',
          options: { destination: 2, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
        },
      });
    } catch {
      // pino-pretty is a dev dependency; production images log JSON.
    }
  }
  return pino({ level }, pino.destination(2));
}
