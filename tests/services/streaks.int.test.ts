import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streakBoardMessage } from '../../content/board-messages.ts';
import { statsMessage } from '../../content/stats-messages.ts';
import type { Actor } from '../../src/core/types.ts';
import { channels, members, pointEvents, prompts } from '../../src/db/schema/index.ts';
import { streakOf } from '../../src/services/streaks.ts';
import { startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';

const ANSWER = `Clarify the goal and scale first, then frame it as ranking with a logged label. Data comes from
impression and click logs with delayed labels; features cover the user, the item and their context. Train
a gradient boosted model, evaluate offline with AUC and online with an A/B test, serve behind a feature
store with a latency budget, and monitor drift and calibration with alerts and retraining.`;

/**
 * Streaks on real answers: each member's own local day, the day-start hour, weekday-only channels, the
 * weekly freeze, and a streak bonus once per local day.
 */
describe('streaks on local days', () => {
  const clock = new TestClock(new Date('2026-11-01T00:00:00Z'));
  let test: TestBot;
  const rules = { dayStartHour: 4, defaultZone: 'UTC' };

  beforeAll(async () => {
    test = await startTestBot({ workers: false, clock, env: { MLSD_DAY_START_HOUR: '4' } });
  });

  afterAll(async () => {
    await test?.stop();
  });

  /** A channel posting at 09:00 local on the given dates, each prompt open 24 hours. */
  async function channelWithPrompts(name: string, zone: string, dates: string[]) {
    const [channel] = await test.db
      .insert(channels)
      .values({ platform: 'slack', workspaceId: 'T1', channelId: name, timeZone: zone })
      .returning();
    const ids = new Map<string, number>();
    for (const date of dates) {
      const postedAt = DateTime.fromISO(`${date}T09:00`, { zone }).toJSDate();
      const [prompt] = await test.db
        .insert(prompts)
        .values({
          channelId: channel?.id ?? 0,
          caseId: 'fraud-detection',
          localDate: date,
          messageId: `m-${name}-${date}`,
          threadId: `t-${name}-${date}`,
          postedAt,
          closesAt: new Date(postedAt.getTime() + 24 * 3_600_000),
        })
        .returning();
      ids.set(date, prompt?.id ?? 0);
    }
    return ids;
  }

  const actor = (userId: string, timeZone?: string): Actor => ({
    platform: 'slack',
    workspaceId: 'T1',
    userId,
    displayName: userId,
    isPlatformAdmin: false,
    timeZone,
  });

  async function answerAt(who: Actor, promptId: number, iso: string, zone: string, text = ANSWER) {
    const at = DateTime.fromISO(iso, { zone }).toJSDate();
    clock.set(at);
    const outcome = await test.bot.services.answers.answerByForm(promptId, {
      actor: who,
      messageId: `form-${who.userId}-${promptId}`,
      text,
      sentAt: at,
      source: 'form',
    });
    expect(outcome.kind).toBe('graded');
  }

  async function memberId(userId: string) {
    const [row] = await test.db.select().from(members).where(eq(members.userId, userId));
    return row?.id ?? 0;
  }

  const weekdays = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'].concat([
    '2026-11-09',
    '2026-11-10',
    '2026-11-11',
    '2026-11-12',
    '2026-11-13',
  ]);

  it('counts a Tokyo member answering a New York channel each next morning as unbroken, weekends included', async () => {
    const ids = await channelWithPrompts('CNY', 'America/New_York', weekdays);
    const kenji = actor('UKENJI', 'Asia/Tokyo');
    for (const date of weekdays) {
      // Posted at 23:00 in Tokyo; answered at 08:00 the next Tokyo morning, before it closes.
      const next = DateTime.fromISO(date).plus({ days: 1 }).toISODate();
      await answerAt(kenji, ids.get(date) ?? 0, `${next}T08:00`, 'Asia/Tokyo');
    }
    const streak = await streakOf(test.db, await memberId('UKENJI'), clock.now(), rules);
    expect(streak).toMatchObject({ current: 10, best: 10, freezesUsed: 0 });
    const bonuses = await test.db
      .select()
      .from(pointEvents)
      .where(and(eq(pointEvents.memberId, await memberId('UKENJI')), eq(pointEvents.kind, 'streak-bonus')));
    expect(bonuses).toHaveLength(9);
    expect(bonuses.at(-1)?.reason).toBe('10-day streak (2026-11-14)');
  });

  it('counts a 00:30 answer for the evening before when days start at 04:00, and one bonus a day', async () => {
    const dates = ['2026-11-16', '2026-11-17'];
    const ids = await channelWithPrompts('CBER', 'Europe/Berlin', dates);
    const lena = actor('ULENA'); // no time zone of her own: the channel's
    await answerAt(lena, ids.get('2026-11-16') ?? 0, '2026-11-17T00:30', 'Europe/Berlin');
    await answerAt(lena, ids.get('2026-11-17') ?? 0, '2026-11-17T20:00', 'Europe/Berlin');
    const id = await memberId('ULENA');
    expect(await streakOf(test.db, id, clock.now(), rules)).toMatchObject({
      current: 2,
      today: '2026-11-17',
    });
    // With days starting at midnight both answers fall on the 17th: one day, and nothing was missed.
    expect(await streakOf(test.db, id, clock.now(), { ...rules, dayStartHour: 0 })).toMatchObject({
      current: 1,
    });
    const bonuses = await test.db
      .select()
      .from(pointEvents)
      .where(and(eq(pointEvents.memberId, id), eq(pointEvents.kind, 'streak-bonus')));
    expect(bonuses.map((row) => row.points)).toEqual([2]);
  });

  it('gives no bonus for a day on which an answer counted yesterday is only edited', async () => {
    const ids = await channelWithPrompts('CMIA', 'Europe/Berlin', ['2026-11-23', '2026-11-24']);
    const mia = actor('UMIA');
    await answerAt(mia, ids.get('2026-11-23') ?? 0, '2026-11-23T20:00', 'Europe/Berlin');
    await answerAt(mia, ids.get('2026-11-24') ?? 0, '2026-11-24T10:00', 'Europe/Berlin');
    // Wednesday morning, before Tuesday's prompt closes: a better version of Tuesday's answer.
    await answerAt(
      mia,
      ids.get('2026-11-24') ?? 0,
      '2026-11-25T08:30',
      'Europe/Berlin',
      `${ANSWER} Also shadow-test the new model first.`,
    );
    const bonuses = await test.db
      .select()
      .from(pointEvents)
      .where(and(eq(pointEvents.memberId, await memberId('UMIA')), eq(pointEvents.kind, 'streak-bonus')));
    expect(bonuses.map((row) => row.reason)).toEqual(['2-day streak (2026-11-24)']);
  });

  it('keeps a daily streak whole across the start of summer time, with days starting at 04:00', async () => {
    // Berlin springs forward at 02:00 on Sunday 29 March 2026; Noor answers at 04:30 local every day, which
    // that Sunday is only three and a half hours after midnight: days are cut by the wall clock, not by hours.
    const dates = ['2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31'];
    const ids = await channelWithPrompts('CDST', 'Europe/Berlin', dates);
    const noor = actor('UNOOR', 'Europe/Berlin');
    for (const date of dates) {
      const next = DateTime.fromISO(date).plus({ days: 1 }).toISODate();
      // 04:30 the next morning is still inside the 24-hour window of the 09:00 post.
      await answerAt(noor, ids.get(date) ?? 0, `${next}T04:30`, 'Europe/Berlin');
    }
    expect(await streakOf(test.db, await memberId('UNOOR'), clock.now(), rules)).toMatchObject({
      current: 6,
      freezesUsed: 0,
      today: '2026-04-01',
    });
  });

  it('uses one freeze a week for a missed prompt, and breaks on the second miss', async () => {
    const ids = await channelWithPrompts('CLON', 'Europe/London', weekdays);
    const omar = actor('UOMAR');
    const zone = 'Europe/London';
    for (const date of ['2026-11-02', '2026-11-04', '2026-11-05']) {
      await answerAt(omar, ids.get(date) ?? 0, `${date}T12:00`, zone);
    }
    const id = await memberId('UOMAR');
    // Tuesday's prompt went unanswered: this week's freeze covers it.
    expect(await streakOf(test.db, id, clock.now(), rules)).toMatchObject({
      current: 3,
      freezesUsed: 1,
      freezeLeft: false,
    });
    // Friday's prompt closes unanswered too: the second miss of the week breaks the streak.
    clock.set(new Date('2026-11-09T12:00:00Z'));
    await answerAt(omar, ids.get('2026-11-09') ?? 0, '2026-11-09T12:00', zone);
    expect(await streakOf(test.db, id, clock.now(), rules)).toMatchObject({
      current: 1,
      best: 3,
      freezeLeft: true,
    });
  });

  it('shows the streak and this week’s freeze in /mlsd stats', async () => {
    const stats = statsMessage(
      await test.bot.services.stats.memberStats(
        { platform: 'slack', workspaceId: 'T1', channelId: 'CLON' },
        actor('UOMAR'),
      ),
    );
    expect(stats.fields?.find((field) => field.name === 'Streak')?.value).toBe(
      '1 day (best 3), freeze left this week',
    );
  });

  it('ranks the channel’s longest current streaks, leaving hidden members off', async () => {
    const [ny] = await test.db.select().from(channels).where(eq(channels.channelId, 'CNY'));
    const nyPrompts = await test.db
      .select()
      .from(prompts)
      .where(eq(prompts.channelId, ny?.id ?? 0));
    const promptOn = (date: string) => nyPrompts.find((row) => row.localDate === date)?.id ?? 0;
    const zone = 'America/New_York';
    for (const date of ['2026-11-12', '2026-11-13'])
      await answerAt(actor('UZOE'), promptOn(date), `${date}T12:00`, zone);
    await answerAt(actor('UHID'), promptOn('2026-11-13'), '2026-11-13T12:00', zone);
    await test.db.update(members).set({ hiddenFromBoards: true }).where(eq(members.userId, 'UHID'));
    clock.set(new Date('2026-11-14T15:00:00Z'));
    const board = streakBoardMessage(
      await test.bot.services.leaderboard.streakLeaderboard(
        { platform: 'slack', workspaceId: 'T1', channelId: 'CNY' },
        actor('UZOE'),
      ),
    );
    expect(board.text).toMatch(
      /^Longest current streaks:\n1\. <@UKENJI>: 🔥 10 days \(best 10\)\n2\. <@UZOE>: 🔥 2 days/,
    );
    expect(board.text).not.toContain('UHID');
    expect(board.text).toMatch(/Your streak: 2 days \(best 2\)/);
  });
});
