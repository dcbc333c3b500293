import { isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, prompts } from '../../src/db/schema/index.ts';
import { eventually, startTestBot, type TestBot } from '../helpers/bot.ts';
import { defaultGuild, type FakeDiscord, startFakeDiscord } from '../helpers/fake-discord.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

const DISCORD_CHANNELS = 30;
const channelId = (index: number) => `12000000000000${String(index).padStart(5, '0')}`;

/**
 * Fan-out through BullMQ against fakes that enforce the published limits (Discord's 50 requests a second,
 * Slack's one post a second per channel): the bot paces itself, so every post goes out once and no 429 comes.
 */
describe('fan-out within the platforms’ rate limits', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscord;
  let test: TestBot;

  beforeAll(async () => {
    const guild = defaultGuild();
    guild.channels = Array.from({ length: DISCORD_CHANNELS }, (_, index) => ({
      id: channelId(index),
      name: `cohort-${index}`,
    }));
    [slack, discord] = await Promise.all([
      startFakeSlackApi({ limits: { scale: 1 } }),
      startFakeDiscord({ guilds: [guild], limits: { scale: 1 } }),
    ]);
    test = await startTestBot({
      slackApiUrl: slack.url,
      discordApiUrl: discord.apiUrl,
      discordApplicationId: discord.applicationId,
    });
    await discord.waitForReady();
  });

  afterAll(async () => {
    await test?.stop();
    await Promise.all([slack?.close(), discord?.close()]);
  });

  it('posts to 30 Discord channels, one job each, two requests a post, without drawing a 429', async () => {
    const rows = await test.db
      .insert(channels)
      .values(
        Array.from({ length: DISCORD_CHANNELS }, (_, index) => ({
          platform: 'discord',
          workspaceId: guildId(),
          channelId: channelId(index),
        })),
      )
      .returning();
    for (const row of rows)
      await test.bot.scheduler.enqueue({ name: 'daily-post', data: { channelId: row.id } });
    await eventually(
      async () =>
        (await test.db.select().from(prompts).where(isNotNull(prompts.messageId))).length ===
        DISCORD_CHANNELS,
      30_000,
    );
    const posts = discord.requests.filter(
      (request) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path),
    );
    expect(posts.filter((request) => request.status === 200)).toHaveLength(DISCORD_CHANNELS);
    expect(discord.requests.filter((request) => request.status === 429)).toEqual([]);
  });

  it('paces a reveal’s messages in one Slack thread to one a second, drawing no 429', async () => {
    const [row] = await test.db
      .insert(channels)
      .values({ platform: 'slack', workspaceId: slack.teamId, channelId: 'C0FANOUT01' })
      .returning();
    const { prompt } = await test.bot.services.daily.postDaily(row?.id ?? 0);
    await test.db.update(prompts).set({ closesAt: new Date(test.clock.now().getTime() - 1_000) });
    const started = Date.now();
    expect(await test.bot.services.daily.closeDaily(prompt.id)).toBe(true);
    const inThread = slack
      .callsTo('chat.postMessage')
      .filter((call) => call.body.thread_ts === prompt.threadId);
    expect(inThread.length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual((inThread.length - 1) * 900);
    expect(slack.rateLimited).toEqual([]);
  });

  const guildId = () => defaultGuild().id;
});
