import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { type FakeSlackApi, slashCommandPayload, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** With SLACK_APP_TOKEN set the bot uses Socket Mode: no public URL, envelopes over a WebSocket. */
describe('Slack in Socket Mode', () => {
  let slack: FakeSlackApi;
  let test: TestBot;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    test = await startTestBot({
      slackApiUrl: slack.url,
      env: { SLACK_APP_TOKEN: 'xapp-1-A0MLSDAPP1-1-test', SLACK_SIGNING_SECRET: '' },
    });
    await slack.socket.waitForConnection();
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.socket.waitForDisconnect().catch(() => {});
    await slack?.close();
  });

  it('acknowledges a slash command envelope and answers it', async () => {
    const envelopeId = slack.socket.send({
      type: 'slash_commands',
      payload: slashCommandPayload({
        teamId: slack.teamId,
        channelId: 'C0SOCKET01',
        userId: 'U0SOCK0001',
        text: 'help',
        triggerId: 'trig-socket',
      }),
    });
    await slack.socket.waitForAck(envelopeId);
    const reply = await slack.waitForCall('chat.postEphemeral', (call) => call.body.user === 'U0SOCK0001');
    expect(String(reply.body.text)).toMatch(/mlsd-bot/);
  });

  it('serves Prometheus metrics: invocations by name and outcome, latencies, queue depths', async () => {
    const response = await fetch(`${test.url}/metrics`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/mlsd_invocations_total\{kind="command",name="help",outcome="ok"\} 1/);
    expect(body).toMatch(/mlsd_invocation_duration_seconds_bucket\{le="0\.5",kind="command",name="help"\} 1/);
    expect(body).toMatch(/mlsd_queue_jobs\{queue="daily",state="delayed"\} \d+/);
    expect(body).toMatch(/mlsd_jobs_total|mlsd_answers_graded_total/);
  });

  it('reports ready on /readyz when the database, Redis and the Slack connection answer', async () => {
    const ready = await fetch(`${test.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { database: true, redis: true, slack: true } });
  });
});
