import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userErrorText } from '../../content/refusals.ts';
import type { UserError } from '../../src/core/errors.ts';
import type { Actor } from '../../src/core/types.ts';
import { appendPointEvents } from '../../src/db/queries/points.ts';
import {
  answers,
  boardTotals,
  channels,
  drillItems,
  drillReviews,
  members,
  mockFeedback,
  pairAvoids,
  pairings,
  pairMembers,
  pairRounds,
  plans,
  pointEvents,
  prompts,
  revisions,
  teamMembers,
} from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

const TEAM = 'T0PRIV0001';
const OTHER_TEAM = 'T0PRIV0002';
const CHANNEL = 'C0PRIV0001';
const ANA = 'U0PRIVANA1';
const BEN = 'U0PRIVBEN1';
const ADMIN = 'U0PRIVADM1';

const actor = (userId: string, workspaceId = TEAM, isPlatformAdmin = false): Actor => ({
  platform: 'slack',
  workspaceId,
  userId,
  displayName: userId === ANA ? 'Ana' : userId === BEN ? 'Ben' : 'Ada',
  isPlatformAdmin,
  timeZone: 'Europe/Berlin',
});
const place = { platform: 'slack' as const, workspaceId: TEAM, channelId: CHANNEL, channelName: 'study' };

/** Everything but the rendered images, as text: what a check for a name looks through. */
const shown = (value: unknown) =>
  JSON.stringify(value, (key, item) => (key === 'png' || key === 'image' ? undefined : item));

/**
 * A member's own data on the real services and Postgres: the export holds every section, forgetting deletes or
 * anonymises every row of theirs in one workspace, and afterwards no board, digest, reveal or other member's
 * stats shows them while team and channel totals stay; another workspace is untouched.
 */
describe('a member’s own data', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-29T17:00:00Z')); // Sunday 18:00 in Berlin
  const ids = { channel: 0, prompt: 0, ana: 0, ben: 0, otherAna: 0, benAnswer: 0 };
  const services = () => test.bot.services;

  async function award(
    memberId: number,
    channelId: number,
    kind: string,
    ref: string,
    points: number,
    at: string,
  ) {
    await appendPointEvents(test.db, [
      { memberId, channelId, kind, ref, points, reason: `${kind} test`, createdAt: new Date(at) },
    ]);
  }

  async function answer(promptId: number, memberId: number, messageId: string, score: number, text: string) {
    const [row] = await test.db
      .insert(answers)
      .values({
        promptId,
        memberId,
        messageId,
        source: 'thread',
        text,
        score,
        coverage: { clarify: score / 100, serving: 0.4 },
        matches: { clarify: { matched: ['latency budget'], missed: ['label delay'] } },
        wordCount: 120,
        sentAt: new Date('2026-11-27T09:00:00Z'),
        updatedAt: new Date('2026-11-27T09:00:00Z'),
      })
      .returning();
    return row?.id ?? 0;
  }

  beforeAll(async () => {
    slack = await startFakeSlackApi({ teamId: TEAM });
    test = await startTestBot({ slackApiUrl: slack.url, workers: false, clock });
    const [channel] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: TEAM,
        channelId: CHANNEL,
        name: 'study',
        timeZone: 'Europe/Berlin',
        dailyEnabled: true,
      })
      .returning();
    ids.channel = channel?.id ?? 0;
    const [prompt] = await test.db
      .insert(prompts)
      .values({
        channelId: ids.channel,
        caseId: 'fraud-detection',
        localDate: '2026-11-27',
        messageId: '1795770000.000100',
        threadId: '1795770000.000100',
        postedAt: new Date('2026-11-27T08:00:00Z'),
        closesAt: new Date('2026-11-28T08:00:00Z'),
      })
      .returning();
    ids.prompt = prompt?.id ?? 0;
    const [ana, ben] = await test.db
      .insert(members)
      .values([
        { platform: 'slack', workspaceId: TEAM, userId: ANA, displayName: 'Ana', timeZone: 'Europe/Berlin' },
        { platform: 'slack', workspaceId: TEAM, userId: BEN, displayName: 'Ben', timeZone: 'Europe/Berlin' },
      ])
      .returning();
    ids.ana = ana?.id ?? 0;
    ids.ben = ben?.id ?? 0;
    await answer(ids.prompt, ids.ana, 'ana-answer', 80, 'Ana’s own answer about fraud');
    ids.benAnswer = await answer(ids.prompt, ids.ben, 'ben-answer', 60, 'Ben’s answer');
    await test.db.insert(revisions).values({
      promptId: ids.prompt,
      memberId: ids.ana,
      messageId: 'ana-revision',
      text: 'Ana’s revision',
      score: 85,
      coverage: { clarify: 0.9 },
      wordCount: 90,
      createdAt: new Date('2026-11-28T10:00:00Z'),
      updatedAt: new Date('2026-11-28T10:00:00Z'),
    });
    await award(ids.ana, ids.channel, 'daily-answer', `prompt:${ids.prompt}:ana`, 10, '2026-11-27T09:00:00Z');
    await award(
      ids.ana,
      ids.channel,
      'daily-coverage',
      `prompt:${ids.prompt}:ana:v1`,
      16,
      '2026-11-27T09:00:00Z',
    );
    await award(ids.ben, ids.channel, 'daily-answer', `prompt:${ids.prompt}:ben`, 10, '2026-11-27T09:30:00Z');
    await award(
      ids.ben,
      ids.channel,
      'daily-coverage',
      `prompt:${ids.prompt}:ben:v1`,
      12,
      '2026-11-27T09:30:00Z',
    );
    // A mock done in both directions of feedback, and one still open in the next round.
    const [round, next] = await test.db
      .insert(pairRounds)
      .values([
        {
          channelId: ids.channel,
          scheduledFor: new Date('2026-11-23T09:00:00Z'),
          endsAt: new Date('2026-11-29T21:00:00Z'),
        },
        {
          channelId: ids.channel,
          scheduledFor: new Date('2026-11-30T09:00:00Z'),
          endsAt: new Date('2026-12-06T21:00:00Z'),
        },
      ])
      .returning();
    const [done, open] = await test.db
      .insert(pairings)
      .values([
        {
          roundId: round?.id ?? 0,
          caseId: 'eta-prediction',
          interviewerId: ids.ana,
          candidateId: ids.ben,
          status: 'done',
          doneAt: new Date('2026-11-25T18:00:00Z'),
          responded: [ids.ana, ids.ben],
        },
        {
          roundId: next?.id ?? 0,
          caseId: 'search-ranking',
          interviewerId: ids.ben,
          candidateId: ids.ana,
          status: 'pending',
        },
      ])
      .returning();
    await test.db.insert(mockFeedback).values([
      {
        pairingId: done?.id ?? 0,
        fromMemberId: ids.ana,
        aboutMemberId: ids.ben,
        role: 'interviewer',
        ratings: { clarify: 3 },
        communication: 3,
        strength: 'Ana says: clear framing',
        improve: 'Ana says: metrics',
      },
      {
        pairingId: done?.id ?? 0,
        fromMemberId: ids.ben,
        aboutMemberId: ids.ana,
        role: 'candidate',
        ratings: { clarify: 4 },
        communication: 4,
        strength: 'Ben says: calm',
        improve: 'Ben says: time',
      },
    ]);
    await award(
      ids.ana,
      ids.channel,
      'mock-done',
      `pairing:${done?.id}:member:${ids.ana}`,
      15,
      '2026-11-25T18:00:00Z',
    );
    await award(
      ids.ben,
      ids.channel,
      'mock-done',
      `pairing:${done?.id}:member:${ids.ben}`,
      15,
      '2026-11-25T18:00:00Z',
    );
    expect(open?.status).toBe('pending');
    await test.db.insert(pairMembers).values({ channelId: ids.channel, memberId: ids.ana, level: 'senior' });
    await test.db.insert(pairAvoids).values([
      { memberId: ids.ana, avoidedMemberId: ids.ben },
      { memberId: ids.ben, avoidedMemberId: ids.ana },
    ]);
    await services().teams.create(actor(ANA), 'Owls');
    await services().teams.join(actor(BEN), 'Owls');
    // A 👍 from Ana on Ben's answer: Ben's points, Ana's name in the reason.
    expect(
      (
        await services().upvotes.upvoteAnswer({
          voter: actor(ANA),
          channelId: CHANNEL,
          messageId: 'ben-answer',
        })
      ).outcome,
    ).toBe('counted');
    await services().plan.setPlan(place, actor(ANA), { date: '2026-12-20', level: 'senior' });
    const drill = await services().drill.nextDrill(actor(ANA));
    await services().drill.rateDrill(actor(ANA), drill.item?.key ?? '', drill.item?.reps ?? 0, 3);
    // The same person in another workspace, with data of their own there.
    const [otherChannel] = await test.db
      .insert(channels)
      .values({
        platform: 'slack',
        workspaceId: OTHER_TEAM,
        channelId: 'C0PRIV0009',
        timeZone: 'Europe/Berlin',
      })
      .returning();
    const [otherPrompt] = await test.db
      .insert(prompts)
      .values({
        channelId: otherChannel?.id ?? 0,
        caseId: 'fraud-detection',
        localDate: '2026-11-27',
        closesAt: new Date('2026-11-28T08:00:00Z'),
      })
      .returning();
    const [otherAna] = await test.db
      .insert(members)
      .values({ platform: 'slack', workspaceId: OTHER_TEAM, userId: ANA, displayName: 'Ana' })
      .returning();
    ids.otherAna = otherAna?.id ?? 0;
    await answer(otherPrompt?.id ?? 0, ids.otherAna, 'other-answer', 70, 'Ana elsewhere');
    await award(
      ids.otherAna,
      otherChannel?.id ?? 0,
      'daily-answer',
      `prompt:${otherPrompt?.id}:ana`,
      10,
      '2026-11-27T09:00:00Z',
    );
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  const rowsOf = async (
    table:
      | typeof answers
      | typeof revisions
      | typeof drillItems
      | typeof drillReviews
      | typeof pairMembers
      | typeof pointEvents,
    memberId: number,
  ) => {
    const [row] = await test.db.select({ n: count() }).from(table).where(eq(table.memberId, memberId));
    return Number(row?.n ?? 0);
  };

  it('exports every section to the member’s DM as one JSON file, and nothing of anyone else’s', async () => {
    const outcome = await services().privacy.exportMyData(actor(ANA));
    expect(outcome.kind).toBe('sent');
    const upload = slack.uploads.at(-1);
    expect(upload?.filename).toBe('mlsd-data-2026-11-29.json');
    const data = JSON.parse(upload?.bytes.toString('utf8') ?? '{}');
    expect(data.profile).toMatchObject({
      userId: ANA,
      workspaceId: TEAM,
      displayName: 'Ana',
      timeZone: 'Europe/Berlin',
    });
    expect(data.answers).toEqual([
      expect.objectContaining({
        caseId: 'fraud-detection',
        text: 'Ana’s own answer about fraud',
        score: 80,
        coverage: { clarify: 0.8, serving: 0.4 },
      }),
    ]);
    expect(data.answers[0].matches.clarify.missed).toEqual(['label delay']);
    expect(data.revisions).toEqual([expect.objectContaining({ text: 'Ana’s revision', score: 85 })]);
    expect(data.points.ledger.map((row: { kind: string }) => row.kind).sort()).toEqual([
      'daily-answer',
      'daily-coverage',
      'drill-review',
      'mock-done',
    ]);
    expect(data.streak.activeDays).toEqual(['2026-11-25', '2026-11-27', '2026-11-29']);
    expect(data.mocks).toEqual([
      expect.objectContaining({ role: 'interviewer', interviewer: ANA, candidate: BEN, status: 'done' }),
      expect.objectContaining({ role: 'candidate', status: 'pending' }),
    ]);
    expect(data.feedbackGiven).toEqual([
      expect.objectContaining({ about: BEN, strength: 'Ana says: clear framing' }),
    ]);
    expect(data.feedbackReceived).toEqual([
      expect.objectContaining({ from: BEN, strength: 'Ben says: calm' }),
    ]);
    expect(data.mockRounds).toEqual([expect.objectContaining({ channel: 'study', level: 'senior' })]);
    expect(data.avoids).toEqual([expect.objectContaining({ userId: BEN })]);
    expect(data.team).toMatchObject({ name: 'Owls' });
    expect(data.plan).toMatchObject({ interviewDate: '2026-12-20', level: 'senior' });
    expect(data.drill.items.length).toBeGreaterThan(0);
    expect(data.drill.reviews).toHaveLength(1);
    const text = upload?.bytes.toString('utf8') ?? '';
    expect(text).not.toContain('Ben’s answer');
    expect(text).not.toContain('Ana elsewhere');
    const dm = slack.callsTo('chat.postMessage').at(-1);
    expect(dm?.body.channel).toBe(ANA);
    expect(String(dm?.body.text)).toContain('mlsd-data-2026-11-29.json');
  });

  it('forgets a member: their rows deleted or anonymised, no board, digest, reveal or stats shows them, totals stay', async () => {
    const teamsBefore = await services().teams.teamBoard(place, 'all');
    const boardBefore = await services().leaderboard.channelLeaderboard(place, actor(BEN), 'all');
    expect(boardBefore.top.map((row) => row.userId)).toContain(ANA);
    const preview = await services().privacy.forgetPreview(actor(ANA));
    expect(preview?.data).toMatchObject({
      answers: 1,
      revisions: 1,
      feedbackGiven: 1,
      feedbackReceived: 1,
      plan: true,
      drillReviews: 1,
      pairChannels: 1,
      avoids: 1,
      streakDays: 3,
      upvotesCast: 1,
      mocks: 2,
      team: 'Owls',
    });
    const forgotten = await services().privacy.forgetMe(actor(ANA), {
      userId: ANA,
      issuedAt: preview?.issuedAt ?? 0,
    });
    expect(forgotten).toEqual(preview?.data);

    // Gone: the profile and everything personal.
    const anaRows = await test.db
      .select()
      .from(members)
      .where(and(eq(members.workspaceId, TEAM), eq(members.userId, ANA)));
    expect(anaRows).toEqual([]);
    for (const table of [answers, revisions, drillItems, drillReviews, pairMembers, pointEvents] as const)
      expect(await rowsOf(table, ids.ana)).toBe(0);
    expect(await test.db.select().from(plans).where(eq(plans.memberId, ids.ana))).toEqual([]);
    expect(await test.db.select().from(mockFeedback)).toEqual([]);
    expect(await test.db.select().from(pairAvoids)).toEqual([]);
    // Kept without a name: the ledger, the board totals, the team seat and the mocks, on a hidden stand-in.
    const [standIn] = await test.db
      .select()
      .from(members)
      .where(and(eq(members.workspaceId, TEAM), like(members.userId, 'former:%')));
    expect(standIn).toMatchObject({ displayName: 'a former member', hiddenFromBoards: true, timeZone: null });
    expect(await rowsOf(pointEvents, standIn?.id ?? 0)).toBe(preview?.data.points.rows);
    const totals = await test.db
      .select()
      .from(boardTotals)
      .where(eq(boardTotals.memberId, standIn?.id ?? 0));
    expect(totals.length).toBeGreaterThan(0);
    const [seat] = await test.db
      .select()
      .from(teamMembers)
      .where(eq(teamMembers.memberId, standIn?.id ?? 0));
    expect(seat).toBeDefined();
    const mocks = await test.db.select().from(pairings).orderBy(pairings.id);
    expect(mocks.map((row) => [row.interviewerId, row.candidateId, row.status])).toEqual([
      [standIn?.id, ids.ben, 'done'],
      [ids.ben, standIn?.id, 'missed'],
    ]);
    expect(mocks[1]?.notifiedAt).not.toBeNull();
    const [upvote] = await test.db.select().from(pointEvents).where(eq(pointEvents.kind, 'answer-upvote'));
    expect(upvote).toMatchObject({
      memberId: ids.ben,
      reason: '👍 from a former member on your "Payment fraud detection" answer',
    });

    // Totals: team and channel boards exactly as before.
    expect(await services().teams.teamBoard(place, 'all')).toEqual(teamsBefore);
    // Boards: the member is off the individual and streak boards, and no longer counted in "of N".
    const board = await services().leaderboard.channelLeaderboard(place, actor(BEN), 'all');
    expect(board.top.map((row) => row.userId)).toEqual([BEN]);
    expect(board.shown).toBe(boardBefore.shown - 1);
    expect(shown(await services().leaderboard.streakLeaderboard(place, actor(BEN)))).not.toMatch(
      /U0PRIVANA1|former/,
    );
    // Another member's stats and App Home: no name, no id, the 👍 reason anonymised; the mock still counts.
    const benStats = await services().stats.memberStats(place, actor(BEN));
    expect(shown(benStats)).not.toMatch(/Ana|U0PRIVANA1|former:/);
    expect(benStats.mocks.done).toBe(1);
    expect(benStats.awards.map((item) => item.reason)).toContain(
      '👍 from a former member on your "Payment fraud detection" answer',
    );
    expect(shown(await services().stats.homeView(actor(BEN)))).not.toMatch(/Ana|U0PRIVANA1|former:/);
    const asked = await services()
      .stats.memberStats(place, actor(BEN), ANA)
      .then(
        () => 'shown',
        (error: UserError) => error.identifier,
      );
    expect(asked).toBe('no-stats');
    expect(
      await services()
        .stats.memberStats(place, actor(BEN), `former:${ids.ana}`)
        .catch((error: UserError) => error.identifier),
    ).toBe('no-stats');
    // The weekly digest and the daily reveal.
    const digest = await services().digest.weeklyDigest(ids.channel);
    expect(digest).toBeDefined();
    expect(shown(digest)).toContain(BEN);
    expect(shown(digest)).not.toMatch(/U0PRIVANA1|former/);
    slack.reset();
    expect(await services().daily.closeDaily(ids.prompt)).toBe(true);
    const reveal = shown(slack.callsTo('chat.postMessage').map((call) => call.body));
    expect(reveal).toContain(BEN);
    expect(reveal).not.toMatch(/U0PRIVANA1|former/);
    // The other workspace: untouched.
    expect(await rowsOf(answers, ids.otherAna)).toBe(1);
    expect(await rowsOf(pointEvents, ids.otherAna)).toBe(1);
  });

  it('changes nothing on a second press, and refuses a press by someone else or one too old', async () => {
    const standIns = async () =>
      (await test.db.select().from(members).where(like(members.userId, 'former:%'))).length;
    const before = await standIns();
    const now = clock.now().getTime();
    expect(await services().privacy.forgetMe(actor(ANA), { userId: ANA, issuedAt: now })).toBeUndefined();
    expect(await standIns()).toBe(before);
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: UserError) => userErrorText(error.identifier, error.context),
      );
    expect(await refusal(services().privacy.forgetMe(actor(ANA), { userId: BEN, issuedAt: now }))).toMatch(
      /shown to someone else/,
    );
    expect(
      await refusal(services().privacy.forgetMe(actor(BEN), { userId: BEN, issuedAt: now - 16 * 60_000 })),
    ).toMatch(/more than 15 minutes old, so nothing was deleted/);
    expect(await rowsOf(answers, ids.ben)).toBe(1);
  });

  it('lets an admin purge a member of their own workspace only, with the same guarantees', async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: UserError) => error.identifier,
      );
    const now = clock.now().getTime();
    // Not an admin; an admin of another workspace; a member the workspace does not hold.
    expect(await refusal(services().privacy.purgePreview(actor(ADMIN), BEN))).toBe('admin-only');
    expect(
      await refusal(
        services().privacy.purgeMember(actor(ADMIN), { userId: BEN, shownTo: ADMIN, issuedAt: now }),
      ),
    ).toBe('admin-only');
    expect(await refusal(services().privacy.purgePreview(actor(ADMIN, OTHER_TEAM, true), BEN))).toBe(
      'purge-unknown-member',
    );
    expect(
      await services().privacy.purgeMember(actor(ADMIN, OTHER_TEAM, true), {
        userId: BEN,
        shownTo: ADMIN,
        issuedAt: now,
      }),
    ).toBeUndefined();
    expect(await rowsOf(answers, ids.ben)).toBe(1);
    const teamsBefore = await services().teams.teamBoard(place, 'all');
    const preview = await services().privacy.purgePreview(actor(ADMIN, TEAM, true), '@Ben');
    expect(preview).toMatchObject({ userId: BEN, data: { answers: 1, points: { rows: 4 } } });
    expect(
      await refusal(
        services().privacy.purgeMember(actor(BEN, TEAM, true), {
          userId: BEN,
          shownTo: ADMIN,
          issuedAt: now,
        }),
      ),
    ).toBe('not-your-button');
    // A double click: both presses race, one purges, the other finds nobody; one stand-in, nothing doubled.
    const confirmation = { userId: BEN, shownTo: ADMIN, issuedAt: preview.issuedAt };
    const presses = await Promise.all([
      services().privacy.purgeMember(actor(ADMIN, TEAM, true), confirmation),
      services().privacy.purgeMember(actor(ADMIN, TEAM, true), confirmation),
    ]);
    expect(presses.filter(Boolean)).toHaveLength(1);
    expect(presses.find(Boolean)?.answers).toBe(1);
    const standIns = await test.db.select().from(members).where(like(members.userId, 'former:%'));
    expect(standIns).toHaveLength(2);
    expect(await rowsOf(answers, ids.ben)).toBe(0);
    expect(await services().teams.teamBoard(place, 'all')).toEqual(teamsBefore);
    expect((await services().leaderboard.channelLeaderboard(place, actor(ADMIN), 'all')).top).toEqual([]);
    expect(await rowsOf(answers, ids.otherAna)).toBe(1);
  });
});
