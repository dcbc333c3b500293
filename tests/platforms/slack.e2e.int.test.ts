import { readFileSync } from 'node:fs';
import { count, eq, sum } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, pointEvents, prompts, revisions } from '../../src/db/schema/index.ts';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import {
  blockAction,
  type FakeSlackApi,
  messageEvent,
  postToBolt,
  reactionEvent,
  slashCommand,
  startFakeSlackApi,
  viewSubmission,
} from '../helpers/fake-slack.ts';

const TEAM = 'T0MLSD0001';
const CHANNEL = 'C0STUDY001';
const ADMIN = 'U0ADMIN001';
const ANA = 'U0ANA00001';
const BEN = 'U0BEN00001';
const REASONED = readFileSync(new URL('../fixtures/answers/fraud-reasoned.md', import.meta.url), 'utf8');

/**
 * The daily loop end to end through the real Bolt HTTP receiver: signed requests shaped like Slack's
 * payloads in, Web API calls recorded by a fake on 127.0.0.1 out.
 */
describe('Slack: the daily loop end to end', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-23T08:00:00Z'));
  let promptId = 0;
  let threadTs = '';

  const send = (body: string | object, options: Parameters<typeof postToBolt>[3] = {}) =>
    postToBolt(test.url, SLACK_SIGNING_SECRET, body, options);
  const command = (userId: string, text: string) =>
    send(
      slashCommand({
        teamId: TEAM,
        channelId: CHANNEL,
        userId,
        userName: userId.toLowerCase(),
        text,
        triggerId: `trig-${Math.random()}`,
      }),
      {
        contentType: 'application/x-www-form-urlencoded',
      },
    );
  const ephemeralTo = (userId: string, pattern: RegExp) =>
    slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.body.user === userId && pattern.test(String(call.body.text)),
    );

  beforeAll(async () => {
    slack = await startFakeSlackApi({
      teamId: TEAM,
      users: {
        [ADMIN]: { isAdmin: true, name: 'Ada Admin', tz: 'Europe/Berlin' },
        [ANA]: { name: 'Ana', tz: 'Europe/Lisbon' },
        [BEN]: { name: 'Ben', tz: 'America/New_York' },
      },
    });
    test = await startTestBot({ slackApiUrl: slack.url, clock });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('lets an admin limit the rotation by tag and refuses a filter no case matches', async () => {
    await command(ADMIN, 'daily filter tags:nothing-matches');
    await ephemeralTo(ADMIN, /use tags from: recsys/);
    await command(ADMIN, 'daily filter difficulty:1 tags:notifications');
    await ephemeralTo(ADMIN, /No case study matches/);
    await command(ADMIN, 'daily filter tags:anomaly');
    await ephemeralTo(ADMIN, /Payment fraud|fraud/i);
  });

  it('acknowledges /mlsd daily at once, posts today’s prompt with a button, and points the caller to it', async () => {
    const response = await command(ANA, 'daily');
    expect(response.status).toBe(200);
    const post = await slack.waitForCall(
      'chat.postMessage',
      (call) => Array.isArray(call.body.blocks) && call.body.channel === CHANNEL,
    );
    expect(String(post.body.text)).toMatch(/Today's case/);
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('Submit answer');
    expect(blocks).toContain('Clarify requirements');
    await ephemeralTo(ANA, /Today's case is/);
    const [row] = await test.db.select().from(prompts);
    expect(row?.threadId).toBeTruthy();
    promptId = row?.id ?? 0;
    threadTs = row?.threadId ?? '';
    expect(blocks).toContain(`daily:answer:${promptId}`);
  });

  it('shows the same prompt on a second /mlsd daily instead of posting another', async () => {
    slack.reset();
    await command(BEN, 'daily');
    await ephemeralTo(BEN, /Today's case is/);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    const [{ n } = { n: 0 }] = await test.db.select({ n: count() }).from(prompts);
    expect(n).toBe(1);
  });

  it('grades a thread reply and tells its author privately, once, even when Slack retries the event', async () => {
    slack.reset();
    const event = messageEvent({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: ANA,
      text: REASONED,
      ts: '1795420000.000100',
      threadTs,
      eventId: 'Ev0ANSWER1',
    });
    expect((await send(event)).status).toBe(200);
    const feedback = await ephemeralTo(ANA, /scores \d+\/100/);
    expect(feedback.body.thread_ts).toBe(threadTs);
    expect(JSON.stringify(feedback.body.blocks)).toContain('Coverage per step');
    await send(event, { retryNum: 1, retryReason: 'http_timeout' });
    await send(event, { retryNum: 2, retryReason: 'http_timeout' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(1);
    const rows = await test.db.select().from(answers);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.score).toBeGreaterThan(50);
  });

  it('replaces an answer with a later reply and keeps the points equal to the latest grade', async () => {
    slack.reset();
    const shorter = REASONED.split('\n\n').slice(0, 3).join('\n\n');
    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: ANA,
        text: shorter,
        ts: '1795420100.000200',
        threadTs,
        eventId: 'Ev0ANSWER2',
      }),
    );
    await ephemeralTo(ANA, /updated answer/i);
    const [answer] = await test.db.select().from(answers);
    expect(answer?.version).toBe(2);
    expect(answer?.text).toBe(shorter);
    const [total] = await test.db
      .select({ points: sum(pointEvents.points) })
      .from(pointEvents)
      .where(eq(pointEvents.memberId, answer?.memberId ?? 0));
    expect(Number(total?.points)).toBe(10 + Math.round((20 * (answer?.score ?? 0)) / 100));
  });

  it('counts a 👍 from another member on an answer as an upvote, once, and not the author’s own', async () => {
    const upvotes = async () =>
      (await test.db.select().from(pointEvents)).filter((row) => row.kind === 'answer-upvote');
    const react = (userId: string, reaction: string, eventId: string, retryNum?: number) =>
      send(
        reactionEvent({
          teamId: TEAM,
          channelId: CHANNEL,
          userId,
          reaction,
          messageTs: '1795420100.000200', // Ana's current answer
          itemUser: ANA,
          eventId,
        }),
        retryNum ? { retryNum, retryReason: 'http_timeout' } : {},
      );
    await react(ANA, '+1', 'Ev0REACT01');
    await react(BEN, 'eyes', 'Ev0REACT02');
    await react(BEN, '+1::skin-tone-4', 'Ev0REACT03');
    await react(BEN, '+1::skin-tone-4', 'Ev0REACT03', 1);
    await react(BEN, 'thumbsup', 'Ev0REACT04'); // removed and added again: still one vote
    const rows = await eventually(async () => ((await upvotes()).length > 0 ? upvotes() : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await upvotes()).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      points: 2,
      reason: '👍 from Ben on your "Payment fraud detection" answer',
    });
    const [answer] = await test.db.select().from(answers);
    expect(rows[0]?.memberId).toBe(answer?.memberId);
  });

  it('ignores bot messages and replies outside prompt threads', async () => {
    slack.reset();
    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: 'U0OTHERBOT',
        botId: 'B0OTHER',
        text: REASONED,
        ts: '1795420200.000300',
        threadTs,
        eventId: 'Ev0BOT',
      }),
    );
    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: BEN,
        text: REASONED,
        ts: '1795420200.000400',
        threadTs: '1795400000.000001',
        eventId: 'Ev0OTHER',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(await test.db.select().from(answers)).toHaveLength(1);
  });

  it('refuses an answer over 8,000 characters, saying the limit, and saves nothing', async () => {
    slack.reset();
    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: BEN,
        text: 'x'.repeat(8_001),
        ts: '1795420300.000500',
        threadTs,
        eventId: 'Ev0LONG',
      }),
    );
    await ephemeralTo(BEN, /limit is 8,000/);
    expect(await test.db.select().from(answers)).toHaveLength(1);
  });

  it('opens the answer form from the button and grades the submitted form privately', async () => {
    slack.reset();
    await send(
      blockAction({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: BEN,
        actionId: `daily:answer:${promptId}`,
        value: `daily:answer:${promptId}`,
        messageTs: threadTs,
        triggerId: 'trig-button-1',
      }),
      {
        contentType: 'application/x-www-form-urlencoded',
      },
    );
    const opened = await slack.waitForCall('views.open');
    const view = opened.body.view as {
      callback_id: string;
      private_metadata: string;
      title: { text: string };
    };
    expect(view.callback_id).toBe(`daily:answer:${promptId}`);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    // An empty answer is refused at the answer box; the modal stays open and nothing is saved.
    const blank = await send(
      viewSubmission({
        teamId: TEAM,
        userId: BEN,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: { answer: { answer: { type: 'plain_text_input', value: '   ' } } },
        viewId: 'V0FORM0001',
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(JSON.parse(blank.text)).toMatchObject({ response_action: 'errors', errors: { answer: /empty/ } });
    expect(await test.db.select().from(answers)).toHaveLength(1);
    const response = await send(
      viewSubmission({
        teamId: TEAM,
        userId: BEN,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: { answer: { answer: { type: 'plain_text_input', value: REASONED.slice(0, 2_900) } } },
        viewId: 'V0FORM0001',
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(response.status).toBe(200);
    await ephemeralTo(BEN, /scores \d+\/100/);
    expect(await test.db.select().from(answers)).toHaveLength(2);
  });

  it('closes out at the deadline in the thread, once, and grades a later reply as a revision (no points)', async () => {
    slack.reset();
    clock.advance(25 * 3_600_000);
    expect(await test.bot.services.daily.closeDaily(promptId)).toBe(true);
    expect(await test.bot.services.daily.closeDaily(promptId)).toBe(false);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(post.body.thread_ts).toBe(threadTs);
    const summary = JSON.stringify(posts[0]?.body.blocks);
    expect(summary).toContain('Top answers');
    expect(summary).toContain(`<@${ANA}>`);
    expect(summary).toContain('Least covered step');
    expect(JSON.stringify(posts[1]?.body.blocks)).toContain('Monitoring and maintenance');

    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: ANA,
        text: REASONED,
        ts: String(clock.now().getTime() / 1000),
        threadTs,
        eventId: 'Ev0LATE',
      }),
    );
    const revision = await ephemeralTo(ANA, /revision .* is graded: \d+ → \d+\. Practice only: no points/);
    expect(JSON.stringify(revision.body.blocks)).toContain('Before → after, per step');
    expect((await test.db.select().from(revisions)).map((row) => row.text)).toEqual([REASONED.trim()]);
    const ledger = await test.db.select().from(pointEvents);
    expect(ledger.filter((row) => row.ref.includes('revision'))).toEqual([]);
  });

  it('shows this channel’s leaderboard with the caller’s rank', async () => {
    slack.reset();
    await command(BEN, 'leaderboard');
    const board = await ephemeralTo(BEN, /Leaderboard/);
    expect(String(board.body.text)).toMatch(new RegExp(`<@${ANA}>: \\d+ pts · 🔥 1-day streak`));
    expect(String(board.body.text)).toMatch(/You are #\d of 2/);
    await command(ANA, 'leaderboard streaks');
    const streaks = await ephemeralTo(ANA, /Longest current streaks/);
    expect(String(streaks.body.text)).toMatch(new RegExp(`1\\. <@(${ANA}|${BEN})>: 🔥 1 day \\(best 1\\)`));
    expect(String(streaks.body.text)).toMatch(/Your streak: 1 day \(best 1\), freeze left this week/);
  });

  it('shows personal stats with the last awards, and lets a member leave and rejoin public boards', async () => {
    slack.reset();
    await command(ANA, 'stats');
    const stats = await ephemeralTo(ANA, /You: 1 answers, streak 1/);
    const blocks = JSON.stringify(stats.body.blocks);
    expect(blocks).toContain('Coverage per step');
    expect(blocks).toContain('Last awards');
    expect(blocks).toMatch(/Weakest step/);
    // The card (heatmap and coverage bars) cannot ride on an ephemeral message: it goes to Ana's DM.
    await slack.waitForCall('files.completeUploadExternal');
    expect(slack.uploads.at(-1)?.bytes.subarray(1, 4).toString()).toBe('PNG');
    await command(ANA, 'leaderboard hide-me');
    await ephemeralTo(ANA, /hidden from public leaderboards/);
    await command(BEN, 'leaderboard all');
    const board = await ephemeralTo(BEN, /Leaderboard/);
    expect(String(board.body.text)).not.toContain(`<@${ANA}>`);
    expect(String(board.body.text)).toMatch(/You are #1 of 1/);
    // Others still see Ana's practice, but not her rank.
    await command(BEN, `stats <@${ANA}>`);
    const seen = await ephemeralTo(BEN, new RegExp(`<@${ANA}>: 1 answers`));
    expect(String(seen.body.text)).not.toMatch(/rank/);
    expect(JSON.stringify(seen.body.blocks)).toContain('not on public boards');
    await command(ANA, 'leaderboard');
    await ephemeralTo(ANA, /You are hidden from this board/);
    await command(ANA, 'leaderboard show-me');
    await ephemeralTo(ANA, /back on the public leaderboards/);
  });

  it('publishes the App Home with the viewer’s stats and their channel boards', async () => {
    slack.reset();
    const opened = {
      token: 'verification',
      team_id: TEAM,
      api_app_id: 'A0MLSDAPP1',
      type: 'event_callback',
      event_id: 'Ev0HOME001',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_home_opened',
        user: ANA,
        channel: 'D0HOME0001',
        tab: 'home',
        event_ts: '1795420400.000100',
      },
      authorizations: [{ team_id: TEAM, user_id: 'U0MLSDBOT1', is_bot: true }],
    };
    expect((await send(opened)).status).toBe(200);
    const published = await slack.waitForCall('views.publish');
    expect(published.body.user_id).toBe(ANA);
    const view = JSON.stringify(published.body.view);
    expect(view).toContain('Your ML system design practice');
    expect(view).toContain('Coverage per step');
    expect(view).toMatch(/this week/);
    expect(view).toMatch(/Weakest step/);
    expect(view).toMatch(/You: #\d this week, #\d of 2 all time/);
    expect(view).toMatch(/1 done, 0 as candidate|0 done, 0 as candidate/);
  });

  it('forms teams and ranks them by points per active member', async () => {
    slack.reset();
    await command(ANA, 'team create "Study Buddies"');
    await ephemeralTo(ANA, /Team "Study Buddies" created/);
    await command(BEN, 'team join "study buddies"');
    await ephemeralTo(BEN, /You joined "Study Buddies" \(2 members\)/);
    await command(BEN, 'leaderboard teams all');
    const board = await ephemeralTo(BEN, /Teams all time/);
    expect(JSON.stringify(board.body.blocks)).toMatch(/1\. Study Buddies: \d+\.\d pts per active member/);
  });

  it('uses the Slack profile’s time zone for streak days and says where to change it', async () => {
    slack.reset();
    await command(BEN, 'timezone');
    await ephemeralTo(BEN, /Your time zone is America\/New_York \(from your chat profile\)/);
    await command(BEN, 'timezone Asia/Tokyo');
    await ephemeralTo(BEN, /gives me your time zone, America\/New_York.*Change it in your profile settings/);
  });

  it('lets only admins schedule, and mirrors the schedule into BullMQ with the time zone', async () => {
    slack.reset();
    await command(ANA, 'daily schedule 09:00 Europe/Berlin mon-fri');
    await ephemeralTo(ANA, /Only admins/);
    await command(ADMIN, 'daily schedule 09:00 Europe/Berlin mon-fri');
    await ephemeralTo(ADMIN, /Daily case scheduled: 09:00 Europe\/Berlin, mon-fri/);
    const channelId = (await test.db.select().from(prompts))[0]?.channelId;
    const daily = await eventually(async () =>
      (await test.bot.scheduler.listSchedules()).find((item) => item.id === `daily-post-${channelId}`),
    );
    expect(daily?.pattern).toBe('0 9 * * 1,2,3,4,5');
    expect(daily?.tz).toBe('Europe/Berlin');
    await command(ADMIN, 'daily off');
    await ephemeralTo(ADMIN, /off/);
    expect((await test.bot.scheduler.listSchedules()).find((item) => item.id === daily?.id)).toBeUndefined();
  });

  it('answers bad arguments with the usage and an example in Slack words', async () => {
    slack.reset();
    await command(ADMIN, 'daily schedule 9am');
    await ephemeralTo(
      ADMIN,
      /Usage: `\/mlsd daily schedule <time> \[timezone\] \[days\] \[deadline\]`, for example `\/mlsd daily schedule 09:00 Europe\/Berlin mon-fri`/,
    );
  });

  it('answers an unknown word with one line: the closest commands, and how to see all', async () => {
    slack.reset();
    await command(ANA, 'statz');
    const answer = await ephemeralTo(ANA, /I don't know `\/mlsd statz`\. Did you mean `\/mlsd stats`\?/);
    expect(String(answer.body.text)).toMatch(/`\/mlsd help` lists everything/);
    expect(String(answer.body.text).split('\n')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.callsTo('chat.postEphemeral').filter((call) => call.body.user === ANA)).toHaveLength(1);
  });

  it('shows help with the names Slack users type: default subcommands left out', async () => {
    slack.reset();
    await command(BEN, 'help');
    const help = await ephemeralTo(BEN, /mlsd-bot/);
    const blocks = JSON.stringify(help.body.blocks);
    expect(blocks).toContain('`/mlsd card [id]`');
    expect(blocks).toContain('`/mlsd stats [member]`');
    expect(blocks).toContain('`/mlsd daily schedule <time>');
    expect(blocks).not.toMatch(/\/mlsd (card|stats|case|framework|timezone) show/);
  });

  it('shows a case’s prompt without its reference, and a trade-off card', async () => {
    slack.reset();
    await command(ANA, 'case ad-click-prediction');
    const shown = await ephemeralTo(ANA, /Ad click/i);
    const blocks = JSON.stringify(shown.body.blocks);
    expect(blocks).toContain('What to answer');
    expect(blocks).not.toContain('Reference outline');
    await command(ANA, 'case no-such-case');
    await ephemeralTo(ANA, /There is no case "no-such-case"\. Cases: .*fraud-detection/);
    await command(BEN, 'card pr-auc-vs-roc-auc');
    const card = await ephemeralTo(BEN, /PR-AUC/);
    expect(JSON.stringify(card.body.blocks)).toContain('When to pick which');
    await command(ANA, 'framework data');
    const step = await ephemeralTo(ANA, /Step 3: Data preparation/);
    expect(JSON.stringify(step.body.blocks)).toContain('Common mistakes');
    // A random card (which may be the same one again): only calls after this command count.
    slack.reset();
    await command(BEN, 'card');
    await slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.body.user === BEN && JSON.stringify(call.body.blocks ?? '').includes('Recall first'),
    );
  });

  it('rejects a forged signature and a stale timestamp with 401 and changes nothing', async () => {
    slack.reset();
    const body = slashCommand({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: ANA,
      text: 'daily',
      triggerId: 'trig-forged',
    });
    const forged = await send(body, { contentType: 'application/x-www-form-urlencoded', badSignature: true });
    const stale = await send(body, {
      contentType: 'application/x-www-form-urlencoded',
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.calls.filter((call) => call.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('refuses a signed body over 1 MB with 413 and malformed JSON with a 4xx, and keeps serving', async () => {
    slack.reset();
    const huge = JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      padding: 'x'.repeat(2 * 1024 * 1024),
    });
    expect((await send(huge, { contentType: 'application/json' })).status).toBe(413);
    const malformed = await send('{"type": "event_callback", "event": {', {
      contentType: 'application/json',
    });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    const body = slashCommand({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: ANA,
      text: 'help',
      triggerId: 'trig-after-junk',
    });
    expect((await send(body, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    await slack.waitForCall('chat.postEphemeral', (call) => /mlsd-bot/.test(String(call.body.text)));
  });

  it('kept to Slack’s published limits in every call', () => {
    expect(slack.contractErrors).toEqual([]);
  });
});
