import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, plans } from '../../src/db/schema/index.ts';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot } from '../helpers/bot.ts';
import { TestClock } from '../helpers/clock.ts';
import {
  FAKE_IDS,
  type FakeDiscord,
  type RecordedRequest,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';
import {
  blockAction,
  type FakeSlackApi,
  postToBolt,
  type SlackApiCall,
  slashCommand,
  startFakeSlackApi,
} from '../helpers/fake-slack.ts';

const TEAM = 'T0MLSD0001';
const CHANNEL = 'C0PRIVACY1';
const ANA = 'U0PRIVANA2';
const BEN = 'U0PRIVBEN2';
const ADMIN = 'U0PRIVADM2';

/**
 * `/mlsd me export`, `/mlsd me forget` and `/mlsd admin purge` end to end through the real Bolt and discord.js
 * against the platform fakes: the file lands in the member's DM (Slack: files.uploadV2 into the app's DM;
 * Discord: an attachment in a DM, or on the private reply when DMs are closed), and the confirmation buttons
 * forget once, only for the member they were shown to.
 */
describe('a member’s own data on Slack and Discord', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscord;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-23T09:00:00Z'));

  beforeAll(async () => {
    [slack, discord] = await Promise.all([
      startFakeSlackApi({
        teamId: TEAM,
        users: {
          [ANA]: { name: 'Ana', tz: 'Europe/Berlin' },
          [BEN]: { name: 'Ben', tz: 'Europe/Berlin' },
          [ADMIN]: { name: 'Ada', tz: 'Europe/Berlin', isAdmin: true },
        },
      }),
      startFakeDiscord(),
    ]);
    test = await startTestBot({
      slackApiUrl: slack.url,
      discordApiUrl: discord.apiUrl,
      discordApplicationId: discord.applicationId,
      clock,
      workers: false,
    });
    await discord.waitForReady();
  });

  afterAll(async () => {
    await test?.stop();
    await Promise.all([slack?.close(), discord?.close()]);
  });

  const form = { contentType: 'application/x-www-form-urlencoded' as const };
  const slash = (userId: string, text: string, triggerId = `t-${Math.random()}`) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      slashCommand({ teamId: TEAM, channelId: CHANNEL, userId, text, triggerId }),
      form,
    );
  const press = (userId: string, actionId: string) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      blockAction({
        teamId: TEAM,
        channelId: CHANNEL,
        userId,
        actionId,
        value: actionId,
        triggerId: `tb-${Math.random()}`,
      }),
      form,
    );
  const ephemeral = (userId: string, pattern: RegExp, after = 0) =>
    slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.at >= after && call.body.user === userId && pattern.test(JSON.stringify(call.body)),
    );
  const actionId = (call: SlackApiCall, prefix: string) =>
    new RegExp(`"action_id":"(${prefix}[^"]*)"`).exec(JSON.stringify(call.body))?.[1] ?? '';
  const memberRow = (workspaceId: string, userId: string) =>
    test.db
      .select()
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), eq(members.userId, userId)));

  it('Slack: /mlsd me export uploads the JSON into the member’s DM with the app, once per delivery', async () => {
    await slash(ANA, 'plan 2026-12-20 senior');
    await ephemeral(ANA, /Plan set/);
    await slash(ANA, 'team create Owls');
    await ephemeral(ANA, /Team \\"Owls\\" created/);
    const started = Date.now();
    await slash(ANA, 'me export', 'trig-export-1');
    const reply = await ephemeral(ANA, /Sent your data in your DM with me/, started);
    const completed = await slack.waitForCall('files.completeUploadExternal');
    const opened = slack.callsTo('conversations.open').find((call) => call.body.users === ANA);
    expect(opened).toBeDefined();
    expect(String(completed.body.channel_id)).toMatch(/^D/);
    expect(JSON.stringify(reply.body)).toMatch(
      /<http:\/\/127\.0\.0\.1:\d+\/files\/F\w+\|mlsd-data-2026-11-23\.json/,
    );
    const upload = slack.uploads.at(-1);
    expect(upload?.filename).toBe('mlsd-data-2026-11-23.json');
    const data = JSON.parse(upload?.bytes.toString('utf8') ?? '{}');
    expect(data.profile).toMatchObject({ userId: ANA, displayName: 'Ana', timeZone: 'Europe/Berlin' });
    expect(data.plan).toMatchObject({ interviewDate: '2026-12-20', level: 'senior' });
    expect(data.team).toMatchObject({ name: 'Owls' });
    for (const section of [
      'answers',
      'revisions',
      'points',
      'streak',
      'mocks',
      'feedbackGiven',
      'feedbackReceived',
      'drill',
    ])
      expect(data).toHaveProperty(section);
    // Slack retries a slash command it thinks went unanswered with the same trigger: nothing is sent twice.
    await slash(ANA, 'me export', 'trig-export-1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('Slack: /mlsd me forget asks first; another member’s press is refused; the member’s forgets once', async () => {
    const asked = await (async () => {
      const at = Date.now();
      await slash(ANA, 'me forget');
      return ephemeral(ANA, /Forget me\?/, at);
    })();
    const confirm = actionId(asked, 'me:forget:');
    expect(confirm).toMatch(new RegExp(`^me:forget:${ANA}:\\d+$`));
    expect(JSON.stringify(asked.body)).toContain('"style":"danger"');
    expect(JSON.stringify(asked.body)).toMatch(/your study plan, \d+ drill items/);

    const forgedAt = Date.now();
    await press(BEN, confirm);
    await ephemeral(BEN, /That button was shown to someone else/, forgedAt);
    expect(await memberRow(TEAM, ANA)).toHaveLength(1);

    const confirmedAt = Date.now();
    await press(ANA, confirm);
    const done = await ephemeral(ANA, /Forgotten/, confirmedAt);
    expect(JSON.stringify(done.body)).toMatch(/Kept, without a name, and why/);
    expect(await memberRow(TEAM, ANA)).toEqual([]);
    expect(await test.db.select().from(plans)).toEqual([]);

    const againAt = Date.now();
    await press(ANA, confirm);
    await ephemeral(ANA, /Nothing of yours is left here to delete/, againAt);
  });

  it('Slack: an admin purges a member who has left, with a confirmation only they can press', async () => {
    await slash(BEN, 'timezone Europe/Berlin');
    await ephemeral(BEN, /Europe\/Berlin/);
    expect(await memberRow(TEAM, BEN)).toHaveLength(1);
    const deniedAt = Date.now();
    await slash(BEN, `admin purge <@${BEN}|ben>`);
    await ephemeral(BEN, /Only admins can use `\/mlsd admin purge`/, deniedAt);
    const askedAt = Date.now();
    await slash(ADMIN, `admin purge <@${BEN}|ben>`);
    const asked = await ephemeral(ADMIN, /Purge <@U0PRIVBEN2>\?/, askedAt);
    const confirm = actionId(asked, 'admin:purge:');
    expect(confirm).toMatch(new RegExp(`^admin:purge:${BEN}:${ADMIN}:\\d+$`));
    const purgedAt = Date.now();
    await press(ADMIN, confirm);
    await ephemeral(ADMIN, /Purged/, purgedAt);
    expect(await memberRow(TEAM, BEN)).toEqual([]);
  });

  const text = (request: RecordedRequest) => JSON.stringify(request.body);
  const callback = (interactionId: string) =>
    discord.waitForRequest((request) => request.path.startsWith(`/interactions/${interactionId}/`));
  const dmChannel = () =>
    [...discord.requestsTo('POST', /^\/users\/@me\/channels$/)].length > 0
      ? discord
          .requestsTo('POST', /^\/channels\/\d+\/messages$/)
          .map((request) => request.path.split('/')[2] ?? '')
          .find((id) => discord.channel(id)?.type === 1)
      : undefined;

  it('Discord: /mlsd me export sends an attachment by DM, or with the private reply when DMs are closed', async () => {
    const plan = discord.sendInteraction({
      group: 'plan',
      subcommand: 'set',
      options: { date: '2026-12-20', level: 'mid' },
      userId: FAKE_IDS.member,
    });
    await callback(plan.id);
    const asked = discord.sendInteraction({ group: 'me', subcommand: 'export', userId: FAKE_IDS.member });
    const reply = await callback(asked.id);
    expect(text(reply)).toMatch(/Sent your data in your DMs: \[mlsd-data-2026-11-23\.json/);
    expect(text(reply)).toContain('"flags":64');
    const dm = await eventually(dmChannel);
    const [message] = discord.messagesIn(dm);
    const attachment = message?.attachments[0];
    expect(attachment?.filename).toBe('mlsd-data-2026-11-23.json');
    const data = JSON.parse(discord.attachmentBytes(attachment?.id ?? '')?.toString('utf8') ?? '{}');
    expect(data.profile).toMatchObject({
      platform: 'discord',
      userId: FAKE_IDS.member,
      workspaceId: FAKE_IDS.guild,
    });
    expect(data.plan).toMatchObject({ interviewDate: '2026-12-20', level: 'mid' });

    discord.closeDirectMessages(FAKE_IDS.member);
    clock.advance(31_000); // past the export's cooldown
    const closed = discord.sendInteraction({ group: 'me', subcommand: 'export', userId: FAKE_IDS.member });
    const attached = await eventually(() =>
      discord
        .interactionResponses(closed.id)
        .find((request) => /Your DMs are closed to me/.test(text(request))),
    );
    expect(attached.files).toBe(1);
    expect(text(attached)).toContain('"flags":64');
    expect(discord.messagesIn(dm)).toHaveLength(1);
  });

  it('Discord: the Forget me button works for its member only, once; a Manage Server admin can purge', async () => {
    const asked = discord.sendInteraction({ group: 'me', subcommand: 'forget', userId: FAKE_IDS.member });
    const confirm = /"custom_id":"(me:forget:[^"]+)"/.exec(text(await callback(asked.id)))?.[1] ?? '';
    expect(confirm).toMatch(new RegExp(`^me:forget:${FAKE_IDS.member}:\\d+$`));
    const forged = discord.sendButton({ customId: confirm, messageId: '1', userId: FAKE_IDS.owner });
    expect(text(await callback(forged.id))).toMatch(/That button was shown to someone else/);
    const pressed = discord.sendButton({ customId: confirm, messageId: '1', userId: FAKE_IDS.member });
    expect(text(await callback(pressed.id))).toMatch(/Forgotten/);
    expect(await memberRow(FAKE_IDS.guild, FAKE_IDS.member)).toEqual([]);
    const again = discord.sendButton({ customId: confirm, messageId: '1', userId: FAKE_IDS.member });
    expect(text(await callback(again.id))).toMatch(/Nothing of yours is left here to delete/);

    // The owner has used the bot; an admin purges them (here: themselves) with the same confirmation.
    const stats = discord.sendInteraction({ subcommand: 'timezone', userId: FAKE_IDS.owner });
    await callback(stats.id);
    const purge = discord.sendInteraction({
      group: 'admin',
      subcommand: 'purge',
      options: { member: FAKE_IDS.owner },
      userId: FAKE_IDS.owner,
      manageGuild: true,
    });
    const button = /"custom_id":"(admin:purge:[^"]+)"/.exec(text(await callback(purge.id)))?.[1] ?? '';
    expect(button).toMatch(new RegExp(`^admin:purge:${FAKE_IDS.owner}:${FAKE_IDS.owner}:\\d+$`));
    const confirmed = discord.sendButton({
      customId: button,
      messageId: '1',
      userId: FAKE_IDS.owner,
      manageGuild: true,
    });
    expect(text(await callback(confirmed.id))).toMatch(/Purged/);
    expect(await memberRow(FAKE_IDS.guild, FAKE_IDS.owner)).toEqual([]);
  });

  it('kept to both platforms’ published limits in every call', () => {
    expect(slack.contractErrors).toEqual([]);
    expect(discord.contractErrors).toEqual([]);
  });
});
