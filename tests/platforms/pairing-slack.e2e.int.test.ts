import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, mockFeedback, pairings, pointEvents } from '../../src/db/schema/index.ts';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot } from '../helpers/bot.ts';
import {
  blockAction,
  type FakeSlackApi,
  postToBolt,
  slashCommand,
  startFakeSlackApi,
  viewSubmission,
} from '../helpers/fake-slack.ts';

const TEAM = 'T0MLSD0001';
const CHANNEL = 'C0PAIR0001';
const ADMIN = 'U0PADMIN01';
const ANA = 'U0PANA0001';
const BEN = 'U0PBEN0001';

/** Peer mocks end to end on Slack: join, a round, the group DM and guide, buttons and feedback. */
describe('Slack: peer mock interviews', () => {
  let slack: FakeSlackApi;
  let test: TestBot;
  let pairingId = 0;
  let group = '';

  const form = { contentType: 'application/x-www-form-urlencoded' as const };
  const command = (userId: string, text: string) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      slashCommand({ teamId: TEAM, channelId: CHANNEL, userId, text, triggerId: `t-${Math.random()}` }),
      form,
    );
  const ephemeralTo = (userId: string, pattern: RegExp) =>
    slack
      .waitForCall(
        'chat.postEphemeral',
        (call) => call.body.user === userId && pattern.test(String(call.body.text)),
      )
      .catch((error: unknown) => {
        console.log(slack.callsTo('chat.postEphemeral').map((call) => call.body.text));
        throw error;
      });
  const dmTo = (userId: string, pattern: RegExp) =>
    slack.waitForCall(
      'chat.postMessage',
      (call) => call.body.channel === userId && pattern.test(JSON.stringify(call.body)),
    );
  const press = (userId: string, actionId: string) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      blockAction({
        teamId: TEAM,
        channelId: group,
        userId,
        actionId,
        value: actionId,
        triggerId: `tb-${Math.random()}`,
      }),
      form,
    );

  beforeAll(async () => {
    slack = await startFakeSlackApi({
      teamId: TEAM,
      users: {
        [ADMIN]: { isAdmin: true },
        [ANA]: { name: 'Ana', tz: 'Europe/Lisbon' },
        [BEN]: { name: 'Ben', tz: 'Europe/Madrid' },
      },
    });
    test = await startTestBot({ slackApiUrl: slack.url });
  });

  afterAll(async () => {
    await test?.stop();
    await slack?.close();
  });

  it('opts members in with level, topics and time zone, and refuses bad input with the accepted values', async () => {
    await command(ANA, 'pair join senior recsys,ranking Europe/Lisbon');
    await ephemeralTo(
      ANA,
      /You're in for mock interviews here as senior \(topics: recsys, ranking\), time zone Europe\/Lisbon/,
    );
    await command(BEN, 'pair join mid recsys');
    await ephemeralTo(BEN, /You're in/);
    await command(BEN, 'pair join wizard');
    await ephemeralTo(BEN, /use one of: junior, mid, senior, staff/);
    await command(BEN, 'pair pause 2020-01-01');
    await ephemeralTo(BEN, /that date is in the past/);
    await command(ANA, `pair avoid <@${ANA}|ana>`);
    await ephemeralTo(ANA, /can't avoid yourself/);
  });

  it('lets only admins run a round now; pairs the two, opens a group DM with roles and sends the interviewer a guide', async () => {
    await command(ANA, 'pair now');
    await ephemeralTo(ANA, /Only admins/);
    await command(ADMIN, 'pair now');
    await ephemeralTo(ADMIN, /Round started: 1 group/);
    const opened = await slack.waitForCall('conversations.open');
    expect(String(opened.body.users).split(',').sort()).toEqual([ANA, BEN].sort());
    const intro = await slack.waitForCall('chat.postMessage', (call) =>
      /Mock interview/.test(String(call.body.text)),
    );
    group = String(intro.body.channel);
    const [row] = await test.db.select().from(pairings);
    pairingId = row?.id ?? 0;
    expect(JSON.stringify(intro.body.blocks)).toContain(`pair:status:${pairingId}:done`);
    expect(JSON.stringify(intro.body.blocks)).toContain('Suggested 45-minute plan');
    // A mid never interviews a senior: Ana (senior) interviews Ben (mid).
    const [ana] = await test.db.select().from(members).where(eq(members.userId, ANA));
    expect(row?.interviewerId).toBe(ana?.id);
    const guide = await dmTo(ANA, /Interviewer guide/);
    expect(JSON.stringify(guide.body.blocks)).toContain('Red flags');
    expect(
      slack
        .callsTo('chat.postMessage')
        .filter((call) => call.body.channel === BEN && /Interviewer guide/.test(JSON.stringify(call.body))),
    ).toHaveLength(0);
  });

  it('makes one round of two quick `pair now`, and says so', async () => {
    await command(ADMIN, 'pair now');
    await ephemeralTo(ADMIN, /already started/);
    const [{ n } = { n: 0 }] = await test.db.select({ n: count() }).from(pairings);
    expect(n).toBe(1);
  });

  it('marks the mock done once (double click included), awards both once, and opens the feedback form', async () => {
    await press(BEN, `pair:status:${pairingId}:done`);
    await ephemeralTo(BEN, /Marked done/);
    // Done opens the feedback form straight away for whoever pressed it.
    const opened = await slack.waitForCall(
      'views.open',
      (call) => (call.body.view as { callback_id: string }).callback_id === `pair:feedback:${pairingId}`,
    );
    const blocks = (opened.body.view as { blocks: Array<{ block_id: string; element: { type: string } }> })
      .blocks;
    expect(blocks.map((block) => block.block_id)).toEqual([
      'rating_clarify',
      'rating_frame',
      'rating_data',
      'rating_features',
      'rating_model',
      'rating_serving',
      'rating_monitoring',
      'communication',
      'strength',
      'improve',
    ]);
    expect(blocks.slice(0, 8).every((block) => block.element.type === 'static_select')).toBe(true);
    await press(ANA, `pair:status:${pairingId}:done`);
    await ephemeralTo(ANA, /Already marked done/);
    await slack.waitForCall(
      'chat.postMessage',
      (call) => call.body.channel === group && /Give feedback/.test(JSON.stringify(call.body.blocks)),
    );
    const awards = await test.db.select().from(pointEvents).where(eq(pointEvents.kind, 'mock-done'));
    expect(awards).toHaveLength(2);
  });

  it('keeps the feedback modal open with errors at the failing fields, then hands it to the candidate', async () => {
    await press(ANA, `pair:feedback:${pairingId}`);
    const opened = await slack.waitForCall(
      'views.open',
      (call) =>
        (call.body.view as { callback_id: string }).callback_id === `pair:feedback:${pairingId}` &&
        call.at > 0 &&
        (call.body as { trigger_id?: string }).trigger_id !== undefined,
    );
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    const select = (value: string) => ({
      type: 'static_select',
      selected_option: { value, text: { type: 'plain_text', text: value } },
    });
    const submit = (values: Record<string, string>) =>
      postToBolt(
        test.url,
        SLACK_SIGNING_SECRET,
        viewSubmission({
          teamId: TEAM,
          userId: ANA,
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          viewId: 'V0FEEDBACK1',
          values: Object.fromEntries(
            Object.entries(values).map(([id, value]) => [
              id,
              {
                [id]:
                  id.startsWith('rating_') || id === 'communication'
                    ? select(value)
                    : { type: 'plain_text_input', value },
              },
            ]),
          ),
        }),
        form,
      );
    const ratings = {
      rating_clarify: '3',
      rating_frame: '3',
      rating_data: '2',
      rating_features: '4',
      rating_model: '3',
      rating_serving: '2',
      rating_monitoring: '3',
      communication: '3',
    };
    const refused = await submit({
      ...ratings,
      rating_data: '7',
      strength: 'Clear numbers up front.',
      improve: ' ',
    });
    expect(JSON.parse(refused.text)).toEqual({
      response_action: 'errors',
      errors: {
        rating_data: 'Pick a rating from 1 to 4.',
        improve: 'Write one thing they could do better next time.',
      },
    });
    expect(await test.db.select().from(mockFeedback)).toHaveLength(0);
    const accepted = await submit({
      ...ratings,
      strength: 'Clear requirements and numbers up front.',
      improve: 'Spend less time on the model, more on serving.',
    });
    expect(accepted.text).toBe('');
    await ephemeralTo(ANA, /your feedback went to/);
    const delivered = await dmTo(BEN, /Feedback on your mock/);
    expect(JSON.stringify(delivered.body.blocks)).toContain('Spend less time on the model');
    expect(await test.db.select().from(mockFeedback)).toHaveLength(1);
  });

  it('shows status with the partner and history count', async () => {
    await command(BEN, 'pair status');
    await ephemeralTo(BEN, new RegExp(`candidate with <@${ANA}>[\\s\\S]*Mocks so far: 1 done of 1`));
  });

  it('kept to Slack’s published limits', async () => {
    await eventually(() => slack.callsTo('chat.postMessage').length > 0);
    expect(slack.contractErrors).toEqual([]);
  });
});
