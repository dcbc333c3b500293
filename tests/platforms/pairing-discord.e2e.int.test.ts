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

  it('takes Done from a button and feedback from a modal, delivered to the candidate by DM', async () => {
    const done = discord.sendButton({
      customId: `pair:status:${pairingId}:done`,
      messageId: '1',
      userId: FAKE_IDS.owner,
    });
    expect(text(await callback(done.id))).toMatch(/Marked done/);
    const open = discord.sendButton({
      customId: `pair:feedback:${pairingId}`,
      messageId: '1',
      userId: FAKE_IDS.owner,
    });
    const modal = await callback(open.id);
    expect((modal.body as { type: number }).type).toBe(9);
    const submit = discord.sendModalSubmit({
      customId: `pair:feedback:${pairingId}`,
      userId: FAKE_IDS.owner,
      fields: {
        ratings: '4,3,3,2,3,3,2',
        communication: '4',
        strength: 'Great clarifying questions.',
        improve: 'Quantify the latency budget.',
      },
    });
    await replies(submit.id, /your feedback went to/);
    await discord.waitForRequest(
      (request) => request.method === 'POST' && /Feedback on your mock/.test(text(request)),
    );
    expect(await test.db.select().from(mockFeedback)).toHaveLength(1);
  });

  it('kept every REST body within Discord’s published contract', () => {
    expect(discord.contractErrors).toEqual([]);
  });
});
