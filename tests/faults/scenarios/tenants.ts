import { defaultGuild, type FakeDiscord, type FakeGuild } from '../../helpers/fake-discord.ts';
import {
  blockAction,
  messageEvent,
  postToBolt,
  reactionEvent,
  viewSubmission,
} from '../../helpers/fake-slack.ts';
import {
  expectThat,
  type Harness,
  type Scenario,
  SIGNING_SECRET,
  sleep,
  until,
  withHarness,
} from '../harness.ts';
import { GOOD_ANSWER, postPrompt } from './slack.ts';

/**
 * Two Slack workspaces and two Discord guilds in one database. Everything a member of one sends that names
 * the other's data (forged button ids, form ids, private_metadata, reactions, thread replies) is refused,
 * and nothing of the other is read or changed.
 */
const ADMIN_A = 'U0TENADMNA';
const ANA = 'U0TENANTA1';
const BEN = 'U0TENANTA2';
const MALLORY = 'U0TENANTB1';
const TEAM_B = 'T0TENANTB1';
const CHANNEL_A = 'C0TENANTA1';
const CHANNEL_B = 'C0TENANTB1';

async function interact(harness: Harness, payload: string): Promise<number> {
  const response = await postToBolt(harness.web().url, SIGNING_SECRET, payload, {
    contentType: 'application/x-www-form-urlencoded',
  });
  return response.status;
}

async function counts(harness: Harness) {
  const [row] = await harness.query<Record<string, string>>(
    `select (select count(*) from answers) as answers,
            (select count(*) from revisions) as revisions,
            (select count(*) from mock_feedback) as feedback,
            (select count(*) from pair_skips) as skips,
            (select count(*) from point_events) as points,
            (select string_agg(status, ',' order by id) from pairings) as statuses`,
  );
  return row ?? {};
}

const slackTenants: Scenario = {
  name: 'tenant-isolation-slack',
  run: () =>
    withHarness(
      {
        slackUsers: {
          [ADMIN_A]: { isAdmin: true, name: 'ops' },
          [ANA]: { name: 'ana' },
          [BEN]: { name: 'ben' },
        },
      },
      async (harness) => {
        await harness.start('web');
        await harness.start('worker');
        // Workspace A: a daily prompt with an answer, and a mock pairing.
        const thread = await postPrompt(harness, CHANNEL_A);
        const answer = messageEvent({
          teamId: harness.slack.teamId,
          channelId: CHANNEL_A,
          userId: ANA,
          text: GOOD_ANSWER,
          ts: '1790000200.000100',
          threadTs: thread,
        });
        await postToBolt(harness.web().url, SIGNING_SECRET, answer, { contentType: 'application/json' });
        for (const user of [ANA, BEN]) await harness.slash('pair join mid', { user, channel: CHANNEL_A });
        // Slack is answered at once and the work follows: wait for both to be in before the round.
        await until(
          'two members in',
          async () => (await harness.query('select 1 from pair_members')).length === 2,
        );
        await harness.slash('pair now', { user: ADMIN_A, channel: CHANNEL_A });
        const [pairing] = await until('the pairing', () =>
          harness.query<{ id: number }>('select id from pairings'),
        );
        const [prompt] = await harness.query<{ id: number; channel: number }>(
          'select id, channel_id as channel from prompts',
        );
        await until('the answer', async () => (await counts(harness)).answers === '1');
        const before = await counts(harness);
        const since = Date.now();

        // Mallory, in workspace B, names A's prompt, pairing and channel in everything she sends.
        const forged = { teamId: TEAM_B, channelId: CHANNEL_B, userId: MALLORY };
        const statuses = [
          await interact(
            harness,
            blockAction({
              ...forged,
              actionId: `daily:answer:${prompt?.id}`,
              value: `daily:answer:${prompt?.id}`,
            }),
          ),
          await interact(
            harness,
            blockAction({
              ...forged,
              actionId: `daily:facts:${prompt?.id}`,
              value: `daily:facts:${prompt?.id}`,
            }),
          ),
          await interact(
            harness,
            blockAction({ ...forged, actionId: `daily:followup:${prompt?.id}:serving`, value: 'x' }),
          ),
          await interact(
            harness,
            blockAction({ ...forged, actionId: `pair:status:${pairing?.id}:done`, value: 'x' }),
          ),
          await interact(
            harness,
            blockAction({
              ...forged,
              actionId: `pair:skip:${prompt?.channel}:${Date.now() + 86_400_000}`,
              value: 'x',
            }),
          ),
          await interact(
            harness,
            viewSubmission({
              teamId: TEAM_B,
              userId: MALLORY,
              callbackId: `daily:answer:${prompt?.id}`,
              privateMetadata: JSON.stringify({ channelId: CHANNEL_A, threadId: thread }),
              values: { answer: { answer: { type: 'plain_text_input', value: GOOD_ANSWER } } },
            }),
          ),
          await interact(
            harness,
            viewSubmission({
              teamId: TEAM_B,
              userId: MALLORY,
              callbackId: `pair:feedback:${pairing?.id}`,
              privateMetadata: JSON.stringify({ channelId: CHANNEL_A }),
              values: { strength: { strength: { type: 'plain_text_input', value: 'forged' } } },
            }),
          ),
        ];
        // A reaction and a thread reply sent as workspace B on A's messages.
        for (const event of [
          reactionEvent({
            teamId: TEAM_B,
            channelId: CHANNEL_A,
            userId: MALLORY,
            reaction: '+1',
            messageTs: '1790000200.000100',
          }),
          messageEvent({
            teamId: TEAM_B,
            channelId: CHANNEL_A,
            userId: MALLORY,
            text: GOOD_ANSWER,
            ts: '1790000201.000100',
            threadTs: thread,
          }),
        ]) {
          statuses.push(
            (await postToBolt(harness.web().url, SIGNING_SECRET, event, { contentType: 'application/json' }))
              .status,
          );
        }
        await harness.slash(`stats <@${ANA}>`, { user: MALLORY, channel: CHANNEL_B, team: TEAM_B });
        await harness.slash('leaderboard show all', { user: MALLORY, channel: CHANNEL_A, team: TEAM_B });
        await sleep(2_000);

        const after = await counts(harness);
        const toMallory = harness.slack.calls.filter(
          (call) => call.at >= since && (call.body.user === MALLORY || call.body.channel === MALLORY),
        );
        // Asking about someone by mention echoes the mention; anything more of A's (scores, facts, ranks) is a leak.
        const leaked = toMallory.filter((call) => {
          const body = JSON.stringify(call.body);
          return (
            /Clarifying facts|\d+\/100|pts/.test(body) ||
            (body.includes(ANA) && !/I have no stats for/.test(body))
          );
        });
        const formsOpened = harness.slack.calls.filter(
          (call) => call.at >= since && call.method === 'views.open',
        ).length;
        expectThat(
          JSON.stringify(after) === JSON.stringify(before),
          `A's data changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
        );
        expectThat(
          leaked.length === 0,
          `${leaked.length} messages to workspace B showed A's data: ${JSON.stringify(leaked[0]?.body ?? {}).slice(0, 200)}`,
        );
        expectThat(formsOpened === 0, `${formsOpened} forms opened on A's prompt`);
        expectThat(
          statuses.every((status) => status === 200),
          `statuses ${statuses.join(',')}`,
        );
        return `9 forged buttons, forms, a reaction and a thread reply from workspace B naming A's prompt, pairing and channel, and 2 commands: A's answers, revisions, feedback, skips, points and pairings unchanged; 0 of A's data shown to B`;
      },
    ),
};

const guild = (id: string, channel: string, owner: string, members: string[]): FakeGuild => ({
  ...defaultGuild(),
  id,
  name: `Guild ${id.slice(-1)}`,
  owner_id: owner,
  channels: [{ id: channel, name: 'study' }],
  members: [owner, ...members].map((user) => ({ user: { id: user, username: `user${user.slice(-3)}` } })),
});

const discordTenants: Scenario = {
  name: 'tenant-isolation-discord',
  run: () =>
    withHarness(
      {
        discordGuilds: [
          guild('1200000000000000100', '1200000000000000301', '1200000000000000201', ['1200000000000000202']),
          guild('1300000000000000100', '1300000000000000301', '1300000000000000201', ['1300000000000000202']),
        ],
      },
      async (harness) => {
        const discord = harness.discord as FakeDiscord;
        await harness.start('web');
        await harness.start('worker');
        await discord.waitForReady();
        const a = { guildId: '1200000000000000100', channelId: '1200000000000000301' };
        const b = {
          guildId: '1300000000000000100',
          channelId: '1300000000000000301',
          userId: '1300000000000000202',
        };
        const answered = (id: string) =>
          discord.requests.some((request) => request.path.startsWith(`/interactions/${id}/`));
        for (const userId of ['1200000000000000201', '1200000000000000202']) {
          const join = discord.sendInteraction({
            ...a,
            group: 'pair',
            subcommand: 'join',
            options: { level: 'mid' },
            userId,
          });
          await until('join', () => answered(join.id));
        }
        const now = discord.sendInteraction({
          ...a,
          group: 'pair',
          subcommand: 'now',
          manageGuild: true,
          userId: '1200000000000000201',
        });
        await until('the round', () => answered(now.id));
        const daily = discord.sendInteraction({
          ...a,
          group: 'daily',
          subcommand: 'show',
          userId: '1200000000000000202',
        });
        await until('the daily post', () => answered(daily.id));
        const [pairing] = await until('the pairing', () =>
          harness.query<{ id: number }>('select id from pairings'),
        );
        const [prompt] = await until('the prompt', () =>
          harness.query<{ id: number; message_id: string }>(
            'select id, message_id from prompts where message_id is not null',
          ),
        );
        const before = await counts(harness);
        const sent = [
          discord.sendButton({
            ...b,
            customId: `daily:facts:${prompt?.id}`,
            messageId: prompt?.message_id ?? '',
          }),
          discord.sendButton({
            ...b,
            customId: `daily:answer:${prompt?.id}`,
            messageId: prompt?.message_id ?? '',
          }),
          discord.sendButton({ ...b, customId: `pair:status:${pairing?.id}:done`, messageId: '1' }),
          discord.sendModalSubmit({
            ...b,
            customId: `daily:answer:${prompt?.id}`,
            fields: { answer: GOOD_ANSWER },
          }),
          discord.sendModalSubmit({
            ...b,
            customId: `pair:feedback:${pairing?.id}`,
            fields: { strength: 'forged', improve: 'forged' },
          }),
        ];
        await until('every forged interaction answered', () =>
          sent.every((interaction) => answered(interaction.id)),
        );
        await sleep(1_000);
        const after = await counts(harness);
        const responses = sent.flatMap((interaction) =>
          discord.requests.filter((request) => request.path.startsWith(`/interactions/${interaction.id}/`)),
        );
        const leaked = responses.filter((request) =>
          /Clarifying facts|"type":9/.test(JSON.stringify(request.body)),
        );
        expectThat(
          JSON.stringify(after) === JSON.stringify(before),
          `A's data changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
        );
        expectThat(
          leaked.length === 0,
          `${leaked.length} answers to guild B opened A's forms or showed its facts`,
        );
        return `5 forged buttons and modals from guild B naming guild A's prompt and pairing: all refused, A's data unchanged, no form or fact of A shown`;
      },
    ),
};

export default [slackTenants, discordTenants];
