import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, drillItems, members, pointEvents } from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { TestClock } from '../helpers/clock.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** The study journey on the real services and Postgres: plan, drill, misses, the morning DM. */
describe('plan and drill', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-23T09:00:00Z')); // Monday
  const place = (channelId = 'C0STUDY001') => ({
    platform: 'slack' as const,
    workspaceId: 'T0STUDY001',
    channelId,
  });
  const actor = (userId: string, timeZone = 'Europe/Berlin') => ({
    platform: 'slack' as const,
    workspaceId: 'T0STUDY001',
    userId,
    displayName: userId.slice(-3),
    isPlatformAdmin: false,
    timeZone,
  });

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url, workers: false, clock });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  const services = () => test.bot.services;
  const memberId = async (userId: string) =>
    (await test.db.select().from(members).where(eq(members.userId, userId)))[0]?.id ?? 0;

  it('sets a plan scaled to the days left, refusing a date gone by', async () => {
    const { view } = await services().plan.setPlan(place(), actor('U0STUDYAN1'), {
      date: '2026-12-07',
      level: 'mid',
    });
    expect(view).toMatchObject({
      daysLeft: 14,
      day: 1,
      phase: 'learn',
      shape: { fit: 'standard', learn: 3, drill: 7 },
    });
    expect(view.due).toBeGreaterThan(10);
    const short = await services().plan.setPlan(place(), actor('U0STUDYBO1'), { date: '2026-11-28' });
    expect(short.view.shape.fit).toBe('compressed');
    await expect(
      services().plan.setPlan(place(), actor('U0STUDYBO1'), { date: '2026-11-23' }),
    ).rejects.toMatchObject({
      identifier: 'plan-date-past',
    });
  });

  it('drills due items in the plan’s order, each rating once, five points a day at most, and counts the day for streaks', async () => {
    const ana = actor('U0STUDYAN1');
    let view = await services().drill.nextDrill(ana);
    expect(view.item?.key).toBe('step:clarify');
    const first = view.item;
    view = await services().drill.rateDrill(ana, first?.key ?? '', first?.reps ?? 0, 3);
    expect(view.saved?.rating).toBe(3);
    // A double click (the same key and reps again) does not rate twice.
    await expect(
      services().drill.rateDrill(ana, first?.key ?? '', first?.reps ?? 0, 3),
    ).rejects.toMatchObject({
      identifier: 'drill-item-gone',
    });
    for (let index = 0; index < 8 && view.item; index += 1) {
      view = await services().drill.rateDrill(ana, view.item.key, view.item.reps, 3);
    }
    const id = await memberId('U0STUDYAN1');
    const points = await test.db
      .select()
      .from(pointEvents)
      .where(and(eq(pointEvents.memberId, id), eq(pointEvents.kind, 'drill-review')));
    expect(points).toHaveLength(5);
    const stats = await services().stats.memberStats(place(), ana);
    expect(stats.streak.current).toBe(1);
    expect(stats.plan).toMatchObject({ daysLeft: 14, reviewedToday: 9 });
  });

  it('rolls a missed day forward: no new items while the earlier ones are unseen', async () => {
    const bo = actor('U0STUDYBO1');
    const id = await memberId('U0STUDYBO1');
    const before = await test.db.select().from(drillItems).where(eq(drillItems.memberId, id));
    clock.advance(2 * 86_400_000);
    await services().drill.nextDrill(bo);
    const after = await test.db.select().from(drillItems).where(eq(drillItems.memberId, id));
    expect(after.length).toBe(before.length);
    clock.advance(-2 * 86_400_000);
  });

  it('grades a case step written from memory and rates it by coverage', async () => {
    const ana = actor('U0STUDYAN1');
    const id = await memberId('U0STUDYAN1');
    await services().drill.feedMisses(id, { caseId: 'fraud-detection', steps: ['serving'], cards: [] });
    let view = await services().drill.nextDrill(ana);
    for (let guard = 0; view.item && view.item.kind !== 'recall' && guard < 40; guard += 1) {
      view = await services().drill.rateDrill(ana, view.item.key, view.item.reps, 4);
    }
    expect(view.item?.key).toBe('recall:fraud-detection:serving');
    const study = test.bot.library.cases.get('fraud-detection');
    const graded = await services().drill.recallDrill(
      ana,
      view.item?.key ?? '',
      view.item?.reps ?? 0,
      study?.steps.serving.outline ?? '',
    );
    expect(graded.saved?.coverage).toBeGreaterThan(0.6);
    expect(graded.saved?.rating).toBeGreaterThanOrEqual(3);
    expect(graded.saved?.outline).toContain(study?.steps.serving.outline.trim().slice(0, 30));
  });

  it('makes the recall of a daily answer’s weak steps due now', async () => {
    const [channel] = await test.db
      .insert(channels)
      .values({ platform: 'slack', workspaceId: slack.teamId, channelId: 'C0STUDYDLY' })
      .returning();
    const { prompt } = await services().daily.postDaily(channel?.id ?? 0);
    const cy = { ...actor('U0STUDYCY1'), workspaceId: slack.teamId };
    await services().answers.answerInThread(
      {
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0STUDYDLY',
        threadId: prompt.threadId ?? '',
      },
      {
        actor: cy,
        messageId: '1795600000.000100',
        text: 'Clarify: I would ask about the goal, the scale and the latency budget before anything else, and which metric matters.',
        sentAt: clock.now(),
        source: 'thread',
      },
    );
    const id = await memberId('U0STUDYCY1');
    const due = await test.db
      .select()
      .from(drillItems)
      .where(and(eq(drillItems.memberId, id), like(drillItems.itemKey, `recall:${prompt.caseId}:%`)));
    expect(due.map((row) => row.itemKey)).toContain(`recall:${prompt.caseId}:serving`);
    expect(due.every((row) => row.due.getTime() <= clock.now().getTime())).toBe(true);
  });

  it('sends the morning DM at 08:00 the member’s time, once a day, across the change to summer time', async () => {
    const dee = actor('U0STUDYDE1', 'America/New_York');
    clock.set(new Date('2027-03-12T14:00:00Z'));
    await services().plan.setPlan(place(), dee, { date: '2027-03-30' });
    const dms = () => slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'U0STUDYDE1');
    // Saturday 13 March (EST, UTC-5) and Sunday 14 March (EDT, UTC-4): 08:00 local is 13:00 and 12:00 UTC.
    for (const [at, expected] of [
      ['2027-03-13T12:59:00Z', 0],
      ['2027-03-13T13:00:00Z', 1],
      ['2027-03-13T20:00:00Z', 1],
      ['2027-03-14T11:59:00Z', 1],
      ['2027-03-14T12:00:00Z', 2],
    ] as const) {
      clock.set(new Date(at));
      await services().plan.sendMornings();
      expect(dms(), at).toHaveLength(expected);
    }
    expect(JSON.stringify(dms()[0]?.body)).toMatch(/Day 2: learn/);
  });

  it('nudges a plan quiet for three days once, and again only after new activity', async () => {
    const nudges = () =>
      slack
        .callsTo('chat.postMessage')
        .filter((call) => call.body.channel === 'U0STUDYDE1' && /quiet days/.test(String(call.body.text)));
    clock.set(new Date('2027-03-15T15:00:00Z'));
    await services().plan.sendMornings();
    expect(nudges()).toHaveLength(1);
    clock.set(new Date('2027-03-16T15:00:00Z'));
    await services().plan.sendMornings();
    expect(nudges()).toHaveLength(1);
  });
});
