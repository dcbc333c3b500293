import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, prompts } from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** A 429 from Slack delays a post; it is neither lost nor sent twice, and the wait is counted. */
describe('platform rate limits', () => {
  let slack: FakeSlackApi;
  let test: TestBot;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url, workers: false });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('waits out Retry-After and posts the daily once', async () => {
    const [channel] = await test.db
      .insert(channels)
      .values({ platform: 'slack', workspaceId: slack.teamId, channelId: 'C0LIMIT001' })
      .returning();
    slack.rateLimit('chat.postMessage', 1, 1);
    const started = Date.now();
    const outcome = await test.bot.services.daily.postDaily(channel?.id ?? 0);
    expect(outcome.posted).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.rateLimited.map((item) => item.method)).toEqual(['chat.postMessage']);
    expect(
      slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0LIMIT001'),
    ).toHaveLength(1);
    expect(await test.db.select().from(prompts)).toHaveLength(1);
    // A second run of the job (the queue retrying, say) finds the post and sends nothing more.
    expect((await test.bot.services.daily.postDaily(channel?.id ?? 0)).posted).toBe(false);
    expect(
      slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0LIMIT001'),
    ).toHaveLength(1);
    const metrics = await test.bot.metrics.registry.getSingleMetricAsString(
      'mlsd_platform_rate_limited_total',
    );
    expect(metrics).toMatch(/mlsd_platform_rate_limited_total\{platform="slack"\} 1/);
  });
});
