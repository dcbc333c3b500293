import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendPointEvents } from '../../src/db/queries/points.ts';
import { answers, channels, members, prompts } from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** The weekly digest: top 5, most improved, streaks, mocks, the weakest step with a card; once a week. */
describe('weekly digest', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-29T17:00:00Z')); // Sunday 18:00 in Berlin

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url, workers: false, clock });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('posts the week in review to the channel once, whatever the number of runs', async () => {
    const [channel] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0DIGEST01',
        timeZone: 'Europe/Berlin',
        dailyEnabled: true,
      })
      .returning();
    const channelId = channel?.id ?? 0;
    const [ana] = await test.db
      .insert(members)
      .values({ platform: 'slack', workspaceId: slack.teamId, userId: 'U0DANA0001', displayName: 'Ana' })
      .returning();
    const [prompt] = await test.db
      .insert(prompts)
      .values({
        channelId,
        caseId: 'fraud-detection',
        localDate: '2026-11-27',
        messageId: 'x',
        threadId: 'x',
        closesAt: new Date('2026-11-28T08:00:00Z'),
      })
      .returning();
    await test.db.insert(answers).values({
      promptId: prompt?.id ?? 0,
      memberId: ana?.id ?? 0,
      messageId: 'm1',
      source: 'thread',
      text: 'answer',
      score: 60,
      coverage: {
        clarify: 0.8,
        frame: 0.9,
        data: 0.7,
        features: 0.6,
        model: 0.9,
        serving: 0.5,
        monitoring: 0.1,
      },
      matches: {},
      wordCount: 50,
      sentAt: new Date('2026-11-27T09:00:00Z'),
      updatedAt: new Date('2026-11-27T09:00:00Z'),
    });
    await appendPointEvents(test.db, [
      {
        memberId: ana?.id ?? 0,
        channelId,
        kind: 'daily-answer',
        ref: 'd1',
        points: 22,
        reason: 'test',
        createdAt: new Date('2026-11-27T09:00:00Z'),
      },
    ]);

    // Last week Ana had 5 points: this week's 22 are a gain of 17.
    await appendPointEvents(test.db, [
      {
        memberId: ana?.id ?? 0,
        channelId,
        kind: 'daily-answer',
        ref: 'd0',
        points: 5,
        reason: 'test',
        createdAt: new Date('2026-11-18T09:00:00Z'),
      },
    ]);
    const digest = await test.bot.services.digest.weeklyDigest(channelId);
    expect(digest).toBeDefined();
    expect(await test.bot.services.digest.weeklyDigest(channelId)).toBeUndefined();
    const posts = slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0DIGEST01');
    expect(posts).toHaveLength(1);
    const body = JSON.stringify(posts[0]?.body.blocks);
    expect(body).toContain('Week in review (2026-W48)');
    expect(body).toContain('<@U0DANA0001>: 22 pts');
    expect(body).toMatch(/Most improved[\s\S]*<@U0DANA0001>: \+17 pts on last week/);
    expect(body).toMatch(
      /weakest step[\s\S]*Monitoring and maintenance \(10% average coverage\)[\s\S]*\/mlsd card/,
    );
  });

  it('keeps a digest scheduler in the channel’s time zone for each active channel', async () => {
    await test.bot.services.digest.reconcileDigests();
    const schedules = await test.bot.scheduler.listSchedules();
    expect(schedules.find((item) => item.id.startsWith('weekly-digest-'))).toMatchObject({
      pattern: '0 18 * * 0',
      tz: 'Europe/Berlin',
    });
  });
});
