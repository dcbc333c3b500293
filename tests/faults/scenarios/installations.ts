import { appUninstalledEvent, installViaOAuth, messageEvent, postToBolt } from '../../helpers/fake-slack.ts';
import {
  expectThat,
  type Harness,
  type Scenario,
  SIGNING_SECRET,
  sleep,
  until,
  withHarness,
} from '../harness.ts';
import { GOOD_ANSWER } from './slack.ts';

/**
 * One deployment installed in two workspaces by OAuth. Signed requests that claim a workspace they do not
 * belong to (one never installed, one removed, an event whose body names the other workspace's team) never
 * get another workspace's token: every Web API call that follows carries the token of the workspace Bolt
 * authorised, and nothing of the other workspace is read or written.
 */
const TEAM_A = 'T0OAUTHA01';
const TEAM_B = 'T0OAUTHB01';
const CHANNEL_A = 'C0OAUTHA01';
const CHANNEL_B = 'C0OAUTHB01';
const ADMIN_A = 'U0OAUTHAD1';
const MALLORY = 'U0OAUTHMB1';

/** Waits for the calls a request causes to settle, then returns them. */
async function callsDuring(harness: Harness, work: () => Promise<unknown>) {
  const before = harness.slack.calls.length;
  await work();
  let seen = -1;
  while (seen !== harness.slack.calls.length) {
    seen = harness.slack.calls.length;
    await sleep(400);
  }
  return harness.slack.calls.slice(before);
}

async function rowsOf(harness: Harness, team: string): Promise<string> {
  const [row] = await harness.query<Record<string, string>>(
    `select (select count(*) from channels where workspace_id = $1) as channels,
            (select count(*) from members where workspace_id = $1) as members,
            (select count(*) from answers a join members m on m.id = a.member_id where m.workspace_id = $1) as answers`,
    [team],
  );
  return JSON.stringify(row);
}

const forgedTeam: Scenario = {
  name: 'slack-forged-team-id',
  run: () =>
    withHarness(
      {
        slackOAuth: true,
        slackUsers: { [ADMIN_A]: { isAdmin: true, name: 'ops' }, [MALLORY]: { name: 'mal' } },
      },
      async (harness) => {
        const web = await harness.start('web');
        await harness.start('worker');
        for (const team of [TEAM_A, TEAM_B]) {
          const page = await installViaOAuth(web.url, harness.slack, { teamId: team, teamName: team });
          expectThat(page.status === 200, `install of ${team} answered ${page.status}`);
        }
        // Workspace A has a daily thread; B has a channel of its own.
        await harness.slash('daily', { user: ADMIN_A, channel: CHANNEL_A, team: TEAM_A });
        await until('A’s daily post', async () => {
          const [row] = await harness.query<{ thread_id: string | null }>('select thread_id from prompts');
          return Boolean(row?.thread_id);
        });
        const [prompt] = await harness.query<{ thread_id: string }>('select thread_id from prompts');
        await harness.slash('help', { user: MALLORY, channel: CHANNEL_B, team: TEAM_B });
        await harness.slack.waitForCall('chat.postEphemeral', (call) => call.body.user === MALLORY, 10_000);
        await callsDuring(harness, async () => {});
        const tokensA = harness.slack.tokensOf(TEAM_A);
        const aBefore = await rowsOf(harness, TEAM_A);

        // 1. A team that never installed the app: nothing is sent at all.
        const never = await callsDuring(harness, () =>
          harness.slash('leaderboard', { user: MALLORY, channel: CHANNEL_A, team: 'T0NEVERIN1' }),
        );
        expectThat(
          never.length === 0,
          `${never.length} calls for a team that never installed: ${JSON.stringify(never).slice(0, 300)}`,
        );
        // 2. B's member runs commands in A's channel id: B's token answers, A's data is not touched.
        const crossCommand = await callsDuring(harness, async () => {
          await harness.slash('stats', { user: MALLORY, channel: CHANNEL_A, team: TEAM_B });
          await harness.slash('daily', { user: MALLORY, channel: CHANNEL_A, team: TEAM_B });
        });
        // 3. An event authorised for B whose body names A's team, in A's daily thread.
        const event = messageEvent({
          teamId: TEAM_B,
          channelId: CHANNEL_A,
          userId: MALLORY,
          text: GOOD_ANSWER,
          ts: '1790000300.000100',
          threadTs: prompt?.thread_id ?? '',
        }) as Record<string, unknown>;
        (event.event as Record<string, unknown>).team = TEAM_A;
        const crossEvent = await callsDuring(harness, () =>
          postToBolt(web.url, SIGNING_SECRET, event, { contentType: 'application/json' }),
        );
        const leaked = [...crossCommand, ...crossEvent].filter((call) => tokensA.includes(call.token ?? ''));
        expectThat(leaked.length === 0, `${leaked.length} calls used A's token for B's requests`);
        expectThat(
          [...crossCommand, ...crossEvent].every((call) => harness.slack.teamOf(call.token) === TEAM_B),
          'a call for B went out on another token',
        );
        const aAfter = await rowsOf(harness, TEAM_A);
        expectThat(aAfter === aBefore, `A's rows changed: ${aBefore} -> ${aAfter}`);

        // 4. A removes the app: its old token is never used again, whoever claims A.
        await postToBolt(web.url, SIGNING_SECRET, appUninstalledEvent({ teamId: TEAM_A }));
        await until('A uninstalled', async () => {
          const rows = await harness.query('select 1 from slack_installations where team_id = $1', [TEAM_A]);
          return rows.length === 0;
        });
        const afterUninstall = await callsDuring(harness, async () => {
          await harness.slash('daily', { user: ADMIN_A, channel: CHANNEL_A, team: TEAM_A });
          await harness.fire('daily', 'daily-sweep', {});
        });
        const stale = afterUninstall.filter((call) => tokensA.includes(call.token ?? ''));
        expectThat(stale.length === 0, `${stale.length} calls still used A's token after the uninstall`);
        const [sealed] = await harness.query<{ n: string }>(
          "select count(*) as n from slack_installations where sealed like '%xoxb%'",
        );
        expectThat(sealed?.n === '0', 'a token stored in the clear');
        return `2 workspaces installed by OAuth; a never-installed team: ${never.length} calls; B naming A's channel and team: ${crossCommand.length + crossEvent.length} calls, all on B's token, A's rows unchanged; after A's uninstall: ${stale.length} calls on A's token`;
      },
    ),
};

export default [forgedTeam];
