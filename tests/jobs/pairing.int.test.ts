import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, members, pairings, pairMembers, pairRounds } from '../../src/db/schema/index.ts';
import { pairRoundScheduleId } from '../../src/services/pairing/index.ts';
import { eventually, startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** The pairing round through a real BullMQ job scheduler firing every second: still one round. */
describe('pair-round job on BullMQ', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  let channelId = 0;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url });
    const [channel] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0PJOB0001',
        pairEnabled: true,
        pairDay: 3,
        pairTime: '08:00',
        pairTimeZone: 'Asia/Tokyo',
      })
      .returning();
    channelId = channel?.id ?? 0;
    for (const userId of ['U0PJA00001', 'U0PJB00001']) {
      const [member] = await test.db
        .insert(members)
        .values({ platform: 'slack', workspaceId: slack.teamId, userId, displayName: userId })
        .returning();
      await test.db.insert(pairMembers).values({ channelId, memberId: member?.id ?? 0 });
    }
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('creates one round and notifies each group once while the job fires repeatedly', async () => {
    await test.bot.scheduler.upsertSchedule(
      pairRoundScheduleId(channelId),
      { pattern: '* * * * * *', tz: 'Asia/Tokyo' },
      { name: 'pair-round', data: { channelId } },
    );
    await eventually(async () => (await test.db.select().from(pairings)).length > 0, 8_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await test.bot.scheduler.removeSchedule(pairRoundScheduleId(channelId));
    expect(await test.db.select().from(pairRounds)).toHaveLength(1);
    expect(await test.db.select().from(pairings)).toHaveLength(1);
    expect(slack.callsTo('conversations.open')).toHaveLength(1);
  });

  it('mirrors a channel’s round and notice schedules into BullMQ on reconcile', async () => {
    await test.bot.services.pairing.reconcilePairing();
    const schedules = await test.bot.scheduler.listSchedules();
    expect(schedules.find((item) => item.id === `pair-round-${channelId}`)).toMatchObject({
      pattern: '0 8 * * 3',
      tz: 'Asia/Tokyo',
    });
    expect(schedules.find((item) => item.id === `pair-notice-${channelId}`)).toMatchObject({
      pattern: '0 8 * * 2',
      tz: 'Asia/Tokyo',
    });
  });
});
