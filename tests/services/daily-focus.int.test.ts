import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, prompts } from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** A channel in focus mode drills one framework step of one case, graded on that step alone. */
describe('focus days', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  let channelId = 0;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url, workers: false });
    const [row] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0FOCUS001',
        dailyMode: 'focus',
        tags: ['anomaly'],
      })
      .returning();
    channelId = row?.id ?? 0;
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('posts the step’s focus prompt, grades that step only, and closes out with that step’s outline', async () => {
    const { prompt } = await test.bot.services.daily.postDaily(channelId);
    expect(prompt.focusStep).not.toBeNull();
    const study = test.bot.library.cases.get(prompt.caseId);
    const step = prompt.focusStep as 'data';
    const post = await slack.waitForCall('chat.postMessage', (call) => call.body.channel === 'C0FOCUS001');
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain("Today's focus");
    expect(blocks).toContain(JSON.stringify(study?.steps[step].focus.trim()).slice(1, 40));

    const outcome = await test.bot.services.answers.answerInThread(
      {
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0FOCUS001',
        threadId: prompt.threadId ?? '',
      },
      {
        actor: {
          platform: 'slack',
          workspaceId: slack.teamId,
          userId: 'U0FOCUS001',
          displayName: 'Fay',
          isPlatformAdmin: false,
        },
        messageId: '1795500000.000100',
        text: study?.steps[step].outline ?? '',
        sentAt: test.clock.now(),
        source: 'thread',
      },
    );
    expect(outcome.kind).toBe('graded');
    expect('feedback' in outcome && JSON.stringify(outcome.feedback)).toContain("Coverage of today's focus");
    expect('score' in outcome && outcome.score).toBeGreaterThan(80);

    await test.db
      .update(prompts)
      .set({ closesAt: new Date(test.clock.now().getTime() - 1_000) })
      .where(eq(prompts.id, prompt.id));
    expect(await test.bot.services.daily.closeDaily(prompt.id)).toBe(true);
    const outline = slack.callsTo('chat.postMessage').at(-1);
    const sections = JSON.stringify(outline?.body.blocks);
    expect(sections).toContain('Reference outline');
    expect((sections.match(/\*\d\. /g) ?? []).length).toBe(1);
  });
});
