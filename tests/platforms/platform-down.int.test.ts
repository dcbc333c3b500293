import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeDiscord, startFakeDiscord } from '../helpers/fake-discord.ts';
import { type FakeSlackApi, postToBolt, slashCommand, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** A loopback port nobody listens on (yet): connections to it are refused, like a platform during an outage. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, boolean> } };
};

/** Slack and Discord unreachable at start: the process stays up, says so, and connects once they return. */
describe('when both platforms are unreachable at start', () => {
  let test: TestBot;
  let slack: FakeSlackApi | undefined;
  let discord: FakeDiscord | undefined;
  let slackPort = 0;
  let discordPort = 0;

  beforeAll(async () => {
    slackPort = await freePort();
    discordPort = await freePort();
    test = await startTestBot({
      slackApiUrl: `http://127.0.0.1:${slackPort}/api/`,
      discordApiUrl: `http://127.0.0.1:${discordPort}/api`,
      workers: false,
      env: { MLSD_CONNECT_RETRY_MAX_MS: '200' },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
    await discord?.close();
  });

  it('keeps the HTTP server up and reports both platforms as not ready', async () => {
    await new Promise((resolve) => setTimeout(resolve, 600)); // several failed attempts
    expect((await fetch(`${test.url}/healthz`)).status).toBe(200);
    const { status, body } = await readyz(test.url);
    expect(status).toBe(503);
    expect(body.checks).toMatchObject({ database: true, slack: false, discord: false });
  });

  it('connects to each platform by itself once it comes back, and serves commands', async () => {
    slack = await startFakeSlackApi({ port: slackPort });
    discord = await startFakeDiscord({ port: discordPort });
    await eventually(async () => (await readyz(test.url)).body.checks.slack === true, 5_000);
    await discord.waitForReady();
    await eventually(async () => (await readyz(test.url)).body.checks.discord === true, 5_000);

    await postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      slashCommand({ teamId: slack.teamId, channelId: 'C0BACK0001', userId: 'U0BACK0001', text: 'help' }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    await slack.waitForCall('chat.postEphemeral', (call) => /\/mlsd/.test(JSON.stringify(call.body)));
    const interaction = discord.sendInteraction({ group: 'help', subcommand: 'show' });
    await discord.waitForRequest((request) => request.path.startsWith(`/interactions/${interaction.id}/`));
  });
});
