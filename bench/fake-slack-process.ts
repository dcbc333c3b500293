// Runs the fake Slack Web API in its own process for the ack benchmark: in production Slack's API is
// remote, so its work must not share the bot's event loop. Prints the API URL, then serves until killed.
import { startFakeSlackApi } from '../tests/helpers/fake-slack.ts';

const fake = await startFakeSlackApi();
process.stdout.write(`${JSON.stringify({ url: fake.url, teamId: fake.teamId })}\n`);
process.on('SIGTERM', () => {
  void fake.close().then(() => process.exit(0));
});
