// A bare Bolt app in its own process that only acknowledges /mlsd: the ack benchmark's baseline. Prints its
// URL, then serves until killed.
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { quietBoltLogger } from './bolt.ts';

const logger = quietBoltLogger;
const receiver = new HTTPReceiver({ signingSecret: process.env.SIGNING_SECRET ?? '', logger });
const app = new App({
  token: 'xoxb-bench',
  receiver,
  logger,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? 'http://127.0.0.1:9/api/' },
  tokenVerificationEnabled: false,
});
app.command('/mlsd', async ({ ack }) => {
  await ack();
});
app.event('message', async () => {});
const server = await app.start({ port: 0, host: '127.0.0.1' } as never);
process.stdout.write(
  `${JSON.stringify({ url: `http://127.0.0.1:${(server as unknown as { address(): AddressInfo }).address().port}` })}\n`,
);
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
