import type { JobRunner } from '../core/jobs.ts';

export { type JobMeta, type JobRunner, PermanentJobError } from '../core/jobs.ts';

/** A recurring schedule: a cron pattern read in an IANA time zone (so DST is honoured). */
export type ScheduleSpec = { pattern: string; tz: string };

export type JobRequest = {
  name: string;
  data: unknown;
  /** Same id, same job: a second enqueue with an id that exists is a no-op. */
  jobId?: string;
  delayMs?: number;
};

/** The scheduling port: BullMQ in production, in-process for the playground. */
export interface Scheduler {
  /** Throws (within `timeoutMs`) when the queue backend cannot be reached. */
  ready(timeoutMs?: number): Promise<void>;
  /** Creates or replaces the recurring schedule `id`; idempotent. */
  upsertSchedule(id: string, spec: ScheduleSpec, job: { name: string; data: unknown }): Promise<void>;
  removeSchedule(id: string): Promise<void>;
  /** Whether the recurring schedule `id` exists (false after the backend lost its data). */
  hasSchedule(id: string): Promise<boolean>;
  listSchedules(): Promise<
    Array<{ id: string; pattern?: string | undefined; tz?: string | undefined; next?: number | undefined }>
  >;
  enqueue(job: JobRequest): Promise<void>;
  /** Starts processing jobs with `runner`; one worker per queue. */
  startWorkers(runner: JobRunner): Promise<void>;
  /** Jobs per queue and state, for metrics. */
  counts?(): Promise<Array<{ queue: string; state: string; count: number }>>;
  /** Stops taking work, lets active jobs finish, closes connections. */
  close(): Promise<void>;
}
