import { REST } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordRestOptions } from '../../src/platforms/discord/commands.ts';
import { DiscordNotifier } from '../../src/platforms/discord/notifier.ts';
import { SlackClients } from '../../src/platforms/slack/clients.ts';
import { SlackNotifier } from '../../src/platforms/slack/notifier.ts';
import { FAKE_IDS, type FakeDiscord, startFakeDiscord } from '../helpers/fake-discord.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack.ts';

/** A sender that took over from one that died asks the platform first, and never posts twice. */
describe('messages sent once', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscord;

  beforeAll(async () => {
    [slack, discord] = await Promise.all([startFakeSlackApi(), startFakeDiscord()]);
  });

  afterAll(async () => {
    await Promise.all([slack?.close(), discord?.close()]);
  });

  it('on Slack: marks the message with its key, and a recheck finds it instead of posting again', async () => {
    const clients = new SlackClients({
      clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
      pacer: undefined,
      token: 'xoxb-test',
      now: () => 0,
    });
    const notifier = new SlackNotifier(clients, pino({ level: 'silent' }));
    const place = { platform: 'slack' as const, workspaceId: slack.teamId, channelId: 'C0ONCE0001' };
    const first = await notifier.postWithThread(place, { text: 'Daily case' }, 'Answers', {
      key: 'daily-post:1',
      recheck: false,
    });
    const again = await notifier.postWithThread(place, { text: 'Daily case' }, 'Answers', {
      key: 'daily-post:1',
      recheck: true,
    });
    expect(again.messageId).toBe(first.messageId);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    // In a thread and in a DM too.
    const reply = await notifier.post(
      { ...place, threadId: first.messageId },
      { text: 'Reveal' },
      { key: 'close:1:0', recheck: false },
    );
    expect(
      (
        await notifier.post(
          { ...place, threadId: first.messageId },
          { text: 'Reveal' },
          { key: 'close:1:0', recheck: true },
        )
      ).messageId,
    ).toBe(reply.messageId);
    const dm = await notifier.sendDirect(
      slack.teamId,
      'U0ONCE0001',
      { text: 'Your guide' },
      { key: 'guide:1', recheck: false },
    );
    expect(
      (
        await notifier.sendDirect(
          slack.teamId,
          'U0ONCE0001',
          { text: 'Your guide' },
          { key: 'guide:1', recheck: true },
        )
      ).messageId,
    ).toBe(dm.messageId);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
    // A different key is a different message.
    await notifier.post(place, { text: 'Daily case' }, { key: 'daily-post:2', recheck: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(4);
    expect(slack.contractErrors).toEqual([]);
  });

  it('on Discord: the nonce makes a second send return the first message, thread included', async () => {
    const rest = new REST(discordRestOptions(discord.apiUrl)).setToken('fake-token');
    const notifier = new DiscordNotifier(rest);
    const place = { platform: 'discord' as const, workspaceId: FAKE_IDS.guild, channelId: FAKE_IDS.general };
    const once = { key: 'daily-post:9', recheck: true };
    const first = await notifier.postWithThread(place, { text: 'Daily case' }, 'Answers', once);
    const again = await notifier.postWithThread(place, { text: 'Daily case' }, 'Answers', once);
    expect(again).toEqual(first);
    expect(
      discord.messagesIn(FAKE_IDS.general).filter((message) => message.content.includes('Daily case')),
    ).toHaveLength(1);
    expect(discord.contractErrors).toEqual([]);
  });
});
