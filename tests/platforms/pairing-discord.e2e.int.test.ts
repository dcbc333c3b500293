import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, mockFeedback, pairings } from '../../src/db/schema/index.ts';
import { eventually, startTestBot, type TestBot } from '../helpers/bot.ts';
import {
  FAKE_IDS,
  type FakeDiscord,
  type RecordedRequest,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';

const text = (request: RecordedRequest) => JSON.stringify(request.body);

/** Peer mocks end to end on Discord: typed options, a private thread, the DM guide, buttons and the modal. */
describe('Discord: peer mock interviews', () => {
  let discord: FakeDiscord;
  let test: TestBot;
  let pairingId = 0;

  const callback = (interactionId: string) =>
    discord.waitForRequest((request) => request.path.startsWith(`/interactions/${interactionId}/`));
  const replies = (interactionId: string, pattern: RegExp) =>
    eventually(() =>
      discord.interactionResponses(interactionId).find((request) => pattern.test(text(request))),
    );

  beforeAll(async () => {
    discord = await startFakeDiscord();
    test = await startTestBot({ discordApiUrl: discord.apiUrl, discordApplicationId: discord.applicationId });
    await discord.waitForReady();
  });

  afterAll(async () => {
    await test?.stop();
    await discord?.close();
  });

  it('opts two members in with typed options', async () => {
    const owner = discord.sendInteraction({
      group: 'pair',
      subcommand: 'join',
      options: { level: 'staff', topics: 'ads,ranking', timezone: 'Asia/Kolkata' },
      userId: FAKE_IDS.owner,
    });
    expect(text(await callback(owner.id))).toMatch(/You're in for mock interviews here as staff/);
    // Discord reports no time zone: the one given here becomes the member's, for streak days too.
    const [row] = await test.db.select().from(members).where(eq(members.userId, FAKE_IDS.owner));
    expect(row?.timeZone).toBe('Asia/Kolkata');
    const member = discord.sendInteraction({
      group: 'pair',
      subcommand: 'join',
      options: { level: 'junior' },
      userId: FAKE_IDS.member,
    });
    expect(text(await callback(member.id))).toMatch(/You're in/);
  });

  it('runs a round for a Manage Server member: a private thread with both, the guide by DM to the interviewer', async () => {
    const now = discord.sendInteraction({
      group: 'pair',
      subcommand: 'now',
      manageGuild: true,
      userId: FAKE_IDS.owner,
    });
    expect(text(await callback(now.id))).toMatch(/Round started: 1 group/);
    const thread = await discord.waitForRequest(
      (request) => request.method === 'POST' && request.path === `/channels/${FAKE_IDS.general}/threads`,
    );
    expect((thread.body as { type: number }).type).toBe(12);
    await discord.waitForRequest(
      (request) => request.method === 'PUT' && request.path.includes(`/thread-members/${FAKE_IDS.member}`),
    );
    const intro = await discord.waitForRequest(
      (request) => request.method === 'POST' && /Mock interview/.test(text(request)),
    );
    const [row] = await test.db.select().from(pairings);
    pairingId = row?.id ?? 0;
    expect(text(intro)).toContain(`pair:status:${pairingId}:done`);
    const guide = await discord.waitForRequest(
      (request) => request.method === 'POST' && /Interviewer guide/.test(text(request)),
    );
    expect(guide.path).toMatch(/^\/channels\/\d+\/messages$/);
  });

  type Modal = {
    type: number;
    data: {
      custom_id: string;
      title: string;
      components: Array<{ type: number; label: string; component: Json }>;
    };
  };
  type Json = {
    type: number;
    custom_id: string;
    value?: string;
    options?: Array<{ value: string; default?: boolean }>;
  };
  const modalOf = async (interactionId: string) => (await callback(interactionId)).body as Modal;
  const continueButton = (request: RecordedRequest) =>
    /"custom_id":"(~form:\d+:\d+)"/.exec(text(request))?.[1] ?? '';

  it('opens the feedback form at once when Done is pressed: one select per step, in two modals', async () => {
    const done = discord.sendButton({
      customId: `pair:status:${pairingId}:done`,
      messageId: '1',
      userId: FAKE_IDS.owner,
    });
    const first = await modalOf(done.id);
    expect(first.type).toBe(9);
    expect(first.data.title).toMatch(/\(1\/2\)/);
    expect(first.data.custom_id).toMatch(/^~form:\d+:0$/);
    expect(first.data.components).toHaveLength(5);
    expect(first.data.components.map((label) => label.component.custom_id)).toEqual([
      'rating_clarify',
      'rating_frame',
      'rating_data',
      'rating_features',
      'rating_model',
    ]);
    expect(first.data.components.every((label) => label.type === 18 && label.component.type === 3)).toBe(
      true,
    );
    const [row] = await test.db.select().from(pairings).where(eq(pairings.id, pairingId));
    expect(row?.status).toBe('done');

    const page1 = discord.sendModalSubmit({
      customId: first.data.custom_id,
      userId: FAKE_IDS.owner,
      fields: {
        rating_clarify: '4',
        rating_frame: '3',
        rating_data: '3',
        rating_features: '2',
        rating_model: '3',
      },
    });
    const next = await replies(page1.id, /Part 1 of 2 kept/);
    const nextId = continueButton(next);
    expect(nextId).toMatch(/^~form:\d+:1$/);

    // Someone else cannot continue this member's form.
    const stranger = discord.sendButton({ customId: nextId, messageId: '1', userId: FAKE_IDS.member });
    expect(text(await callback(stranger.id))).toMatch(/no longer open/);

    const open2 = discord.sendButton({ customId: nextId, messageId: '1', userId: FAKE_IDS.owner });
    const second = await modalOf(open2.id);
    expect(second.data.title).toMatch(/\(2\/2\)/);
    expect(second.data.components.map((label) => label.component.custom_id)).toEqual([
      'rating_serving',
      'rating_monitoring',
      'communication',
      'strength',
      'improve',
    ]);
    // A problem the modal could not catch: nothing is sent, and "Fix and send" reopens it as typed.
    const blank = discord.sendModalSubmit({
      customId: second.data.custom_id,
      userId: FAKE_IDS.owner,
      fields: {
        rating_serving: '3',
        rating_monitoring: '2',
        communication: '4',
        strength: 'Great clarifying questions.',
        improve: '   ',
      },
    });
    const problem = await replies(blank.id, /Not sent yet/);
    expect(text(problem)).toMatch(/One thing to improve: Write one thing/);
    expect(await test.db.select().from(mockFeedback)).toHaveLength(0);
    const fix = discord.sendButton({
      customId: continueButton(problem),
      messageId: '1',
      userId: FAKE_IDS.owner,
    });
    const reopened = await modalOf(fix.id);
    const strength = reopened.data.components.find((label) => label.component.custom_id === 'strength');
    expect(strength?.component.value).toBe('Great clarifying questions.');
    const serving = reopened.data.components.find((label) => label.component.custom_id === 'rating_serving');
    expect(serving?.component.options?.find((option) => option.default)?.value).toBe('3');

    const sent = discord.sendModalSubmit({
      customId: reopened.data.custom_id,
      userId: FAKE_IDS.owner,
      fields: {
        rating_serving: '3',
        rating_monitoring: '2',
        communication: '4',
        strength: 'Great clarifying questions.',
        improve: 'Quantify the latency budget.',
      },
    });
    await replies(sent.id, /your feedback went to/);
    const dm = await discord.waitForRequest(
      (request) => request.method === 'POST' && /Feedback on your mock/.test(text(request)),
    );
    expect(text(dm)).toMatch(/Quantify the latency budget/);
    const saved = await test.db.select().from(mockFeedback);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.ratings).toEqual({
      clarify: 4,
      frame: 3,
      data: 3,
      features: 2,
      model: 3,
      serving: 3,
      monitoring: 2,
    });
  });

  it('does not open the form again for someone whose feedback is in', async () => {
    const again = discord.sendButton({
      customId: `pair:feedback:${pairingId}`,
      messageId: '1',
      userId: FAKE_IDS.owner,
    });
    expect(text(await callback(again.id))).toMatch(/feedback for this mock is saved/);
  });

  it('kept every REST body within Discord’s published contract', () => {
    expect(discord.contractErrors).toEqual([]);
  });
});
