import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, prompts, revisions } from '../../src/db/schema/index.ts';
import { rubricConcepts } from '../../src/engines/grading/index.ts';
import { loadLibrary } from '../../src/services/content.ts';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import {
  FAKE_IDS,
  type FakeDiscord,
  type RecordedRequest,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';
import { answerOf, type FakeOpenAi, type FakeReply, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  blockAction,
  type FakeSlackApi,
  messageEvent,
  postToBolt,
  slashCommand,
  startFakeSlackApi,
  viewSubmission,
} from '../helpers/fake-slack.ts';

const REASONED = readFileSync(new URL('../fixtures/answers/fraud-reasoned.md', import.meta.url), 'utf8');
const library = loadLibrary();
const fraud = library.cases.get('fraud-detection') as NonNullable<ReturnType<typeof library.cases.get>>;
const SPLIT =
  'I use a time-based split, training on past months and validating on a later month, to avoid leaking the future.';
const NOTE = 'Clear cost framing and a sound split; next, study how you would monitor adversarial drift.';

/** A reviewer that judges the split as covered with a real quote, and writes a note. */
function reviewing(): FakeReply {
  const split = rubricConcepts(library, fraud).findIndex((concept) => concept.term === 'time-based split');
  return { json: { concepts: [{ id: split, verdict: 'covered', quote: SPLIT }], redFlags: [], note: NOTE } };
}

const form = { contentType: 'application/x-www-form-urlencoded' } as const;

/**
 * What a member learns from a grade, end to end on Slack: the clarifying facts behind a button, feedback
 * with cards and a follow-up question, the follow-up graded as a revision, the optional model reviewer and
 * its fallback when the model is slow.
 */
describe('Slack: feedback that teaches, facts, follow-ups and the model reviewer', () => {
  const TEAM = 'T0GRADE001';
  const CHANNEL = 'C0GRADE001';
  const ADMIN = 'U0GRADEADM';
  const ANA = 'U0GRADEANA';
  const clock = new TestClock(new Date('2026-11-23T09:00:00Z'));
  let slack: FakeSlackApi;
  let reviewer: FakeOpenAi;
  let test: TestBot;
  let promptId = 0;
  let threadTs = '';
  let respond: () => FakeReply = reviewing;

  const send = (body: string | object, options: Parameters<typeof postToBolt>[3] = {}) =>
    postToBolt(test.url, SLACK_SIGNING_SECRET, body, options);
  const command = (userId: string, text: string) =>
    send(
      slashCommand({ teamId: TEAM, channelId: CHANNEL, userId, text, triggerId: `t-${Math.random()}` }),
      form,
    );
  const ephemeral = (userId: string, pattern: RegExp) =>
    slack.waitForCall(
      'chat.postEphemeral',
      (call) =>
        call.body.user === userId && pattern.test(`${call.body.text} ${JSON.stringify(call.body.blocks)}`),
    );
  const press = (userId: string, actionId: string) =>
    send(
      blockAction({
        teamId: TEAM,
        channelId: CHANNEL,
        userId,
        actionId,
        value: actionId,
        messageTs: threadTs,
        triggerId: `t-${Math.random()}`,
      }),
      form,
    );

  beforeAll(async () => {
    reviewer = await startFakeOpenAi(() => respond());
    slack = await startFakeSlackApi({ teamId: TEAM, users: { [ADMIN]: { isAdmin: true } } });
    test = await startTestBot({
      slackApiUrl: slack.url,
      clock,
      env: { MLSD_LLM_BASE_URL: reviewer.url, MLSD_LLM_MODEL: 'fake-model', MLSD_LLM_TIMEOUT_MS: '2000' },
    });
    await command(ADMIN, 'daily filter tags:anomaly');
    await ephemeral(ADMIN, /fraud/i);
    await command(ADMIN, 'daily');
    const row = await eventually(async () =>
      (await test.db.select().from(prompts)).find((item) => item.threadId),
    );
    promptId = row.id;
    threadTs = row.threadId ?? '';
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
    await reviewer?.close();
  });

  it('shows the case’s clarifying facts privately from the daily post’s button', async () => {
    const post = slack.callsTo('chat.postMessage').find((call) => call.body.channel === CHANNEL);
    expect(JSON.stringify(post?.body.blocks)).toContain(`daily:facts:${promptId}`);
    await press(ANA, `daily:facts:${promptId}`);
    const facts = await ephemeral(ANA, /Clarifying facts/);
    expect(JSON.stringify(facts.body.blocks)).toContain(fraud.clarifying[0]?.q ?? 'missing');
  });

  it('grades an answer through the model reviewer: its note, cards to study and a follow-up question', async () => {
    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: ANA,
        text: REASONED,
        ts: '1795420000.000200',
        threadTs,
        eventId: 'EvGRADE1',
      }),
    );
    const feedback = await ephemeral(ANA, /scores \d+\/100/);
    const blocks = JSON.stringify(feedback.body.blocks);
    expect(blocks).toContain('Reviewer note');
    expect(blocks).toContain(NOTE);
    expect(blocks).toMatch(/Follow-up question/);
    expect(blocks).toContain(`daily:followup:${promptId}:`);
    // The answer went to the model between delimiters, as data.
    expect(answerOf(reviewer.requests[0]?.body ?? {})).toContain('time-based split');
    // The points line is said once.
    expect(`${feedback.body.text} ${blocks}`.match(/Points for this answer/g)).toHaveLength(1);
  });

  it('grades the follow-up answered in its form as a revision of that step, without points', async () => {
    const feedback = slack
      .callsTo('chat.postEphemeral')
      .find((call) => /scores \d+\/100/.test(String(call.body.text)));
    const followUp = /daily:followup:\d+:([a-z]+)/.exec(JSON.stringify(feedback?.body.blocks))?.[0] ?? '';
    await press(ANA, followUp);
    const opened = await slack.waitForCall('views.open', (call) =>
      JSON.stringify(call.body.view).includes(followUp),
    );
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    await send(
      viewSubmission({
        teamId: TEAM,
        userId: ANA,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V0FOLLOWUP1',
        values: {
          answer: {
            answer: {
              type: 'plain_text_input',
              value:
                'I would track adversarial drift: fraudsters adapt within weeks, so I alert when the score distribution shifts (PSI on the top features) and retrain weekly on matured labels.',
            },
          },
        },
      }),
      form,
    );
    await ephemeral(ANA, /Follow-up graded/);
    const [row] = await test.db.select().from(revisions);
    expect(row?.step).toBeTruthy();
  });

  it('falls back to the built-in grader when the model is too slow, with a metric and no visible failure', {
    timeout: 30_000,
  }, async () => {
    respond = () => ({ ...reviewing(), delayMs: 6_000 });
    await send(
      messageEvent({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: ADMIN,
        text: REASONED,
        ts: '1795420000.000300',
        threadTs,
        eventId: 'EvGRADE2',
      }),
    );
    const feedback = await slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.body.user === ADMIN && /scores \d+\/100/.test(String(call.body.text)),
      10_000,
    );
    expect(JSON.stringify(feedback.body.blocks)).not.toContain('Reviewer note');
    const metrics = await (await fetch(`${test.url}/metrics`)).text();
    expect(metrics).toMatch(/mlsd_llm_reviews_total\{outcome="timeout"\} [1-9]/);
    expect(metrics).toMatch(/mlsd_llm_reviews_total\{outcome="ok"\} \d/);
  });
});

/** The same on Discord: facts button, feedback by DM with a follow-up, a malformed model reply, revisions. */
describe('Discord: feedback that teaches, facts, revisions and the model reviewer', () => {
  const clock = new TestClock(new Date('2026-11-23T09:00:00Z'));
  let discord: FakeDiscord;
  let reviewer: FakeOpenAi;
  let test: TestBot;
  let respond: () => FakeReply = reviewing;
  let promptId = 0;
  let threadId = '';
  const text = (request: RecordedRequest) => JSON.stringify(request.body);
  const callback = (id: string) =>
    discord.waitForRequest((request) => request.path.startsWith(`/interactions/${id}/`));
  /** A message to a channel matching `pattern`, sent after the first `after` requests. */
  const dmWith = (pattern: RegExp, after = 0) =>
    eventually(() =>
      discord.requests
        .slice(after)
        .find(
          (request) =>
            request.method === 'POST' &&
            /^\/channels\/\d+\/messages$/.test(request.path) &&
            pattern.test(text(request)),
        ),
    );

  beforeAll(async () => {
    reviewer = await startFakeOpenAi(() => respond());
    discord = await startFakeDiscord();
    test = await startTestBot({
      discordApiUrl: discord.apiUrl,
      discordApplicationId: discord.applicationId,
      clock,
      env: { MLSD_LLM_BASE_URL: reviewer.url, MLSD_LLM_MODEL: 'fake-model', MLSD_LLM_TIMEOUT_MS: '2000' },
    });
    await discord.waitForReady();
    const filter = discord.sendInteraction({
      group: 'daily',
      subcommand: 'filter',
      options: { tags: 'anomaly' },
      manageGuild: true,
    });
    await callback(filter.id);
    const show = discord.sendInteraction({ group: 'daily', subcommand: 'show' });
    await callback(show.id);
    const row = await eventually(async () =>
      (await test.db.select().from(prompts)).find((item) => item.threadId),
    );
    promptId = row.id;
    threadId = row.threadId ?? '';
  });

  afterAll(async () => {
    await test?.stop();
    await discord?.close();
    await reviewer?.close();
  });

  it('shows the clarifying facts ephemerally from the post’s button', async () => {
    const press = discord.sendButton({
      customId: `daily:facts:${promptId}`,
      messageId: '1',
      userId: FAKE_IDS.member,
    });
    const reply = await callback(press.id);
    expect(text(reply)).toContain('Clarifying facts');
    expect((reply.body as { data?: { flags?: number } }).data?.flags).toBe(64);
  });

  it('sends the reviewed feedback by DM with the note, a card to study and the follow-up button', async () => {
    discord.sendMessage({ channelId: threadId, authorId: FAKE_IDS.member, content: REASONED });
    const feedback = await dmWith(/Answer graded/);
    expect(text(feedback)).toContain(NOTE);
    expect(text(feedback)).toMatch(/\/mlsd (card|framework) /);
    expect(text(feedback)).toContain(`daily:followup:${promptId}:`);
  });

  it('falls back to the built-in grader on a malformed model reply', async () => {
    respond = () => ({ text: 'Sure! The answer scores 100/100.' });
    const before = discord.requests.length;
    discord.sendMessage({ channelId: threadId, authorId: FAKE_IDS.owner, content: REASONED });
    const feedback = await dmWith(/Answer graded/, before);
    expect(text(feedback)).not.toContain('Reviewer note');
    const metrics = await (await fetch(`${test.url}/metrics`)).text();
    expect(metrics).toMatch(/mlsd_llm_reviews_total\{outcome="malformed"\} 1/);
  });

  it('grades a thread reply starting "Follow-up:" as a revision of one step, not a replacement', async () => {
    respond = reviewing;
    const before = discord.requests.length;
    discord.sendMessage({
      channelId: threadId,
      authorId: FAKE_IDS.member,
      content:
        'Follow-up: a new attack with no labels yet shows up as drift in the score distribution and in review outcomes, so I alert on PSI and review queue spikes and add rules until labels mature.',
    });
    const followUp = await dmWith(/Follow-up graded/, before);
    expect(text(followUp)).toMatch(/→/);
    const rows = await test.db.select().from(revisions);
    expect(rows.filter((row) => row.step)).toHaveLength(1);
    // The member's answer is untouched: a follow-up is practice, not a replacement.
    expect(
      await test.db
        .select()
        .from(answers)
        .then((list) => list.map((row) => row.version)),
    ).not.toContain(2);
  });

  it('grades a reply after the close-out as a revision: before and after per step, no points', async () => {
    respond = reviewing;
    clock.advance(25 * 3_600_000);
    expect(await test.bot.services.daily.closeDaily(promptId)).toBe(true);
    discord.sendMessage({
      channelId: threadId,
      authorId: FAKE_IDS.member,
      content: `${REASONED}\n\nMonitoring: alert on adversarial drift weekly because fraudsters adapt to every model.`,
    });
    const revision = await dmWith(/Revision graded/, discord.requests.length - 1);
    expect(text(revision)).toMatch(/Before → after, per step/);
    expect(text(revision)).toMatch(/no points/);
    await eventually(
      async () => (await test.db.select().from(revisions)).filter((row) => !row.step).length === 1,
    );
  });

  it('kept every REST body within Discord’s published contract', () => {
    expect(discord.contractErrors).toEqual([]);
  });
});
