import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, workspaceDepartures } from '../../src/db/schema/index.ts';
import { eventually, startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import { FAKE_IDS, type FakeDiscord, startFakeDiscord } from '../helpers/fake-discord.ts';

/** A server that removes the bot stops its schedules and keeps its data; adding the bot back restores them. */
describe('Discord: the bot removed from a server, then added back', () => {
  let discord: FakeDiscord;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-23T08:00:00Z'));

  beforeAll(async () => {
    discord = await startFakeDiscord();
    test = await startTestBot({
      discordApiUrl: discord.apiUrl,
      discordApplicationId: discord.applicationId,
      clock,
    });
    await discord.waitForReady();
  });

  afterAll(async () => {
    await test?.stop();
    await discord?.close();
  });

  const channel = async () => {
    const [row] = await test.db
      .select()
      .from(channels)
      .where(and(eq(channels.workspaceId, FAKE_IDS.guild), eq(channels.channelId, FAKE_IDS.general)));
    return row;
  };

  it('stops the schedules on removal, keeps the data, and restores both when added back', async () => {
    discord.sendInteraction({
      group: 'daily',
      subcommand: 'schedule',
      options: { time: '09:00', timezone: 'UTC' },
      manageGuild: true,
    });
    const row = await eventually(channel);
    const scheduled = `daily-post-${row.id}`;
    await eventually(() => test.bot.scheduler.hasSchedule(scheduled));

    discord.removeFromGuild(FAKE_IDS.guild);
    await eventually(async () => !(await test.bot.scheduler.hasSchedule(scheduled)));
    const [departure] = await test.db.select().from(workspaceDepartures);
    expect(departure).toMatchObject({ platform: 'discord', workspaceId: FAKE_IDS.guild });
    expect(departure?.purgeAfter.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
    expect((await channel())?.dailyTime).toBe('09:00');

    discord.addToGuild(FAKE_IDS.guild);
    await eventually(() => test.bot.scheduler.hasSchedule(scheduled));
    expect(await test.db.select().from(workspaceDepartures)).toHaveLength(0);
  });
});
