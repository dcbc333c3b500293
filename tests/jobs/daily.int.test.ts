import { Queue } from 'bullmq';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, prompts } from '../../src/db/schema/index.ts';
import { dailyScheduleId } from '../../src/services/daily/index.ts';
import { eventually, REDIS_URL, startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** The daily post and close-out through real BullMQ job schedulers and delayed jobs on the local Redis. */
describe('daily jobs on BullMQ and Postgres', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  let channelId = 0;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url });
    const [row] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0JOBS0001',
        timeZone: 'Asia/Kolkata',
        deadlineHours: 1,
      })
      .returning();
    channelId = row?.id ?? 0;
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('posts from a job scheduler firing every second, once per channel and local date', async () => {
    // A seconds-level pattern makes the scheduler fire several times; the prompt must be posted once.
    await test.bot.scheduler.upsertSchedule(
      dailyScheduleId(channelId),
      { pattern: '* * * * * *', tz: 'Asia/Kolkata' },
      { name: 'daily-post', data: { channelId } },
    );
    await slack.waitForCall('chat.postMessage', (call) => call.body.channel === 'C0JOBS0001', 8_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await test.bot.scheduler.removeSchedule(dailyScheduleId(channelId));
    expect(
      slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0JOBS0001'),
    ).toHaveLength(1);
    const [{ n } = { n: 0 }] = await test.db
      .select({ n: count() })
      .from(prompts)
      .where(eq(prompts.channelId, channelId));
    expect(n).toBe(1);
  });

  it('arms a delayed close-out job whose id makes a second arm a no-op', async () => {
    const [prompt] = await test.db.select().from(prompts).where(eq(prompts.channelId, channelId));
    // Bring the deadline forward and re-arm: the job already exists with its id, so it is not duplicated.
    await test.db
      .update(prompts)
      .set({ closesAt: new Date(test.clock.now().getTime() - 1_000) })
      .where(eq(prompts.id, prompt?.id ?? 0));
    await test.bot.scheduler.enqueue({
      name: 'daily-close',
      data: { promptId: prompt?.id },
      jobId: `daily-close-now-${prompt?.id}`,
    });
    await test.bot.scheduler.enqueue({
      name: 'daily-close',
      data: { promptId: prompt?.id },
      jobId: `daily-close-now-${prompt?.id}`,
    });
    await eventually(async () => {
      const [row] = await test.db
        .select()
        .from(prompts)
        .where(eq(prompts.id, prompt?.id ?? 0));
      return row?.closedAt ?? undefined;
    }, 8_000);
    const closeOuts = slack
      .callsTo('chat.postMessage')
      .filter((call) => call.body.thread_ts === prompt?.threadId);
    expect(closeOuts).toHaveLength(2);
  });

  it('rebuilds the schedulers from Postgres on reconcile, removing stale ones', async () => {
    await test.db
      .update(channels)
      .set({ dailyEnabled: true, dailyTime: '06:45', dailyDays: 'mon,wed,fri' })
      .where(eq(channels.id, channelId));
    await test.bot.scheduler.upsertSchedule(
      'daily-post-999999',
      { pattern: '0 9 * * *', tz: 'UTC' },
      { name: 'daily-post', data: { channelId: 999_999 } },
    );
    const result = await test.bot.services.daily.reconcileDaily();
    expect(result.removed).toBe(1);
    const schedules = await test.bot.scheduler.listSchedules();
    const daily = schedules.find((item) => item.id === dailyScheduleId(channelId));
    expect(daily).toMatchObject({ pattern: '45 6 * * 1,3,5', tz: 'Asia/Kolkata' });
    expect(schedules.find((item) => item.id === 'daily-post-999999')).toBeUndefined();
    expect(schedules.find((item) => item.id === 'daily-sweep')).toBeDefined();
  });

  it('refuses a job with a bad payload without retrying it', async () => {
    await test.bot.scheduler.enqueue({
      name: 'daily-post',
      data: { channelId: 'not-a-number' },
      jobId: 'bad-payload-1',
    });
    const queue = new Queue('daily', { connection: { url: REDIS_URL }, prefix: test.prefix });
    try {
      const job = await eventually(async () => {
        const found = await queue.getJob('bad-payload-1');
        return found && (await found.isFailed()) ? found : undefined;
      });
      expect(job.failedReason).toMatch(/bad data for daily-post/);
      expect(job.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
  });
});
