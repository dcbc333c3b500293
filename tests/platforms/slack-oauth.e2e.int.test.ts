import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey } from '../../src/core/secrets.ts';
import {
  channels,
  members,
  prompts,
  slackInstallations,
  workspaceDepartures,
} from '../../src/db/schema/index.ts';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';
import {
  appUninstalledEvent,
  type FakeSlackApi,
  installViaOAuth,
  postToBolt,
  slashCommand,
  startFakeSlackApi,
  tokensRevokedEvent,
} from '../helpers/fake-slack.ts';

const CLIENT = { clientId: '1111.2222', clientSecret: 'fake-client-secret' };
const ACME = 'T0ACME0001';
const BETA = 'T0BETA0001';
const ACME_CHANNEL = 'C0ACME0001';
const BETA_CHANNEL = 'C0BETA0001';
const ADMIN = 'U0ADMIN001';
const DAY = 86_400_000;

/**
 * One deployment, many workspaces: "Add to Slack" through Bolt's installer against the fake's
 * oauth.v2.access, each workspace's requests, jobs and sends on its own token, tokens sealed at rest,
 * uninstall and reinstall.
 */
describe('Slack: installed in many workspaces', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  const logLines: string[] = [];
  const clock = new TestClock(new Date('2026-11-23T08:00:00Z'));

  const command = (teamId: string, channelId: string, text: string) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      slashCommand({
        teamId,
        channelId,
        userId: ADMIN,
        userName: 'ada',
        text,
        triggerId: `t-${Math.random()}`,
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
  const channelRow = async (teamId: string, channelId: string) => {
    const [row] = await test.db
      .select()
      .from(channels)
      .where(and(eq(channels.workspaceId, teamId), eq(channels.channelId, channelId)));
    return row;
  };
  const postsTo = (channelId: string) =>
    slack.callsTo('chat.postMessage').filter((call) => call.body.channel === channelId);

  beforeAll(async () => {
    slack = await startFakeSlackApi({
      teamId: 'T0NOBODY01',
      oauth: CLIENT,
      users: { [ADMIN]: { isAdmin: true, name: 'Ada', tz: 'UTC' } },
    });
    test = await startTestBot({
      clock,
      logLines,
      env: {
        SLACK_CLIENT_ID: CLIENT.clientId,
        SLACK_CLIENT_SECRET: CLIENT.clientSecret,
        SLACK_STATE_SECRET: 'a-long-random-state-secret-for-tests',
        SLACK_SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        SLACK_AUTHORIZE_URL: new URL('/oauth/v2/authorize', slack.url).toString(),
        MLSD_ENCRYPTION_KEY: newKey(),
      },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('installs two workspaces through "Add to Slack", keeping their tokens sealed', async () => {
    const acme = await installViaOAuth(test.url, slack, { teamId: ACME, teamName: 'Acme Study' });
    expect(acme.status).toBe(200);
    expect(acme.text).toContain('mlsd-bot is installed');
    expect(acme.text).toContain('Acme Study');
    const beta = await installViaOAuth(test.url, slack, { teamId: BETA, teamName: 'Beta Cohort' });
    expect(beta.status).toBe(200);
    const rows = await test.db.select().from(slackInstallations);
    expect(rows.map((row) => row.teamId).sort()).toEqual([ACME, BETA]);
    for (const row of rows) {
      expect(row.sealed).not.toMatch(/xox[a-z]-/);
      for (const token of slack.tokensOf(row.teamId ?? '')) expect(row.sealed).not.toContain(token);
    }
  });

  it('refuses a redirect whose state was not issued by its install page, storing nothing', async () => {
    const code = slack.approveInstall({ teamId: 'T0FORGED01' });
    const page = await fetch(new URL(`/slack/oauth_redirect?code=${code}&state=made-up`, test.url));
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(await page.text()).toContain('was not installed');
    const rows = await test.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.teamId, 'T0FORGED01'));
    expect(rows).toHaveLength(0);
  });

  it("answers each workspace's commands and posts its daily case with that workspace's own token", async () => {
    expect((await command(ACME, ACME_CHANNEL, 'daily schedule 09:00 UTC mon-sun')).status).toBe(200);
    expect((await command(BETA, BETA_CHANNEL, 'daily schedule 10:00 UTC mon-sun')).status).toBe(200);
    const acme = await eventually(() => channelRow(ACME, ACME_CHANNEL));
    const beta = await eventually(() => channelRow(BETA, BETA_CHANNEL));
    await eventually(() => slack.callsTo('chat.postEphemeral').length >= 2);
    for (const call of slack.callsTo('chat.postEphemeral'))
      expect(slack.teamOf(call.token)).toBe(call.body.channel === ACME_CHANNEL ? ACME : BETA);

    await test.bot.services.daily.postDaily(acme.id);
    await test.bot.services.daily.postDaily(beta.id);
    const [acmePost] = postsTo(ACME_CHANNEL);
    const [betaPost] = postsTo(BETA_CHANNEL);
    expect(acmePost && slack.tokensOf(ACME)).toContain(acmePost?.token);
    expect(betaPost && slack.tokensOf(BETA)).toContain(betaPost?.token);
    expect(await test.bot.scheduler.hasSchedule(`daily-post-${acme.id}`)).toBe(true);
    expect(await test.bot.scheduler.hasSchedule(`daily-post-${beta.id}`)).toBe(true);
  });

  it('on app_uninstalled stops that workspace only, keeps its data, and a reinstall picks it up', async () => {
    const acme = await channelRow(ACME, ACME_CHANNEL);
    const beta = await channelRow(BETA, BETA_CHANNEL);
    if (!acme || !beta) throw new Error('channels missing');
    slack.revoke(ACME);
    expect(
      (await postToBolt(test.url, SLACK_SIGNING_SECRET, appUninstalledEvent({ teamId: ACME }))).status,
    ).toBe(200);
    await eventually(async () => (await test.db.select().from(workspaceDepartures)).length === 1);
    expect(
      await test.db.select().from(slackInstallations).where(eq(slackInstallations.teamId, ACME)),
    ).toHaveLength(0);
    await eventually(async () => !(await test.bot.scheduler.hasSchedule(`daily-post-${acme.id}`)));
    expect(await test.bot.scheduler.hasSchedule(`daily-post-${beta.id}`)).toBe(true);
    // Its prompt and channel are kept for the retention period.
    expect(await test.db.select().from(prompts).where(eq(prompts.channelId, acme.id))).toHaveLength(1);

    // A command still claiming the removed workspace finds no installation: nothing is sent anywhere.
    const before = slack.calls.length;
    await command(ACME, ACME_CHANNEL, 'help');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.calls.slice(before).filter((call) => call.method !== 'auth.test')).toHaveLength(0);
    // The other workspace carries on.
    await command(BETA, BETA_CHANNEL, 'help');
    const help = await slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.at > 0 && slack.teamOf(call.token) === BETA,
    );
    expect(slack.tokensOf(BETA)).toContain(help.token);

    // Reinstalled within 30 days: the schedule comes back and nothing was lost.
    const again = await installViaOAuth(test.url, slack, { teamId: ACME, teamName: 'Acme Study' });
    expect(again.status).toBe(200);
    await eventually(() => test.bot.scheduler.hasSchedule(`daily-post-${acme.id}`));
    expect(await test.db.select().from(workspaceDepartures)).toHaveLength(0);
    expect((await channelRow(ACME, ACME_CHANNEL))?.dailyTime).toBe('09:00');
  });

  it('deletes a removed workspace’s data after the retention period, leaving the others', async () => {
    const beta = await channelRow(BETA, BETA_CHANNEL);
    if (!beta) throw new Error('channel missing');
    await postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      tokensRevokedEvent({ teamId: BETA, bot: ['U0MLSDBOT1'] }),
    );
    await eventually(async () => !(await test.bot.scheduler.hasSchedule(`daily-post-${beta.id}`)));
    expect(await test.db.select().from(workspaceDepartures)).toHaveLength(1);
    expect(await test.bot.services.workspaces.purgeDeparted()).toBe(0);
    clock.advance(31 * DAY);
    expect(await test.bot.services.workspaces.purgeDeparted()).toBe(1);
    expect(await channelRow(BETA, BETA_CHANNEL)).toBeUndefined();
    expect(await test.db.select().from(members).where(eq(members.workspaceId, BETA))).toHaveLength(0);
    expect(await channelRow(ACME, ACME_CHANNEL)).toBeDefined();
  });

  it('never writes a token to the log, even at trace level', () => {
    expect(logLines.length).toBeGreaterThan(50);
    const tokens = [...slack.tokensOf(ACME), ...slack.tokensOf(BETA)];
    for (const line of logLines) {
      expect(line).not.toMatch(/xox[abpe]-[A-Za-z0-9]/);
      for (const token of tokens) expect(line).not.toContain(token);
    }
  });
});
