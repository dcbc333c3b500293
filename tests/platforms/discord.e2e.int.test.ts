import { readFileSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, members, pointEvents, prompts } from '../../src/db/schema/index.ts';
import { registerCommands } from '../../src/platforms/discord/commands.ts';
import { eventually, startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import {
  FAKE_IDS,
  type FakeDiscord,
  type RecordedRequest,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';

const REASONED = readFileSync(new URL('../fixtures/answers/fraud-reasoned.md', import.meta.url), 'utf8');
const EPHEMERAL = 64;

type Body = {
  type?: number;
  content?: string;
  flags?: number;
  embeds?: Array<{ title?: string; description?: string; fields?: Array<{ name: string; value: string }> }>;
  components?: Array<{ components: Array<{ custom_id?: string; label?: string }> }>;
  data?: Body & { custom_id?: string; title?: string };
};

const body = (request: RecordedRequest) => request.body as Body;
const text = (request: RecordedRequest) => JSON.stringify(request.body);

/**
 * The daily loop end to end through the real discord.js client: a fake gateway on 127.0.0.1 dispatches
 * interactions and thread messages; every REST body the bot sends is validated against Discord's OpenAPI.
 */
describe('Discord: the daily loop end to end', () => {
  let discord: FakeDiscord;
  let test: TestBot;
  const clock = new TestClock();
  let promptId = 0;
  let threadId = '';
  let answerMessageId = '';
  let postId = '';

  const callback = (interactionId: string) =>
    discord.waitForRequest((request) => request.path.startsWith(`/interactions/${interactionId}/`));
  const replies = async (interactionId: string, pattern: RegExp) =>
    eventually(() =>
      discord.interactionResponses(interactionId).find((request) => pattern.test(text(request))),
    );

  beforeAll(async () => {
    discord = await startFakeDiscord();
    test = await startTestBot({
      discordApiUrl: discord.apiUrl,
      discordApplicationId: discord.applicationId,
      clock,
    });
    await discord.waitForReady();
  });

  afterAll(async () => {
    await test?.stop();
    await discord?.close();
  });

  it('connects with the intents the features need and registers /mlsd with typed options', async () => {
    const [identify] = discord.identifies;
    expect(identify?.intents).toBeGreaterThan(0);
    await registerCommands(
      test.bot.discord?.client.rest as never,
      test.bot.registry,
      discord.applicationId,
      FAKE_IDS.guild,
    );
    const [command] = discord.commands(FAKE_IDS.guild);
    expect(command?.name).toBe('mlsd');
    const daily = command?.options?.find((option) => option.name === 'daily') as {
      options?: Array<{ name: string; options?: Array<{ name: string; type: number }> }>;
    };
    const schedule = daily.options?.find((option) => option.name === 'schedule');
    expect(schedule?.options?.map((option) => option.name)).toEqual(['time', 'timezone', 'days', 'deadline']);
  });

  it('refuses a non-admin filter naming who may, and accepts one from a Manage Server member', async () => {
    const denied = discord.sendInteraction({
      group: 'daily',
      subcommand: 'filter',
      options: { tags: 'anomaly' },
      userId: FAKE_IDS.member,
    });
    const refusal = await callback(denied.id);
    expect(body(refusal).data?.flags).toBe(EPHEMERAL);
    expect(text(refusal)).toMatch(/Manage Server/);
    const allowed = discord.sendInteraction({
      group: 'daily',
      subcommand: 'filter',
      options: { tags: 'anomaly' },
      manageGuild: true,
    });
    expect(text(await callback(allowed.id))).toMatch(/fraud/i);
  });

  it('posts today’s prompt as an embed with a button and a thread, and points the caller to it', async () => {
    const interaction = discord.sendInteraction({ group: 'daily', subcommand: 'show' });
    const post = await discord.waitForRequest(
      (request) => request.method === 'POST' && request.path === `/channels/${FAKE_IDS.general}/messages`,
    );
    expect(body(post).embeds?.[0]?.title).toMatch(/Daily case: Payment fraud detection/);
    const button = body(post).components?.[0]?.components[0];
    expect(button?.label).toBe('Submit answer');
    const thread = await discord.waitForRequest(
      (request) => request.method === 'POST' && /\/threads$/.test(request.path),
    );
    expect(thread.path).toMatch(new RegExp(`^/channels/${FAKE_IDS.general}/messages/\\d+/threads$`));
    const pointer = await callback(interaction.id);
    expect(body(pointer).data?.flags).toBe(EPHEMERAL);
    expect(text(pointer)).toMatch(/Today's case is/);
    const [row] = await test.db.select().from(prompts);
    promptId = row?.id ?? 0;
    threadId = row?.threadId ?? '';
    postId = row?.messageId ?? '';
    expect(button?.custom_id).toBe(`daily:answer:${promptId}`);
    expect(threadId).not.toBe('');
  });

  it('treats `/mlsd daily` sent as a plain subcommand like the group default, without a second post', async () => {
    const before = discord.requestsTo('POST', new RegExp(`^/channels/${FAKE_IDS.general}/messages$`)).length;
    const interaction = discord.sendInteraction({ subcommand: 'daily', userId: FAKE_IDS.owner });
    expect(text(await callback(interaction.id))).toMatch(/Today's case is/);
    expect(discord.requestsTo('POST', new RegExp(`^/channels/${FAKE_IDS.general}/messages$`))).toHaveLength(
      before,
    );
  });

  it('grades a reply in the thread and sends the feedback by DM, once even if the event arrives twice', async () => {
    const message = discord.sendMessage({
      channelId: threadId,
      authorId: FAKE_IDS.member,
      content: REASONED,
    });
    answerMessageId = message.id;
    const dm = await discord.waitForRequest(
      (request) => request.method === 'POST' && request.path === '/users/@me/channels',
    );
    expect((dm.body as { recipient_id: string }).recipient_id).toBe(FAKE_IDS.member);
    const feedback = await discord.waitForRequest(
      (request) =>
        request.method === 'POST' &&
        /^\/channels\/\d+\/messages$/.test(request.path) &&
        /Answer graded/.test(text(request)),
    );
    expect(text(feedback)).toContain('Coverage per step');
    discord.dispatch('MESSAGE_CREATE', message);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discord.requests.filter((request) => /Answer graded/.test(text(request)))).toHaveLength(1);
    const rows = await test.db.select().from(answers);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.score).toBeGreaterThan(50);
  });

  it('ignores messages from bots in the thread', async () => {
    const before = discord.requests.length;
    discord.sendMessage({
      channelId: threadId,
      authorId: '1100000000000000999',
      content: REASONED,
      isBot: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discord.requests.slice(before).filter((request) => request.method === 'POST')).toHaveLength(0);
    expect(await test.db.select().from(answers)).toHaveLength(1);
  });

  it('counts a 👍 from another member on an answer as an upvote, once, and not the author’s own', async () => {
    const upvotes = async () =>
      (await test.db.select().from(pointEvents)).filter((row) => row.kind === 'answer-upvote');
    const react = (userId: string, emoji: string) =>
      discord.sendReaction({ channelId: threadId, messageId: answerMessageId, userId, emoji });
    // Delivered at all only because the bot asked for the reactions intent.
    expect(react(FAKE_IDS.member, '👍')).toBe(1);
    react(FAKE_IDS.owner, '🎉');
    react(FAKE_IDS.owner, '👍🏽');
    react(FAKE_IDS.owner, '👍🏽');
    const rows = await eventually(async () => ((await upvotes()).length > 0 ? upvotes() : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await upvotes()).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      points: 2,
      reason: expect.stringMatching(/^👍 from .+ on your "Payment fraud detection" answer$/),
    });
    const [answer] = await test.db.select().from(answers);
    expect(rows[0]?.memberId).toBe(answer?.memberId);
  });

  it('opens the answer modal from the button and answers the submission ephemerally', async () => {
    const click = discord.sendButton({
      customId: `daily:answer:${promptId}`,
      messageId: postId,
      userId: FAKE_IDS.owner,
    });
    const modal = await callback(click.id);
    expect(body(modal).type).toBe(9);
    expect(body(modal).data?.custom_id).toBe(`daily:answer:${promptId}`);
    const submit = discord.sendModalSubmit({
      customId: `daily:answer:${promptId}`,
      fields: { answer: REASONED.slice(0, 2_500) },
      userId: FAKE_IDS.owner,
      messageId: postId,
    });
    const graded = await replies(submit.id, /Answer graded: \d+\/100/);
    expect(body(graded).data?.flags ?? body(graded).flags).toBe(EPHEMERAL);
    const [{ n } = { n: 0 }] = await test.db.select({ n: count() }).from(answers);
    expect(n).toBe(2);
    // A double-submitted form is one answer and one set of points.
    const again = discord.sendModalSubmit({
      customId: `daily:answer:${promptId}`,
      fields: { answer: REASONED.slice(0, 2_500) },
      userId: FAKE_IDS.owner,
      messageId: postId,
    });
    expect(text(await replies(again.id, /Already received/))).toBeTruthy();
    expect((await test.db.select().from(answers)).find((row) => row.version > 1)).toBeUndefined();
  });

  it('posts the close-out in the thread at the deadline, once', async () => {
    clock.advance(25 * 3_600_000);
    expect(await test.bot.services.daily.closeDaily(promptId)).toBe(true);
    expect(await test.bot.services.daily.closeDaily(promptId)).toBe(false);
    const posts = discord.requestsTo('POST', new RegExp(`^/channels/${threadId}/messages$`));
    // The summary, then the outline (split over messages when it passes 6,000 characters of embeds).
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(text(posts[0] as RecordedRequest)).toMatch(/Close-out/);
    expect(text(posts[0] as RecordedRequest)).toContain(`<@${FAKE_IDS.member}>`);
    expect(text(posts[1] as RecordedRequest)).toMatch(/Reference outline/);
    expect(posts.map(text).join('')).toContain('Monitoring and maintenance');
  });

  it('schedules for a Manage Server member with typed options and shows the leaderboard', async () => {
    const scheduled = discord.sendInteraction({
      group: 'daily',
      subcommand: 'schedule',
      options: { time: '07:30', timezone: 'Asia/Tokyo', days: 'daily' },
      manageGuild: true,
    });
    expect(text(await callback(scheduled.id))).toMatch(/Daily case scheduled: 07:30 Asia\/Tokyo, daily/);
    const board = discord.sendInteraction({ subcommand: 'leaderboard', options: { period: 'all' } });
    const shown = await callback(board.id);
    expect(text(shown)).toMatch(/Leaderboard/);
    expect(text(shown)).toMatch(new RegExp(`<@${FAKE_IDS.member}>: \\d+ pts · 🔥 1-day streak`));
    const streaks = discord.sendInteraction({
      group: 'leaderboard',
      subcommand: 'streaks',
      userId: FAKE_IDS.member,
    });
    expect(text(await callback(streaks.id))).toMatch(
      new RegExp(`<@${FAKE_IDS.member}>: 🔥 1 day \\(best 1\\)`),
    );
    const stats = discord.sendInteraction({ subcommand: 'stats', userId: FAKE_IDS.member });
    const card = await callback(stats.id);
    expect(text(card)).toMatch(/Coverage per step/);
    expect(card.files).toBe(1);
    expect(text(card)).toContain('attachment://mlsd-stats.png');
    const hide = discord.sendInteraction({
      group: 'leaderboard',
      subcommand: 'hide-me',
      userId: FAKE_IDS.member,
    });
    expect(text(await callback(hide.id))).toMatch(/hidden from public leaderboards/);
  });

  it('lets a member set the time zone their streak days follow, and refuses one that does not exist', async () => {
    const shown = discord.sendInteraction({ subcommand: 'timezone', userId: FAKE_IDS.owner });
    expect(text(await callback(shown.id))).toMatch(
      /have not set a time zone, so your streak days follow this channel's, Asia\/Tokyo/,
    );
    const set = discord.sendInteraction({
      subcommand: 'timezone',
      userId: FAKE_IDS.owner,
      options: { zone: 'America/Chicago' },
    });
    expect(text(await callback(set.id))).toMatch(/Your time zone is now America\/Chicago/);
    const again = discord.sendInteraction({ subcommand: 'timezone', userId: FAKE_IDS.owner });
    expect(text(await callback(again.id))).toMatch(/Your time zone is America\/Chicago: streak days/);
    const bad = discord.sendInteraction({
      subcommand: 'timezone',
      userId: FAKE_IDS.owner,
      options: { zone: 'Mars/Base' },
    });
    expect(text(await callback(bad.id))).toMatch(/IANA time zone/);
    const [row] = await test.db.select().from(members).where(eq(members.userId, FAKE_IDS.owner));
    expect(row?.timeZone).toBe('America/Chicago');
  });

  it('shows a case prompt and a trade-off card with typed options', async () => {
    const shown = discord.sendInteraction({ subcommand: 'case', options: { id: 'eta-prediction' } });
    const reply = await callback(shown.id);
    expect(body(reply).data?.flags).toBe(EPHEMERAL);
    expect(text(reply)).toMatch(/ETA/);
    expect(text(reply)).not.toMatch(/Reference outline/);
    const card = discord.sendInteraction({ subcommand: 'card', options: { id: 'calibration' } });
    expect(text(await callback(card.id))).toMatch(/Recall first/);
    const framework = discord.sendInteraction({ subcommand: 'framework' });
    expect(text(await callback(framework.id))).toMatch(/The 7-step framework/);
  });

  it('answers a bad option with the usage instead of silence', async () => {
    const interaction = discord.sendInteraction({
      group: 'daily',
      subcommand: 'schedule',
      options: { time: '25:00' },
      manageGuild: true,
    });
    expect(text(await callback(interaction.id))).toMatch(/Usage: `\/mlsd daily schedule/);
  });

  it('shows help with the names Discord users pick: groups name their subcommand', async () => {
    const help = discord.sendInteraction({ subcommand: 'help' });
    const shown = text(await callback(help.id));
    expect(shown).toContain('`/mlsd daily show`');
    expect(shown).toContain('`/mlsd leaderboard show [period]`');
    expect(shown).toContain('`/mlsd card [id]`');
    expect(shown).toContain('/mlsd daily schedule time:09:00 timezone:Europe/Berlin days:mon-fri');
  });

  it('answers a subcommand this bot no longer has (stale registration) with one line', async () => {
    const stale = discord.sendInteraction({ subcommand: 'statz' });
    const answer = text(await callback(stale.id));
    expect(answer).toMatch(/I don't know `\/mlsd statz`\. Did you mean `\/mlsd stats`\?/);
    expect(answer).not.toMatch(/daily ML system design practice/);
  });

  it('kept every REST body within Discord’s published contract', () => {
    expect(discord.contractErrors).toEqual([]);
  });
});
