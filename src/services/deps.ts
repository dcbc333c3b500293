import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { Notifier, Platform } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import type { Scheduler } from '../scheduler/port.ts';
import type { Library } from './content.ts';

/** What every service needs; built once by the composition root. */
export type Deps = {
  db: Db;
  library: Library;
  scheduler: Scheduler;
  notifiers: Map<Platform, Notifier>;
  config: Pick<
    Config,
    | 'MLSD_ADMINS'
    | 'MLSD_DEFAULT_TIME_ZONE'
    | 'MLSD_DAY_START_HOUR'
    | 'MLSD_LLM_BASE_URL'
    | 'MLSD_LLM_MODEL'
    | 'MLSD_LLM_API_KEY'
    | 'MLSD_LLM_TIMEOUT_MS'
    | 'MLSD_UNINSTALL_RETENTION_DAYS'
  >;
  log: Logger;
  /** The one source of time (see core/clock.ts). */
  clock: Clock;
  /** Counters services feed; optional so tests and tools need none. */
  metrics?: { answerGraded(): void; reviewed?(outcome: 'ok' | 'timeout' | 'error' | 'malformed'): void };
};

export function notifierFor(deps: Deps, platform: Platform): Notifier {
  const notifier = deps.notifiers.get(platform);
  if (!notifier) throw new Error(`no notifier for platform ${platform}`);
  return notifier;
}

/** Refuses (with "try again shortly", changing nothing) when the scheduler cannot be reached in time. */
export async function ensureScheduler(deps: Deps): Promise<void> {
  try {
    await deps.scheduler.ready();
  } catch (error) {
    deps.log.warn({ err: error }, 'scheduler unavailable');
    throw new UserError('scheduler-unavailable');
  }
}
