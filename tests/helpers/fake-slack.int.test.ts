/**
 * Proves the fake Slack against the real @slack/bolt App: every payload kind goes through Bolt's own
 * HTTP receiver (signature check included) or its Socket Mode client, and the Web API calls Bolt makes
 * in response land in the fake.
 */
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type ButtonAction, LogLevel } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  blockAction,
  type FakeSlackApi,
  messageEvent,
  postToBolt,
  slashCommand,
  slashCommandPayload,
  startFakeSlackApi,
  urlVerification,
  validateSlackManifest,
  viewSubmission,
} from './fake-slack.ts';

const SIGNING_SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0DAILY001';
const MEMBER = 'U0MEMBER01';
const ADMIN = 'U0ADMIN001';

/** What the listeners observed, for assertions about Bolt's context. */
type Seen = { botUserId?: string; retries: Array<{ ts: string; retryNum?: number; retryReason?: string }> };

/** Bolt mutates the clientOptions it is given (it adds its logger), so each App gets a fresh object. */
function clientOptionsFor(fake: FakeSlackApi) {
  return { slackApiUrl: fake.url, retryConfig: { retries: 0 } };
}

/** A message shaped like the daily prompt: blocks plus the text fallback Slack asks for. */
function dailyPrompt(caseName: string) {
  return {
    text: `Today's case: ${caseName}`,
    blocks: [
      { type: 'section', block_id: 'prompt', text: { type: 'mrkdwn', text: `*Today's case:* ${caseName}` } },
      {
        type: 'actions',
        block_id: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'daily_reveal',
            text: { type: 'plain_text', text: 'Reveal' },
            value: 'r',
          },
          {
            type: 'button',
            action_id: 'daily_answer',
            text: { type: 'plain_text', text: 'Answer' },
            value: 'a',
          },
        ],
      },
    ],
  };
}

describe('fake Slack Web API behind the real Bolt App in HTTP mode', () => {
  let fake: FakeSlackApi;
  let app: App;
  let boltUrl: string;
  const seen: Seen = { retries: [] };

  beforeAll(async () => {
    fake = await startFakeSlackApi({ users: { [ADMIN]: { isAdmin: true, tz: 'America/New_York' } } });
    app = new App({
      signingSecret: SIGNING_SECRET,
      token: BOT_TOKEN,
      logLevel: LogLevel.ERROR,
      clientOptions: clientOptionsFor(fake),
    });
    registerListeners(app, seen);
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    boltUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('answers the auth.test Bolt makes while constructing the App, and Bolt uses its bot user id', async () => {
    const authTest = await fake.waitForCall('auth.test');
    expect(authTest.token).toBe(BOT_TOKEN);

    const command = slashCommand({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      text: 'news feed',
    });
    await postToBolt(boltUrl, SIGNING_SECRET, command);
    await fake.waitForCall('chat.postMessage');
    expect(seen.botUserId).toBe(fake.botUserId);
  });

  it('acks a signed /mlsd command with 200 and records the message it posts', async () => {
    const body = slashCommand({ teamId: fake.teamId, channelId: CHANNEL, userId: MEMBER, text: 'news feed' });
    const response = await postToBolt(boltUrl, SIGNING_SECRET, body);

    expect(response.status).toBe(200);
    const post = await fake.waitForCall('chat.postMessage');
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.body).toMatchObject({ channel: CHANNEL, text: "Today's case: news feed" });
    expect(post.body.blocks).toHaveLength(2);
    expect(fake.contractErrors).toEqual([]);
  });

  it('opens a modal from a command through views.open with the trigger id', async () => {
    const body = slashCommand({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      text: 'answer',
      triggerId: '123.456.abc',
    });
    await postToBolt(boltUrl, SIGNING_SECRET, body);

    const open = await fake.waitForCall('views.open');
    expect(open.body.trigger_id).toBe('123.456.abc');
    expect(open.body.view).toMatchObject({ type: 'modal', callback_id: 'answer_modal' });
    expect(fake.contractErrors).toEqual([]);
  });

  it('delivers a message event to app.message, which replies in the thread', async () => {
    const event = messageEvent({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      text: 'my answer',
      ts: '1700000100.000200',
      threadTs: '1700000000.000100',
    });
    const response = await postToBolt(boltUrl, SIGNING_SECRET, event);

    expect(response.status).toBe(200);
    const reply = await fake.waitForCall('chat.postMessage');
    expect(reply.body).toMatchObject({ channel: CHANNEL, thread_ts: '1700000000.000100' });
    expect(fake.contractErrors).toEqual([]);
  });

  it('passes x-slack-retry-num and x-slack-retry-reason to listeners as context, without deduplicating', async () => {
    const event = messageEvent({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      text: 'again',
      ts: '1700000200.000300',
    });
    await postToBolt(boltUrl, SIGNING_SECRET, event, { retryNum: 1, retryReason: 'http_timeout' });

    await fake.waitForCall('chat.postMessage', (call) => call.body.thread_ts === '1700000200.000300');
    expect(seen.retries).toContainEqual({
      ts: '1700000200.000300',
      retryNum: 1,
      retryReason: 'http_timeout',
    });
  });

  it("drops the bot's own messages (ignoreSelf) using the user id from auth.test", async () => {
    const own = messageEvent({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: fake.botUserId,
      text: 'me',
      ts: '1700000300.000100',
    });
    const other = messageEvent({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      text: 'you',
      ts: '1700000300.000200',
    });
    await postToBolt(boltUrl, SIGNING_SECRET, own);
    await postToBolt(boltUrl, SIGNING_SECRET, other);

    await fake.waitForCall('chat.postMessage', (call) => call.body.thread_ts === '1700000300.000200');
    expect(fake.callsTo('chat.postMessage').map((call) => call.body.thread_ts)).toEqual([
      '1700000300.000200',
    ]);
  });

  it('delivers a button click to app.action, which updates the message and answers its response_url', async () => {
    const body = blockAction({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      actionId: 'daily_reveal',
      value: 'case-42',
      messageTs: '1700000000.000100',
      responseUrl: fake.responseUrl(),
    });
    const response = await postToBolt(boltUrl, SIGNING_SECRET, body);

    expect(response.status).toBe(200);
    const update = await fake.waitForCall('chat.update');
    expect(update.body).toMatchObject({
      channel: CHANNEL,
      ts: '1700000000.000100',
      text: 'Revealed case-42',
    });
    const responded = await fake.waitForCall('response_url');
    expect(responded.body).toMatchObject({ text: 'Rubric for case-42', response_type: 'ephemeral' });
    expect(fake.contractErrors).toEqual([]);
  });

  it('delivers a modal submission to app.view with its private metadata and state values', async () => {
    const body = viewSubmission({
      teamId: fake.teamId,
      userId: MEMBER,
      callbackId: 'answer_modal',
      privateMetadata: JSON.stringify({ channel: CHANNEL }),
      values: { answer: { text: { type: 'plain_text_input', value: 'two-tower retrieval' } } },
    });
    const response = await postToBolt(boltUrl, SIGNING_SECRET, body);

    expect(response.status).toBe(200);
    const post = await fake.waitForCall('chat.postMessage');
    expect(post.body).toMatchObject({ channel: CHANNEL, text: `<@${MEMBER}> answered: two-tower retrieval` });
    expect(fake.contractErrors).toEqual([]);
  });

  it('answers url_verification with the challenge', async () => {
    const response = await postToBolt(boltUrl, SIGNING_SECRET, urlVerification('challenge-123'));

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ challenge: 'challenge-123' });
  });

  it('rejects a forged signature with 401 and calls no listener', async () => {
    const body = slashCommand({ teamId: fake.teamId, channelId: CHANNEL, userId: MEMBER, text: 'forged' });
    const response = await postToBolt(boltUrl, SIGNING_SECRET, body, { badSignature: true });

    expect(response.status).toBe(401);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('rejects a correctly signed request whose timestamp is 6 minutes old with 401', async () => {
    const body = slashCommand({ teamId: fake.teamId, channelId: CHANNEL, userId: MEMBER, text: 'stale' });
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await postToBolt(boltUrl, SIGNING_SECRET, body, { timestamp: sixMinutesAgo });

    expect(response.status).toBe(401);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('completes client.files.uploadV2 end to end on loopback', async () => {
    const result = await app.client.files.uploadV2({
      channel_id: CHANNEL,
      content: 'member,points\nada,12\n',
      filename: 'leaderboard.csv',
      title: 'Leaderboard',
    });

    expect(result.ok).toBe(true);
    expect(fake.uploads.map((upload) => upload.bytes.toString())).toEqual(['member,points\nada,12\n']);
    const complete = await fake.waitForCall('files.completeUploadExternal');
    expect(complete.body).toMatchObject({ channel_id: CHANNEL, files: [{ id: fake.uploads[0]?.fileId }] });
    expect(fake.contractErrors).toEqual([]);
  });

  it('answers users.info from the configured users, defaulting to a non-admin in Europe/London', async () => {
    const admin = await app.client.users.info({ user: ADMIN });
    const member = await app.client.users.info({ user: MEMBER });

    expect(admin.user).toMatchObject({ id: ADMIN, is_admin: true, tz: 'America/New_York' });
    expect(member.user).toMatchObject({ id: MEMBER, is_admin: false, is_owner: false, tz: 'Europe/London' });
  });

  it('gives the same group DM id for the same users in any order', async () => {
    const first = await app.client.conversations.open({ users: `${MEMBER},${ADMIN}` });
    const second = await app.client.conversations.open({ users: `${ADMIN},${MEMBER}` });

    expect(first.channel?.id).toMatch(/^D/);
    expect(second.channel?.id).toBe(first.channel?.id);
  });

  it('lets a test override a response with on()', async () => {
    fake.on('users.info', { ok: false, error: 'user_not_found' });

    await expect(app.client.users.info({ user: MEMBER })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('answers unknown methods with unknown_method and records a contract error', async () => {
    await expect(app.client.apiCall('mlsd.nonsense')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });

    expect(fake.contractErrors).toEqual([expect.stringContaining('mlsd.nonsense')]);
  });

  it('records Block Kit contract breaches without failing the call', async () => {
    const section = { type: 'section', block_id: 'same', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } };
    await app.client.chat.postMessage({
      channel: CHANNEL,
      blocks: [section, { type: 'divider', block_id: 'same' }],
    });
    await app.client.views.open({
      trigger_id: '1.2.3',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'A title that is far too long' },
        blocks: [],
      },
    });

    expect(fake.contractErrors).toEqual([
      'chat.postMessage: `blocks` without a top-level `text` fallback',
      'chat.postMessage: section 0 text is 3001 chars (limit 3000)',
      'chat.postMessage: duplicate block_id "same" (block 1)',
      'views.open: modal title "A title that is far too long" is 28 chars (limit 24)',
    ]);
  });
});

describe('fake Slack Socket Mode endpoint with the real Bolt App', () => {
  let fake: FakeSlackApi;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeSlackApi();
    app = new App({
      token: BOT_TOKEN,
      appToken: 'xapp-1-A0MLSDAPP1-1-test',
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: clientOptionsFor(fake),
    });
    app.command('/mlsd', async ({ ack, command, say }) => {
      await ack();
      await say({ text: `socket: ${command.text}` });
    });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.socket.waitForDisconnect();
    await fake?.close();
  });

  it('connects through apps.connections.open with the app-level token', async () => {
    const open = await fake.waitForCall('apps.connections.open');

    expect(open.token).toBe('xapp-1-A0MLSDAPP1-1-test');
    expect(fake.socket.connectionCount()).toBe(1);
  });

  it('delivers a slash_commands envelope, receives its ack and the Web API call that follows', async () => {
    const payload = slashCommandPayload({
      teamId: fake.teamId,
      channelId: CHANNEL,
      userId: MEMBER,
      text: 'ads ranking',
    });
    const envelopeId = fake.socket.send({ type: 'slash_commands', payload });

    const ack = await fake.socket.waitForAck(envelopeId);
    expect(ack.envelope_id).toBe(envelopeId);
    const post = await fake.waitForCall('chat.postMessage');
    expect(post.body).toMatchObject({ channel: CHANNEL, text: 'socket: ads ranking' });
    expect(fake.contractErrors).toEqual([]);
  });
});

/** Listeners that stand in for the real adapter: each answers one payload kind with Web API calls. */
function registerListeners(app: App, seen: Seen): void {
  app.command('/mlsd', async ({ ack, command, client, context }) => {
    await ack();
    seen.botUserId = context.botUserId;
    if (command.text === 'answer') {
      await client.views.open({ trigger_id: command.trigger_id, view: answerModal(command.channel_id) });
      return;
    }
    await client.chat.postMessage({ channel: command.channel_id, ...dailyPrompt(command.text) });
  });

  app.message(async ({ message, say, context }) => {
    if (message.subtype !== undefined) return;
    seen.retries.push({ ts: message.ts, retryNum: context.retryNum, retryReason: context.retryReason });
    await say({ text: 'Answer recorded', thread_ts: message.thread_ts ?? message.ts });
  });

  app.action<BlockAction<ButtonAction>>('daily_reveal', async ({ ack, action, body, client, respond }) => {
    await ack();
    if (!body.channel || !body.message) return;
    await client.chat.update({
      channel: body.channel.id,
      ts: body.message.ts,
      text: `Revealed ${action.value}`,
    });
    await respond({ text: `Rubric for ${action.value}`, response_type: 'ephemeral' });
  });

  app.view('answer_modal', async ({ ack, view, body, client }) => {
    await ack();
    const { channel } = JSON.parse(view.private_metadata) as { channel: string };
    const answer = view.state.values.answer?.text?.value ?? '';
    await client.chat.postMessage({ channel, text: `<@${body.user.id}> answered: ${answer}` });
  });
}

function answerModal(channel: string) {
  return {
    type: 'modal' as const,
    callback_id: 'answer_modal',
    private_metadata: JSON.stringify({ channel }),
    title: { type: 'plain_text' as const, text: 'Your answer' },
    submit: { type: 'plain_text' as const, text: 'Submit' },
    blocks: [
      {
        type: 'input' as const,
        block_id: 'answer',
        label: { type: 'plain_text' as const, text: 'Answer' },
        element: { type: 'plain_text_input' as const, action_id: 'text', multiline: true },
      },
    ],
  };
}

describe('validateSlackManifest', () => {
  it('accepts a minimal manifest', () => {
    expect(validateSlackManifest({ display_information: { name: 'mlsd-bot' } })).toEqual([]);
  });

  it('rejects a missing display_information and a non-hex background colour', () => {
    expect(validateSlackManifest({ features: {} })).toEqual([expect.stringContaining('display_information')]);
    const badColour = { display_information: { name: 'mlsd-bot', background_color: 'blue' } };
    expect(validateSlackManifest(badColour)).toEqual([
      expect.stringContaining('/display_information/background_color'),
    ]);
  });
});
