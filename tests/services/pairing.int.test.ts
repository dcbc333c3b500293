import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackProblems, ratingField } from '../../content/pairing-messages.ts';
import { STEPS } from '../../src/core/framework.ts';
import {
  channels,
  members,
  pairAvoids,
  pairings,
  pairMembers,
  pairRounds,
  pairSkips,
} from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** Rounds, follow-ups and reliability rules through the services on a real database, with a Slack fake. */
describe('pairing rounds', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  let channelId = 0;
  const ids: Record<string, number> = {};
  const clock = new TestClock(new Date('2026-11-23T09:00:00Z'));

  const dms = (userId: string, pattern: RegExp) =>
    slack
      .callsTo('chat.postMessage')
      .filter((call) => call.body.channel === userId && pattern.test(JSON.stringify(call.body)));

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({ slackApiUrl: slack.url, workers: false, clock });
    const [channel] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: slack.teamId,
        channelId: 'C0ROUNDS01',
        pairEnabled: true,
        pairDay: 1,
        pairTime: '10:00',
        pairTimeZone: 'UTC',
      })
      .returning();
    channelId = channel?.id ?? 0;
    for (const name of ['ana', 'ben', 'cal', 'dee', 'eli']) {
      const [member] = await test.db
        .insert(members)
        .values({
          platform: 'slack',
          workspaceId: slack.teamId,
          userId: `U0${name.toUpperCase()}00001`,
          displayName: name,
        })
        .returning();
      ids[name] = member?.id ?? 0;
      await test.db
        .insert(pairMembers)
        .values({ channelId, memberId: member?.id ?? 0, level: 'mid', topics: ['recsys'], timeZone: 'UTC' });
    }
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('runs a scheduled round once however often the job fires, with one trio for five people', async () => {
    clock.set(new Date('2026-11-23T10:00:30Z'));
    const first = await test.bot.services.pairing.runRound(channelId);
    const second = await test.bot.services.pairing.runRound(channelId);
    expect(first?.created).toBe(true);
    expect(second?.created).toBe(false);
    expect(second?.round.id).toBe(first?.round.id);
    const rows = await test.db.select().from(pairings);
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.observerId !== null)).toHaveLength(1);
    const everyone = rows
      .flatMap((row) => [row.interviewerId, row.candidateId, row.observerId])
      .filter(Boolean);
    expect(new Set(everyone).size).toBe(5);
    // Each group got one intro and each interviewer (and observer) one guide, even after the second run.
    expect(slack.callsTo('conversations.open')).toHaveLength(2);
    expect(
      slack.callsTo('chat.postMessage').filter((call) => /Interviewer guide/.test(JSON.stringify(call.body))),
    ).toHaveLength(3);
  });

  it('nudges only groups where nobody pressed anything, once', async () => {
    const [round] = await test.db.select().from(pairRounds);
    const rows = await test.db.select().from(pairings);
    const active = rows[0];
    await test.bot.services.pairing.pressStatus(
      {
        platform: 'slack',
        workspaceId: slack.teamId,
        userId: `U0${Object.keys(ids)
          .find((name) => ids[name] === active?.interviewerId)
          ?.toUpperCase()}00001`,
        displayName: 'x',
        isPlatformAdmin: false,
      },
      active?.id ?? 0,
      'scheduled',
    );
    slack.reset();
    await test.bot.services.pairing.nudgeRound(round?.id ?? 0);
    await test.bot.services.pairing.nudgeRound(round?.id ?? 0);
    const nudges = slack
      .callsTo('chat.postMessage')
      .filter((call) => /Halfway through the round/.test(String(call.body.text)));
    expect(nudges).toHaveLength(1);
  });

  it('pauses members who ignore two rounds in a row and tells them how to come back', async () => {
    const [round] = await test.db.select().from(pairRounds);
    await test.bot.services.pairing.checkinRound(round?.id ?? 0);
    clock.set(new Date('2026-11-30T10:00:30Z'));
    const next = await test.bot.services.pairing.runRound(channelId);
    slack.reset();
    await test.bot.services.pairing.checkinRound(next?.round.id ?? 0);
    const paused = await test.db.select().from(pairMembers).where(eq(pairMembers.active, false));
    expect(paused.length).toBeGreaterThan(0);
    for (const row of paused) {
      const [member] = await test.db.select().from(members).where(eq(members.id, row.memberId));
      expect(dms(member?.userId ?? '', /paused from mock rounds/)).toHaveLength(1);
    }
    // Whoever pressed a button in round one was not counted as ignoring it.
    const [responder] = (await test.db.select().from(pairings)).filter((row) => row.responded.length > 0);
    const responderRow = (await test.db.select().from(pairMembers)).find(
      (row) => row.memberId === responder?.responded[0],
    );
    expect(responderRow?.ignoredRounds).toBeLessThan(2);
  });

  it('never pairs members who avoid each other, and tells anyone left without a partner privately', async () => {
    await test.db.update(pairMembers).set({ active: false });
    await test.db
      .update(pairMembers)
      .set({ active: true })
      .where(eq(pairMembers.memberId, ids.ana ?? 0));
    await test.db
      .update(pairMembers)
      .set({ active: true })
      .where(eq(pairMembers.memberId, ids.ben ?? 0));
    await test.db.insert(pairAvoids).values({ memberId: ids.ana ?? 0, avoidedMemberId: ids.ben ?? 0 });
    clock.set(new Date('2026-12-07T10:00:30Z'));
    slack.reset();
    const outcome = await test.bot.services.pairing.runRound(channelId);
    expect(outcome?.groups).toBe(0);
    expect(outcome?.unmatched).toBe(2);
    expect(dms('U0ANA00001', /No mock partner this round/)).toHaveLength(1);
    expect(dms('U0BEN00001', /No mock partner this round/)).toHaveLength(1);
  });

  it('sends the day-before notice once, and a skip keeps the member out of that round only', async () => {
    await test.db.delete(pairAvoids);
    clock.set(new Date('2026-12-13T10:00:00Z'));
    slack.reset();
    expect(await test.bot.services.pairing.sendNotice(channelId)).toBe(2);
    expect(await test.bot.services.pairing.sendNotice(channelId)).toBe(0);
    const notice = dms('U0ANA00001', /Skip this round/)[0];
    const skipId = JSON.stringify(notice?.body.blocks).match(/pair:skip:(\d+):(\d+)/);
    expect(skipId).not.toBeNull();
    await test.bot.services.pairing.skipRound(
      {
        platform: 'slack',
        workspaceId: slack.teamId,
        userId: 'U0ANA00001',
        displayName: 'ana',
        isPlatformAdmin: false,
      },
      Number(skipId?.[1]),
      Number(skipId?.[2]),
    );
    expect(await test.db.select({ n: count() }).from(pairSkips)).toEqual([{ n: 1 }]);
    clock.set(new Date('2026-12-14T10:00:30Z'));
    const outcome = await test.bot.services.pairing.runRound(channelId);
    expect(outcome?.unmatched).toBe(1); // Ben alone: Ana skipped
  });
});

describe('feedbackProblems', () => {
  const complete = {
    ...Object.fromEntries(STEPS.map((step) => [ratingField(step), '3'])),
    communication: '4',
    strength: 'Clear numbers up front.',
    improve: 'Budget time for serving.',
  };

  it('takes a rating from 1 to 4 per step, communication and both notes', () => {
    expect(feedbackProblems(complete)).toEqual({});
  });

  it('names each field that is missing or out of range, and only those', () => {
    expect(
      Object.keys(feedbackProblems({ ...complete, rating_data: '5', communication: '', improve: '  ' })),
    ).toEqual(['rating_data', 'communication', 'improve']);
  });
});
