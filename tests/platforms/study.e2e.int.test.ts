import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillItems, members } from '../../src/db/schema/index.ts';
import { eventually, SLACK_SIGNING_SECRET, startTestBot, type TestBot } from '../helpers/bot.ts';
import { TestClock } from '../helpers/clock.ts';
import {
  FAKE_IDS,
  type FakeDiscord,
  type RecordedRequest,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';
import {
  blockAction,
  type FakeSlackApi,
  postToBolt,
  slashCommand,
  startFakeSlackApi,
  viewSubmission,
} from '../helpers/fake-slack.ts';

const TEAM = 'T0MLSD0001';
const CHANNEL = 'C0PLAN0001';
const ANA = 'U0PLANANA1';

/**
 * The study journey end to end on both platforms: /mlsd plan, the morning DM, /mlsd drill with its buttons
 * (reveal, rate) and a case step written from memory in a form, a miss feeding the queue.
 */
describe('plan and drill on Slack and Discord', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscord;
  let test: TestBot;
  const clock = new TestClock(new Date('2026-11-23T07:30:00Z')); // Monday, 08:30 in Berlin

  beforeAll(async () => {
    [slack, discord] = await Promise.all([
      startFakeSlackApi({ teamId: TEAM, users: { [ANA]: { name: 'Ana', tz: 'Europe/Berlin' } } }),
      startFakeDiscord(),
    ]);
    test = await startTestBot({
      slackApiUrl: slack.url,
      discordApiUrl: discord.apiUrl,
      discordApplicationId: discord.applicationId,
      clock,
      workers: false,
    });
    await discord.waitForReady();
  });

  afterAll(async () => {
    await test?.stop();
    await Promise.all([slack?.close(), discord?.close()]);
  });

  const form = { contentType: 'application/x-www-form-urlencoded' as const };
  const slash = (text: string) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      slashCommand({ teamId: TEAM, channelId: CHANNEL, userId: ANA, text, triggerId: `t-${Math.random()}` }),
      form,
    );
  const press = (actionId: string, triggerId = `tb-${Math.random()}`) =>
    postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      blockAction({ teamId: TEAM, channelId: CHANNEL, userId: ANA, actionId, value: actionId, triggerId }),
      form,
    );
  const ephemeral = (pattern: RegExp, after = 0) =>
    slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.at >= after && call.body.user === ANA && pattern.test(JSON.stringify(call.body)),
    );
  const buttonIds = (call: { body: Record<string, unknown> }) =>
    [...JSON.stringify(call.body).matchAll(/"action_id":"(drill:[^"]+)"/g)].map((match) => match[1] ?? '');

  it('Slack: sets a plan, sends the morning DM, drills a card through reveal and rating', async () => {
    await slash('plan 2026-12-07 senior');
    await ephemeral(/Plan set: interview on 2026-12-07, 14 days to go/);
    await test.bot.services.plan.sendMornings();
    const dm = await slack.waitForCall('chat.postMessage', (call) => call.body.channel === ANA);
    expect(JSON.stringify(dm.body)).toMatch(/Day 1: learn the framework/);
    expect(JSON.stringify(dm.body)).toContain('"action_id":"drill:start"');

    const started = Date.now();
    await press('drill:start');
    const front = await ephemeral(/Show answer/, started);
    const [reveal] = buttonIds(front);
    expect(reveal).toBe('drill:reveal:step:clarify:0');
    const revealedAt = Date.now();
    await press(reveal ?? '');
    const back = await ephemeral(/How well did you recall it/, revealedAt);
    const good = buttonIds(back).find((id) => id.endsWith(':3'));
    const ratedAt = Date.now();
    await press(good ?? '');
    await ephemeral(/Good, back in/, ratedAt);
    // The same button pressed again (a double click) rates nothing twice.
    await press(good ?? '');
    await ephemeral(/already rated/, ratedAt);
  });

  it('Slack: writes a case step from memory in a form, graded against that step', async () => {
    const [ana] = await test.db.select().from(members).where(eq(members.userId, ANA));
    await test.bot.services.drill.feedMisses(ana?.id ?? 0, {
      caseId: 'fraud-detection',
      steps: ['serving'],
      cards: [],
    });
    // Reviews of everything due before it, so the recall comes up.
    let view = await test.bot.services.drill.nextDrill({
      platform: 'slack',
      workspaceId: TEAM,
      userId: ANA,
      displayName: 'Ana',
      isPlatformAdmin: false,
    });
    while (view.item && view.item.kind !== 'recall') {
      view = await test.bot.services.drill.rateDrill(
        { platform: 'slack', workspaceId: TEAM, userId: ANA, displayName: 'Ana', isPlatformAdmin: false },
        view.item.key,
        view.item.reps,
        4,
      );
    }
    const key = view.item?.key ?? '';
    expect(key).toBe('recall:fraud-detection:serving');
    await press(`drill:answer:${key}:0`, 'trig-recall');
    const opened = await slack.waitForCall('views.open', (call) => call.body.trigger_id === 'trig-recall');
    expect(JSON.stringify(opened.body.view)).toContain(`drill:recall:${key}:0`);
    const outline = test.bot.library.cases.get('fraud-detection')?.steps.serving.outline ?? '';
    const submitted = Date.now();
    await postToBolt(
      test.url,
      SLACK_SIGNING_SECRET,
      viewSubmission({
        teamId: TEAM,
        userId: ANA,
        callbackId: `drill:recall:${key}:0`,
        privateMetadata: JSON.stringify({ channelId: CHANNEL }),
        values: { answer: { answer: { type: 'plain_text_input', value: outline } } },
      }),
      form,
    );
    await ephemeral(/You covered \d+% of the step: (Good|Easy)/, submitted);
    const [item] = await test.db.select().from(drillItems).where(eq(drillItems.itemKey, key));
    expect(item?.reps).toBe(1);
  });

  const text = (request: RecordedRequest) => JSON.stringify(request.body);
  const callback = (interactionId: string) =>
    discord.waitForRequest((request) => request.path.startsWith(`/interactions/${interactionId}/`));

  it('Discord: plan with typed options, drill with buttons and a modal', async () => {
    const plan = discord.sendInteraction({
      group: 'plan',
      subcommand: 'set',
      options: { date: '2026-12-07', level: 'mid' },
      userId: FAKE_IDS.member,
    });
    expect(text(await callback(plan.id))).toMatch(/Plan set: interview 2026-12-07 \(mid\)/);
    const drill = discord.sendInteraction({ group: 'drill', subcommand: 'next', userId: FAKE_IDS.member });
    const front = await callback(drill.id);
    expect(text(front)).toContain('"flags":64');
    const reveal = /"custom_id":"(drill:reveal:[^"]+)"/.exec(text(front))?.[1] ?? '';
    expect(reveal).toBe('drill:reveal:step:clarify:0');
    const back = discord.sendButton({ customId: reveal, messageId: '1', userId: FAKE_IDS.member });
    const rating = /"custom_id":"(drill:rate:[^"]+:3)"/.exec(text(await callback(back.id)))?.[1] ?? '';
    const rated = discord.sendButton({ customId: rating, messageId: '1', userId: FAKE_IDS.member });
    expect(text(await callback(rated.id))).toMatch(/Good, back in/);

    const [member] = await test.db.select().from(members).where(eq(members.userId, FAKE_IDS.member));
    await test.bot.services.drill.feedMisses(member?.id ?? 0, {
      caseId: 'eta-prediction',
      steps: ['data'],
      cards: [],
    });
    const actor = {
      platform: 'discord' as const,
      workspaceId: FAKE_IDS.guild,
      userId: FAKE_IDS.member,
      displayName: 'bob',
      isPlatformAdmin: false,
    };
    let view = await test.bot.services.drill.nextDrill(actor);
    while (view.item && view.item.kind !== 'recall')
      view = await test.bot.services.drill.rateDrill(actor, view.item.key, view.item.reps, 4);
    const key = view.item?.key ?? '';
    const open = discord.sendButton({
      customId: `drill:answer:${key}:0`,
      messageId: '1',
      userId: FAKE_IDS.member,
    });
    const modal = (await callback(open.id)).body as { type: number; data: { custom_id: string } };
    expect(modal.type).toBe(9);
    const outline = test.bot.library.cases.get('eta-prediction')?.steps.data.outline ?? '';
    const submit = discord.sendModalSubmit({
      customId: modal.data.custom_id,
      fields: { answer: outline.slice(0, 3_000) },
      userId: FAKE_IDS.member,
    });
    await eventually(() =>
      discord
        .interactionResponses(submit.id)
        .find((request) => /You covered \d+% of the step/.test(text(request))),
    );
  });

  it('kept to both platforms’ published limits in every call', () => {
    expect(slack.contractErrors).toEqual([]);
    expect(discord.contractErrors).toEqual([]);
  });
});
