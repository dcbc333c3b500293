import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prompts } from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { TestClock } from '../helpers/clock.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** The sweep posts a daily prompt whose job never ran (lost with Redis, or out of retries), once. */
describe('catching up missed daily posts', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-23T08:00:00Z'));
  const admin = (channelId: string) => ({
    platform: 'slack' as const,
    workspaceId: 'T0CATCH001',
    userId: 'U0CATCHADM',
    displayName: 'Ops',
    isPlatformAdmin: true,
    channelId,
  });

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url, workers: false, clock });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('posts once after the grace period, and leaves a schedule set after today’s time for tomorrow', async () => {
    const early = admin('C0CATCH001');
    await test.bot.services.daily.setSchedule(early, early, {
      time: '09:00',
      timezone: 'UTC',
      days: 'daily',
    });
    clock.set(new Date('2026-11-23T09:01:00Z'));
    expect(await test.bot.services.daily.catchUpPosts()).toBe(0);
    clock.set(new Date('2026-11-23T09:05:00Z'));
    expect(await test.bot.services.daily.catchUpPosts()).toBe(1);
    expect(await test.bot.services.daily.catchUpPosts()).toBe(0);
    const late = admin('C0CATCH002');
    clock.set(new Date('2026-11-23T10:00:00Z'));
    await test.bot.services.daily.setSchedule(late, late, { time: '09:00', timezone: 'UTC', days: 'daily' });
    clock.set(new Date('2026-11-23T10:05:00Z'));
    expect(await test.bot.services.daily.catchUpPosts()).toBe(0);
    expect(await test.db.select().from(prompts)).toHaveLength(1);
    expect(
      slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0CATCH001'),
    ).toHaveLength(1);
  });
});
