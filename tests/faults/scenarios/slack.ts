import { messageEvent, postToBolt, slashCommand } from '../../helpers/fake-slack.ts';
import {
  expectThat,
  type Harness,
  type Scenario,
  SIGNING_SECRET,
  sleep,
  until,
  withHarness,
} from '../harness.ts';

const ADMIN = 'U0FAULTADM';
const ANA = 'U0FAULTANA';
const CHANNEL = 'C0FAULT001';
const users = { [ADMIN]: { isAdmin: true, name: 'ops' }, [ANA]: { name: 'ana' } };

/** An answer that earns points: every step, with reasons. */
export const GOOD_ANSWER = [
  'Clarify: I would ask about scale (requests per second), latency budget and the business metric first.',
  'Frame it as binary classification of click probability, trained on logged impressions and clicks.',
  'Data: labels come from clicks joined to impressions within a window; delayed clicks need care, and I would sample negatives.',
  'Features: user history, ad and advertiser features, context such as time and device, and crosses of them.',
  'Model: start with logistic regression as a baseline, then gradient boosted trees or a deep model; evaluate with log loss and calibration offline, then an A/B test on revenue.',
  'Serving: precompute ad embeddings, score candidates in under 50 ms, and cache features.',
  'Monitoring: watch calibration drift and feature freshness, and retrain daily because click behaviour shifts.',
].join('\n');

/** Posts today's prompt in a channel through `/mlsd daily` and returns its thread ts. */
export async function postPrompt(harness: Harness, channel = CHANNEL): Promise<string> {
  await harness.slash('daily', { user: ANA, channel });
  const row = await until('the daily post', async () => {
    const rows = await harness.query<{ thread_id: string }>(
      `select p.thread_id from prompts p join channels c on c.id = p.channel_id
       where c.channel_id = $1 and p.thread_id is not null`,
      [channel],
    );
    return rows[0];
  });
  return row.thread_id;
}

const signatures: Scenario = {
  name: 'slack-forged-and-stale-signatures',
  run: () =>
    withHarness({ slackUsers: users }, async (harness) => {
      await harness.start('web');
      const body = slashCommand({
        teamId: harness.slack.teamId,
        channelId: CHANNEL,
        userId: ADMIN,
        text: 'daily schedule 09:00',
      });
      const url = harness.web().url;
      const options = { contentType: 'application/x-www-form-urlencoded' };
      const forged = await postToBolt(url, SIGNING_SECRET, body, { ...options, badSignature: true });
      const stale = await postToBolt(url, SIGNING_SECRET, body, {
        ...options,
        timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
      });
      const unsigned = await fetch(new URL('/slack/events', url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await sleep(500);
      const [stored] = await harness.query<{ members: string; channels: string; deliveries: string }>(
        `select (select count(*) from members) as members, (select count(*) from channels) as channels,
                (select count(*) from deliveries) as deliveries`,
      );
      const chat = harness.slack.calls.filter((call) => call.method.startsWith('chat.')).length;
      expectThat(
        forged.status === 401 && stale.status === 401 && unsigned.status === 401,
        `statuses ${forged.status}/${stale.status}/${unsigned.status}, expected 401`,
      );
      expectThat(
        stored?.members === '0' && stored.channels === '0' && stored.deliveries === '0' && chat === 0,
        `stored ${JSON.stringify(stored)} and sent ${chat} chat calls`,
      );
      return 'forged, 10-minute-old and unsigned requests: 401 each; 0 rows stored, 0 messages sent';
    }),
};

const retries: Scenario = {
  name: 'slack-event-retried-three-times',
  run: () =>
    withHarness({ slackUsers: users }, async (harness) => {
      await harness.start('web');
      const thread = await postPrompt(harness);
      const event = messageEvent({
        teamId: harness.slack.teamId,
        channelId: CHANNEL,
        userId: ANA,
        text: GOOD_ANSWER,
        ts: '1790000000.000100',
        threadTs: thread,
        eventId: 'Ev0FAULTRETRY',
      });
      const statuses: number[] = [];
      for (const retryNum of [undefined, 1, 2]) {
        const response = await postToBolt(harness.web().url, SIGNING_SECRET, event, {
          contentType: 'application/json',
          ...(retryNum ? { retryNum, retryReason: 'http_timeout' } : {}),
        });
        statuses.push(response.status);
      }
      await until('the feedback', () => harness.privateTo(ANA).some((text) => /\d+\/100/.test(text)));
      await sleep(1_000);
      const [counts] = await harness.query<{ answers: string; awards: string; points: string }>(
        `select (select count(*) from answers) as answers,
                (select count(*) from point_events where kind = 'daily-answer') as awards,
                (select coalesce(sum(points), 0) from point_events) as points`,
      );
      const feedback = harness.privateTo(ANA).filter((text) => /\d+\/100/.test(text)).length;
      expectThat(
        statuses.every((status) => status === 200),
        `statuses ${statuses.join(',')}`,
      );
      expectThat(
        counts?.answers === '1' && counts.awards === '1' && feedback === 1,
        `${counts?.answers} answers, ${counts?.awards} answer awards, ${feedback} feedback messages`,
      );
      return `one answer event delivered 3 times (X-Slack-Retry-Num 1, 2): 1 answer, 1 award (${counts.points} pts), 1 feedback`;
    }),
};

const bodies: Scenario = {
  name: 'slack-oversized-and-malformed-bodies',
  run: () =>
    withHarness({ slackUsers: users }, async (harness) => {
      const web = await harness.start('web');
      const url = web.url;
      const huge = JSON.stringify({
        type: 'event_callback',
        team_id: harness.slack.teamId,
        pad: 'x'.repeat(2 << 20),
      });
      const oversized = await postToBolt(url, SIGNING_SECRET, huge, { contentType: 'application/json' });
      const malformed = await postToBolt(url, SIGNING_SECRET, '{"type":"event_callback","event":{', {
        contentType: 'application/json',
      });
      const garbage = await postToBolt(url, SIGNING_SECRET, '\u0000\u0001payload=%7B%7B', {
        contentType: 'application/x-www-form-urlencoded',
      });
      await sleep(300);
      const health = await fetch(new URL('/healthz', url));
      const after = await harness.slash('help', { user: ANA, channel: CHANNEL });
      await until('an answer to /mlsd help', () =>
        harness.privateTo(ANA).some((text) => /mlsd-bot/.test(text)),
      );
      const statuses = [oversized.status, malformed.status, garbage.status];
      expectThat(oversized.status === 413, `2 MB body answered ${oversized.status}, expected 413`);
      expectThat(
        statuses.every((status) => status >= 400 && status < 500),
        `statuses ${statuses.join(', ')}, expected 4xx`,
      );
      expectThat(
        web.alive && health.status === 200 && after.status === 200,
        'the web process stopped serving',
      );
      return `2 MB signed body: ${oversized.status}; malformed JSON: ${malformed.status}; binary junk: ${garbage.status}; process alive, /mlsd help answered`;
    }),
};

export default [signatures, retries, bodies];
