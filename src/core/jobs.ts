import type { Logger } from 'pino';
import type { Registry } from './registry.ts';

/**
 * The job pipeline, beside the command pipeline: a job is found by name in the registry, its data parsed
 * with the job's zod schema (a bad payload can never succeed, so it is permanent), then run.
 */

export type JobMeta = { id: string | undefined; name: string; attemptsMade: number };

/** Runs one job by name; throwing a PermanentJobError means retrying can never help. */
export type JobRunner = (name: string, data: unknown, meta: JobMeta) => Promise<void>;

/** A job that can never succeed (bad payload); the queue must not retry it. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export function createJobRunner<S>(options: {
  registry: Registry<S>;
  services: S;
  log: Logger;
  /** Called after every job with its outcome, for metrics. */
  observe?: (event: { name: string; outcome: string; ms: number }) => void;
}): JobRunner {
  return async (name, data, meta) => {
    const started = performance.now();
    const done = (outcome: string) => options.observe?.({ name, outcome, ms: performance.now() - started });
    const job = options.registry.jobs.get(name);
    if (!job) {
      done('unknown');
      throw new PermanentJobError(`unknown job "${name}"`);
    }
    const parsed = job.data.safeParse(data);
    if (!parsed.success) {
      done('bad-data');
      throw new PermanentJobError(`bad data for ${name}: ${parsed.error.message}`);
    }
    const log = options.log.child({ job: name, jobId: meta.id });
    try {
      await job.run({ data: parsed.data, services: options.services, log, job: meta });
      done('ok');
      log.debug({ ms: Math.round(performance.now() - started) }, 'job done');
    } catch (error) {
      done('error');
      throw error;
    }
  };
}
