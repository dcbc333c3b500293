import { CronExpressionParser } from 'cron-parser';
import type { Logger } from 'pino';
import { ManualClock } from '../core/clock.ts';
import {
  type JobRequest,
  type JobRunner,
  PermanentJobError,
  type Scheduler,
  type ScheduleSpec,
} from './port.ts';

/** A clock the in-process scheduler and the services share; the playground moves it with `:clock`. */
export class VirtualClock extends ManualClock {
  /** Time only moves forward here: jobs already run must not come due again. */
  override set(at: Date): void {
    if (at.getTime() > this.now().getTime()) super.set(at);
  }
}

type Pending = { id: string; name: string; data: unknown; due: number; attempts: number };
type Schedule = { id: string; spec: ScheduleSpec; job: { name: string; data: unknown }; next: number };

export const IN_PROCESS_DEFAULTS = { attempts: 3, retryDelay: 5_000 } as const; // ms between retries

/**
 * The playground's Scheduler: recurring schedules and delayed jobs held in memory and run when the virtual
 * clock passes them (`advanceTo`), in time order. Same contract as the BullMQ adapter: idempotent job ids,
 * replace/remove schedules, cron in IANA time zones, retries for jobs that throw.
 */
export class InProcessScheduler implements Scheduler {
  private readonly schedules = new Map<string, Schedule>();
  private readonly pending = new Map<string, Pending>();
  private readonly seenIds = new Set<string>();
  private runner: JobRunner | undefined;
  private sequence = 0;

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }
  private running: Promise<void> = Promise.resolve();
  private draining = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly log: Logger,
  ) {}

  async ready(): Promise<void> {}

  private nextFire(spec: ScheduleSpec, after: number): number {
    return CronExpressionParser.parse(spec.pattern, { currentDate: new Date(after), tz: spec.tz })
      .next()
      .getTime();
  }

  async upsertSchedule(id: string, spec: ScheduleSpec, job: { name: string; data: unknown }): Promise<void> {
    this.schedules.set(id, { id, spec, job, next: this.nextFire(spec, this.clock.now().getTime()) });
  }

  async removeSchedule(id: string): Promise<void> {
    this.schedules.delete(id);
  }

  async hasSchedule(id: string): Promise<boolean> {
    return this.schedules.has(id);
  }

  async listSchedules() {
    return [...this.schedules.values()].map((item) => ({
      id: item.id,
      pattern: item.spec.pattern,
      tz: item.spec.tz,
      next: item.next,
    }));
  }

  async enqueue(job: JobRequest): Promise<void> {
    if (job.jobId && this.seenIds.has(job.jobId)) return;
    const id = job.jobId ?? `job-${this.next()}`;
    this.seenIds.add(id);
    this.pending.set(id, {
      id,
      name: job.name,
      data: job.data,
      due: this.clock.now().getTime() + Math.max(0, job.delayMs ?? 0),
      attempts: 0,
    });
    // Inside a running job the drain loop picks it up; awaiting the drain from here would deadlock.
    if ((!job.delayMs || job.delayMs <= 0) && !this.draining) await this.advanceTo(this.clock.now());
  }

  async startWorkers(runner: JobRunner): Promise<void> {
    this.runner = runner;
  }

  /** Moves the clock to `until`, running every job and schedule that falls due on the way, in order. */
  advanceTo(until: Date): Promise<void> {
    this.running = this.running.then(() => this.drain(until.getTime()));
    return this.running;
  }

  private async drain(until: number): Promise<void> {
    this.draining = true;
    try {
      await this.drainLoop(until);
    } finally {
      this.draining = false;
    }
  }

  private async drainLoop(until: number): Promise<void> {
    for (;;) {
      const job = [...this.pending.values()].sort((a, b) => a.due - b.due)[0];
      const schedule = [...this.schedules.values()].sort((a, b) => a.next - b.next)[0];
      const nextJob = job?.due ?? Number.POSITIVE_INFINITY;
      const nextSchedule = schedule?.next ?? Number.POSITIVE_INFINITY;
      const due = Math.min(nextJob, nextSchedule);
      if (due > until) break;
      this.clock.set(new Date(due));
      if (schedule && nextSchedule <= nextJob) {
        schedule.next = this.nextFire(schedule.spec, due);
        await this.run({
          id: `${schedule.id}:${due}`,
          name: schedule.job.name,
          data: schedule.job.data,
          due,
          attempts: 0,
        });
      } else if (job) {
        this.pending.delete(job.id);
        await this.run(job);
      }
    }
    this.clock.set(new Date(until));
  }

  private async run(job: Pending): Promise<void> {
    if (!this.runner) {
      this.pending.set(job.id, job);
      return;
    }
    try {
      await this.runner(job.name, job.data, { id: job.id, name: job.name, attemptsMade: job.attempts });
    } catch (error) {
      const attempts = job.attempts + 1;
      if (error instanceof PermanentJobError || attempts >= IN_PROCESS_DEFAULTS.attempts) {
        this.log.warn({ err: error, job: job.name, jobId: job.id }, 'job failed');
        return;
      }
      this.pending.set(job.id, {
        ...job,
        attempts,
        due: job.due + IN_PROCESS_DEFAULTS.retryDelay * attempts,
      });
    }
  }

  async close(): Promise<void> {
    await this.running;
    this.runner = undefined;
  }
}
