import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prompts } from '../../src/db/schema/index.ts';
import { SLACK_SIGNING_SECRET, startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeSlackApi, postToBolt, slashCommand, startFakeSlackApi } from '../helpers/fake-slack.ts';

const ADMIN = 'U0ADMIN001';

/** With Redis unreachable, commands that must schedule answer inside Slack's 3 s and change nothing. */
describe('when Redis is down', () => {
  let slack: FakeSlackApi;
  let test: TestBot;

  beforeAll(async () => {
    slack = await startFakeSlackApi({ users: { [ADMIN]: { isAdmin: true } } });
    // Nothing listens on port 1 of loopback: connections are refused at once, like a dead Redis.
    test = await startTestBot({
      slackApiUrl: slack.url,
      workers: false,
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  const command = (text: string) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      slashCommand({
        teamId: slack.teamId,
        channelId: 'C0DOWN0001',
        userId: ADMIN,
        text,
        triggerId: `t-${text}`,
      }),
      {
        contentType: 'application/x-www-form-urlencoded',
      },
    );

  it('answers a schedule change with "try again shortly" within 3 seconds', async () => {
    const started = Date.now();
    expect((await command('daily schedule 09:00 UTC')).status).toBe(200);
    const reply = await slack.waitForCall(
      'chat.postEphemeral',
      (call) => /try again shortly/.test(String(call.body.text)),
      3_000,
    );
    expect(reply.at - started).toBeLessThan(3_000);
  });

  it('refuses to post a prompt it could not close out, and posts nothing', async () => {
    await command('daily');
    await slack.waitForCall(
      'chat.postEphemeral',
      (call) => /try again shortly/.test(String(call.body.text)) && call.at > 0,
      3_000,
    );
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    const [{ n } = { n: 0 }] = await test.db.select({ n: count() }).from(prompts);
    expect(n).toBe(0);
  });

  it('reports not ready on /readyz while /healthz stays up', async () => {
    expect((await fetch(`${test.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${test.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, checks: { database: true, redis: false } });
  });
});
