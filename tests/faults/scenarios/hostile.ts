import { loadRegistry } from '../../../src/core/registry.ts';
import { defaultGuild, FAKE_IDS, type FakeDiscord } from '../../helpers/fake-discord.ts';
import { messageEvent, postToBolt } from '../../helpers/fake-slack.ts';
import { expectThat, type Scenario, SIGNING_SECRET, sleep, until, withHarness } from '../harness.ts';
import { postPrompt } from './slack.ts';

const ADMIN = 'U0HOSTADMN';
const CHANNEL = 'C0HOSTILE1';

/** What someone might paste into any argument. */
const HOSTILE = [
  'x'.repeat(5_000),
  'Zoë 名前 🚀 \u202Eevil\u202C',
  'a\u0000b\u0007c\u001b[31m',
  '@channel @everyone @here',
  '<!here> <!channel> <!everyone>',
  '<@&123456789> <!subteam^S0ROLE|@admins>',
  '*bold* _it_ ~s~ `code` <https://evil.example|Official mlsd-bot notice>',
];

/** A message body that would ping a crowd on Slack: a raw broadcast or user-group mention. */
const SLACK_BROADCAST = /<!(here|channel|everyone|subteam)/;

const hostile: Scenario = {
  name: 'hostile-input-every-command',
  run: () =>
    withHarness(
      { slackUsers: { [ADMIN]: { isAdmin: true, name: 'ops' } }, discordGuilds: [defaultGuild()] },
      async (harness) => {
        const discord = harness.discord as FakeDiscord;
        const web = await harness.start('web');
        await harness.start('worker');
        await discord.waitForReady();
        const thread = await postPrompt(harness, CHANNEL);
        const registry = await loadRegistry();
        let sent = 0;
        const statuses = new Map<number, number>();
        const slowest = { ms: 0, text: '' };
        for (const command of registry.commands.values()) {
          for (const sub of Object.keys(command.subcommands)) {
            for (const text of HOSTILE) {
              const { status, ms } = await harness.slash(`${command.name} ${sub} ${text}`, {
                user: ADMIN,
                channel: CHANNEL,
              });
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              if (ms > slowest.ms) Object.assign(slowest, { ms, text: `${command.name} ${sub}` });
              sent += 1;
            }
          }
        }
        // The same through Discord's typed options, and as answers in a daily thread.
        const typed: Array<[string, string, string]> = [
          ['team', 'create', 'name'],
          ['case', 'show', 'id'],
          ['card', 'show', 'id'],
          ['timezone', 'show', 'zone'],
          ['daily', 'schedule', 'time'],
        ];
        const interactions: string[] = [];
        for (const [group, subcommand, option] of typed) {
          for (const text of HOSTILE.slice(1)) {
            const interaction = discord.sendInteraction({
              group,
              subcommand,
              options: { [option]: text },
              userId: FAKE_IDS.owner,
              manageGuild: true,
            });
            interactions.push(interaction.id);
          }
        }
        for (const [index, text] of HOSTILE.entries()) {
          const event = messageEvent({
            teamId: harness.slack.teamId,
            channelId: CHANNEL,
            userId: `U0HOSTM${String(index).padStart(3, '0')}`,
            text: `${text}\nClarify the goal, frame it as ranking, log clicks as labels, and monitor drift.`,
            ts: `1790000100.00010${index}`,
            threadTs: thread,
          });
          await postToBolt(web.url, SIGNING_SECRET, event, { contentType: 'application/json' });
        }
        await until('every Discord interaction answered', () =>
          interactions.every((id) =>
            discord.requests.some((request) => request.path.startsWith(`/interactions/${id}/`)),
          ),
        );
        await sleep(2_000);

        const outgoing = harness.slack.calls.filter((call) =>
          /^(chat\.|views\.|response_url)/.test(call.method),
        );
        const pinging = outgoing.filter((call) => SLACK_BROADCAST.test(JSON.stringify(call.body)));
        const linkNames = outgoing.filter(
          (call) => call.body.link_names === true || call.body.parse === 'full',
        );
        const discordSends = discord.requests.filter(
          (request) =>
            request.method !== 'GET' &&
            (/\/messages(\/|$)/.test(request.path) ||
              /^\/interactions\//.test(request.path) ||
              /^\/webhooks\//.test(request.path)),
        );
        const unguarded = discordSends.filter((request) => {
          const body = request.body as {
            allowed_mentions?: { parse?: string[] };
            data?: { allowed_mentions?: { parse?: string[] }; content?: string };
            content?: string;
          };
          const content = body.content ?? body.data?.content;
          if (!content) return false;
          const allowed = body.allowed_mentions ?? body.data?.allowed_mentions;
          return !allowed || (allowed.parse ?? []).some((kind) => kind !== 'users');
        });
        const [stored] = await harness.query<{ teams: string; controls: string; times: string }>(
          `select (select count(*) from teams) as teams,
                  (select count(*) from answers where text ~ '[\\x01-\\x08\\x0b-\\x1f\\x7f]') as controls,
                  (select count(*) from channels where daily_time !~ '^[0-9]{2}:[0-9]{2}$') as times`,
        );
        const answered = harness.slack.calls.filter(
          (call) => call.method === 'chat.postEphemeral' || call.method === 'response_url',
        ).length;
        expectThat(
          web.alive && (statuses.get(200) ?? 0) === sent,
          `statuses ${JSON.stringify([...statuses])}, process alive ${web.alive}`,
        );
        expectThat(answered >= sent, `${answered} answers to ${sent} commands`);
        expectThat(slowest.ms < 3_000, `/mlsd ${slowest.text} took ${slowest.ms} ms`);
        expectThat(
          pinging.length === 0 && linkNames.length === 0,
          `${pinging.length} Slack messages would ping a crowd: ${JSON.stringify(pinging[0]?.body ?? {}).slice(0, 200)}`,
        );
        expectThat(
          unguarded.length === 0,
          `${unguarded.length} Discord messages without allowed_mentions: ${unguarded[0]?.path}`,
        );
        expectThat(
          stored?.teams === '0' && stored.controls === '0' && stored.times === '0',
          `stored ${JSON.stringify(stored)}`,
        );
        return `${sent} Slack commands (every subcommand × ${HOSTILE.length} hostile texts), ${interactions.length} Discord options and ${HOSTILE.length} thread answers: all answered (slowest ${slowest.ms} ms), 0 mass pings (${outgoing.length} Slack, ${discordSends.length} Discord messages checked), nothing stored that should not be`;
      },
    ),
};

export default [hostile];
