import { once } from 'node:events';
import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { withTimeout } from '../core/errors.ts';
import {
  type JobRequest,
  type JobRunner,
  PermanentJobError,
  type Scheduler,
  type ScheduleSpec,
} from './port.ts';

export const SCHEDULER_DEFAULTS = {
  commandTimeout: 2_000, // ms: a chat command must still answer inside the platform's 3 s
  // Jobs at once per queue and process. Sends wait on the network and on the platforms' limits (the
  // notifiers pace every call, shared across processes), so many run side by side.
  concurrency: 16,
  // Retries with exponential backoff span about 2.5 minutes: longer than a dead sender's claim holds
  // (SEND_CLAIM_TTL_MS), so a job that finds a message in another sender's hands comes back to it.
  attempts: 6,
  backoff: 5_000, // ms, exponential
  // A job whose worker died is handed to another worker after its lock lapses (renewed every half).
  lockDuration: 15_000, // ms
  stalledInterval: 10_000, // ms
  maxStalledCount: 2,
  keepCompleted: 500, // jobs
  keepFailed: 1_000, // jobs
} as const;

export type BullMqOptions = {
  redisUrl: string;
  prefix: string;
  /** Job name -> queue name, from the registry. */
  queues: Map<string, string>;
  /** Job name -> attempts, from the registry. */
  attempts?: Map<string, number>;
  /** First retry delay, doubling after; tests shorten it. */
  backoffMs?: number;
  /** Jobs per window per queue, when a queue must be throttled as a whole (the notifiers pace platform calls). */
  limiter?: { max: number; duration: number };
  log: Logger;
};

/** The production Scheduler: BullMQ queues and job schedulers on Redis. */
export class BullMqScheduler implements Scheduler {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private producer: Redis | undefined;

  constructor(private readonly options: BullMqOptions) {}

  private connection(forWorker: boolean): Redis {
    const redisOptions: RedisOptions = forWorker
      ? { maxRetriesPerRequest: null }
      : // Producers fail fast instead of queueing commands while Redis is down.
        {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: SCHEDULER_DEFAULTS.commandTimeout,
        };
    const connection = new Redis(this.options.redisUrl, { ...redisOptions, lazyConnect: false });
    connection.on('error', (error) => this.options.log.debug({ err: error }, 'redis connection error'));
    this.connections.push(connection);
    return connection;
  }

  private producerConnection(): Redis {
    this.producer ??= this.connection(false);
    return this.producer;
  }

  private queueFor(jobName: string): Queue {
    const queueName = this.options.queues.get(jobName);
    if (!queueName) throw new Error(`no queue for job "${jobName}"`);
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, {
        connection: this.producerConnection() as unknown as ConnectionOptions,
        prefix: this.options.prefix,
        defaultJobOptions: {
          attempts: this.options.attempts?.get(jobName) ?? SCHEDULER_DEFAULTS.attempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs ?? SCHEDULER_DEFAULTS.backoff },
          removeOnComplete: SCHEDULER_DEFAULTS.keepCompleted,
          removeOnFail: SCHEDULER_DEFAULTS.keepFailed,
        },
      });
      queue.on('error', (error) => this.options.log.debug({ err: error }, 'queue error'));
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  private allQueues(): Queue[] {
    for (const jobName of this.options.queues.keys()) this.queueFor(jobName);
    return [...this.queues.values()];
  }

  private bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, SCHEDULER_DEFAULTS.commandTimeout, `Redis (${what})`);
  }

  async ready(timeoutMs: number = SCHEDULER_DEFAULTS.commandTimeout): Promise<void> {
    const connection = this.producerConnection();
    if (connection.status !== 'ready') {
      await withTimeout(once(connection, 'ready'), timeoutMs, 'Redis (connect)');
    }
    await withTimeout(connection.ping(), timeoutMs, 'Redis (ping)');
  }

  async upsertSchedule(id: string, spec: ScheduleSpec, job: { name: string; data: unknown }): Promise<void> {
    await this.ready();
    await this.bounded(
      this.queueFor(job.name).upsertJobScheduler(id, { pattern: spec.pattern, tz: spec.tz }, job),
      'upsert schedule',
    );
  }

  async removeSchedule(id: string): Promise<void> {
    await this.ready();
    await this.bounded(
      Promise.all(this.allQueues().map((queue) => queue.removeJobScheduler(id))),
      'remove schedule',
    );
  }

  async hasSchedule(id: string): Promise<boolean> {
    await this.ready();
    const found = await this.bounded(
      Promise.all(this.allQueues().map((queue) => queue.getJobScheduler(id))),
      'find schedule',
    );
    return found.some(Boolean);
  }

  async listSchedules() {
    const lists = await this.bounded(
      Promise.all(this.allQueues().map((queue) => queue.getJobSchedulers(0, -1, true))),
      'list schedules',
    );
    return lists.flat().map((item) => ({
      id: item.key,
      pattern: item.pattern ?? undefined,
      tz: item.tz ?? undefined,
      next: item.next ?? undefined,
    }));
  }

  async enqueue(job: JobRequest): Promise<void> {
    await this.ready();
    await this.bounded(
      this.queueFor(job.name).add(job.name, job.data, {
        ...(job.jobId ? { jobId: job.jobId } : {}),
        ...(job.delayMs && job.delayMs > 0 ? { delay: Math.round(job.delayMs) } : {}),
      }),
      `enqueue ${job.name}`,
    );
  }

  async startWorkers(runner: JobRunner): Promise<void> {
    const queueNames = new Set(this.options.queues.values());
    for (const queueName of queueNames) {
      const worker = new Worker(
        queueName,
        async (job: Job) => {
          try {
            await runner(job.name, job.data, { id: job.id, name: job.name, attemptsMade: job.attemptsMade });
          } catch (error) {
            if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
            throw error;
          }
        },
        {
          connection: this.connection(true) as unknown as ConnectionOptions,
          prefix: this.options.prefix,
          concurrency: SCHEDULER_DEFAULTS.concurrency,
          lockDuration: SCHEDULER_DEFAULTS.lockDuration,
          stalledInterval: SCHEDULER_DEFAULTS.stalledInterval,
          maxStalledCount: SCHEDULER_DEFAULTS.maxStalledCount,
          ...(this.options.limiter ? { limiter: this.options.limiter } : {}),
        },
      );
      worker.on('error', (error) => this.options.log.warn({ err: error, queue: queueName }, 'worker error'));
      worker.on('failed', (job, error) =>
        this.options.log.warn({ err: error, job: job?.name, jobId: job?.id }, 'job failed'),
      );
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  async counts(): Promise<Array<{ queue: string; state: string; count: number }>> {
    const rows: Array<{ queue: string; state: string; count: number }> = [];
    for (const queue of this.allQueues()) {
      const counts = await this.bounded(
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
        'job counts',
      );
      for (const [state, count] of Object.entries(counts)) rows.push({ queue: queue.name, state, count });
    }
    return rows;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    for (const connection of this.connections) connection.disconnect();
  }
}
