import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { BullMqScheduler } from '../../src/scheduler/bullmq.ts';
import { InProcessScheduler, VirtualClock } from '../../src/scheduler/in-process.ts';
import type { JobMeta, Scheduler } from '../../src/scheduler/port.ts';
import { clearQueuePrefix, eventually, REDIS_URL } from '../helpers/bot.ts';

type Run = { name: string; data: unknown; meta: JobMeta; at: number };

/** One contract, two adapters: what the services rely on must hold for BullMQ and for the playground. */
type Harness = {
  scheduler: Scheduler;
  runs: Run[];
  /** Lets `ms` pass: real time for BullMQ, the virtual clock for the in-process adapter. */
  pass(ms: number): Promise<void>;
  now(): number;
  /** Long enough for one retry's backoff. */
  retryWait: number;
  failFirst: Set<string>;
  close(): Promise<void>;
};

const log = createLogger('silent', { pretty: false });

async function start(
  make: (runs: Run[], failFirst: Set<string>) => Promise<Omit<Harness, 'runs' | 'failFirst'>>,
): Promise<Harness> {
  const runs: Run[] = [];
  const failFirst = new Set<string>();
  const parts = await make(runs, failFirst);
  return { ...parts, runs, failFirst };
}

function runner(runs: Run[], failFirst: Set<string>, now: () => number) {
  return async (name: string, data: unknown, meta: JobMeta) => {
    runs.push({ name, data, meta, at: now() });
    if (failFirst.has(name) && meta.attemptsMade === 0) throw new Error('flaky once');
  };
}

const adapters = {
  bullmq: () =>
    start(async (runs, failFirst) => {
      const prefix = `mlsd-contract-${randomBytes(4).toString('hex')}`;
      const names = ['tick', 'later', 'flaky'];
      const scheduler = new BullMqScheduler({
        redisUrl: REDIS_URL,
        prefix,
        queues: new Map(names.map((name) => [name, 'contract'])),
        backoffMs: 100,
        log,
      });
      await scheduler.startWorkers(runner(runs, failFirst, Date.now));
      return {
        scheduler,
        pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: Date.now,
        retryWait: 500,
        close: async () => {
          await scheduler.close();
          await clearQueuePrefix(prefix);
        },
      };
    }),
  'in-process': () =>
    start(async (runs, failFirst) => {
      const clock = new VirtualClock(new Date('2026-03-28T12:00:00Z'));
      const scheduler = new InProcessScheduler(clock, log);
      await scheduler.startWorkers(runner(runs, failFirst, () => clock.now().getTime()));
      return {
        scheduler,
        pass: (ms) => scheduler.advanceTo(new Date(clock.now().getTime() + ms)),
        now: () => clock.now().getTime(),
        retryWait: 6_000,
        close: () => scheduler.close(),
      };
    }),
} as const;

describe.each(Object.entries(adapters))('Scheduler contract: %s', (_, make) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('runs a delayed job after its delay, not before', async () => {
    harness = await make();
    const queued = harness.now();
    await harness.scheduler.enqueue({ name: 'later', data: { n: 1 }, delayMs: 600 });
    await harness.pass(200);
    expect(harness.runs).toHaveLength(0);
    await harness.pass(1_500);
    await eventually(() => harness?.runs.length === 1);
    expect(harness.runs[0]?.data).toEqual({ n: 1 });
    expect((harness.runs[0]?.at ?? 0) - queued).toBeGreaterThanOrEqual(550);
  });

  it('treats a second enqueue with the same job id as the same job', async () => {
    harness = await make();
    await harness.scheduler.enqueue({ name: 'later', data: { n: 1 }, jobId: 'same-1', delayMs: 100 });
    await harness.scheduler.enqueue({ name: 'later', data: { n: 2 }, jobId: 'same-1', delayMs: 100 });
    await harness.pass(1_000);
    await eventually(() => (harness?.runs.length ?? 0) >= 1);
    await harness.pass(300);
    expect(harness.runs.map((run) => run.data)).toEqual([{ n: 1 }]);
  });

  it('lists, replaces and removes a recurring schedule with its time zone', async () => {
    harness = await make();
    await harness.scheduler.upsertSchedule(
      'daily-x',
      { pattern: '0 9 * * *', tz: 'Europe/Berlin' },
      { name: 'tick', data: {} },
    );
    await harness.scheduler.upsertSchedule(
      'daily-x',
      { pattern: '30 7 * * 1-5', tz: 'America/New_York' },
      { name: 'tick', data: {} },
    );
    const listed = await harness.scheduler.listSchedules();
    expect(listed.filter((item) => item.id === 'daily-x')).toEqual([
      expect.objectContaining({ id: 'daily-x', pattern: '30 7 * * 1-5', tz: 'America/New_York' }),
    ]);
    expect(await harness.scheduler.hasSchedule('daily-x')).toBe(true);
    await harness.scheduler.removeSchedule('daily-x');
    expect((await harness.scheduler.listSchedules()).filter((item) => item.id === 'daily-x')).toEqual([]);
    expect(await harness.scheduler.hasSchedule('daily-x')).toBe(false);
  });

  it('fires a recurring schedule repeatedly', async () => {
    harness = await make();
    await harness.scheduler.upsertSchedule(
      'every-second',
      { pattern: '* * * * * *', tz: 'UTC' },
      { name: 'tick', data: { k: 1 } },
    );
    await harness.pass(3_200);
    await eventually(() => (harness?.runs.filter((run) => run.name === 'tick').length ?? 0) >= 2, 6_000);
    await harness.scheduler.removeSchedule('every-second');
  });

  it('retries a job that throws', async () => {
    harness = await make();
    harness.failFirst.add('flaky');
    await harness.scheduler.enqueue({ name: 'flaky', data: {} });
    await harness.pass(harness.retryWait);
    await eventually(() => (harness?.runs.filter((run) => run.name === 'flaky').length ?? 0) >= 2, 6_000);
    expect(harness.runs.filter((run) => run.name === 'flaky').map((run) => run.meta.attemptsMade)).toEqual([
      0, 1,
    ]);
  });
});

describe('InProcessScheduler and daylight saving time', () => {
  it('fires a 09:00 Europe/Berlin schedule at 08:00 UTC before the spring change and 07:00 UTC after', async () => {
    const clock = new VirtualClock(new Date('2026-03-27T12:00:00Z'));
    const scheduler = new InProcessScheduler(clock, log);
    const fired: string[] = [];
    await scheduler.startWorkers(async () => {
      fired.push(clock.now().toISOString());
    });
    await scheduler.upsertSchedule(
      'berlin',
      { pattern: '0 9 * * *', tz: 'Europe/Berlin' },
      { name: 'tick', data: {} },
    );
    await scheduler.advanceTo(new Date('2026-03-30T12:00:00Z'));
    expect(fired).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });
});
