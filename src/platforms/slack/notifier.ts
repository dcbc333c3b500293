import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Notifier, OutMessage, Place, PostedMessage } from '../../core/types.ts';
import { toSlackMessage } from './render.ts';

type SlackApiError = { data?: { error?: string } };

// Ephemeral messages only reach members of a channel the bot can see; otherwise a DM still gets through.
const EPHEMERAL_FALLBACK = new Set([
  'channel_not_found',
  'not_in_channel',
  'user_not_in_channel',
  'is_archived',
]);

/** Talks to people through the Slack Web API (no receiver needed, so workers can use it too). */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
  ) {}

  async post(place: Place, message: OutMessage): Promise<PostedMessage> {
    const result = await this.client.chat.postMessage({
      channel: place.channelId,
      ...(place.threadId ? { thread_ts: place.threadId } : {}),
      ...toSlackMessage(message),
      unfurl_links: false,
    });
    if (message.image) await this.upload(place.channelId, message.image, place.threadId);
    return { messageId: result.ts as string, threadId: place.threadId ?? (result.ts as string) };
  }

  /** Slack messages cannot carry images inline: the card is uploaded as a file into the conversation. */
  private async upload(
    channelId: string,
    image: NonNullable<OutMessage['image']>,
    threadTs?: string,
  ): Promise<void> {
    const file = { file: Buffer.from(image.png), filename: image.name, title: image.alt };
    await this.client.files.uploadV2(
      threadTs ? { channel_id: channelId, thread_ts: threadTs, ...file } : { channel_id: channelId, ...file },
    );
  }

  async postWithThread(place: Place, message: OutMessage): Promise<PostedMessage> {
    const posted = await this.post({ ...place, threadId: undefined }, message);
    const permalink = await this.linkTo(place, posted.messageId);
    return { messageId: posted.messageId, threadId: posted.messageId, ...(permalink ? { permalink } : {}) };
  }

  async tellPrivately(place: Place, userId: string, message: OutMessage): Promise<void> {
    const rendered = toSlackMessage(message);
    if (message.image) {
      // An ephemeral message cannot hold a file, so a private card goes to the member's DM with the app.
      const opened = await this.client.conversations.open({ users: userId });
      if (opened.channel?.id) await this.upload(opened.channel.id, message.image);
    }
    try {
      await this.client.chat.postEphemeral({
        channel: place.channelId,
        user: userId,
        ...(place.threadId ? { thread_ts: place.threadId } : {}),
        ...rendered,
      });
    } catch (error) {
      const code = (error as SlackApiError).data?.error ?? '';
      if (!EPHEMERAL_FALLBACK.has(code)) throw error;
      this.log.debug({ code }, 'ephemeral refused; sending a DM instead');
      await this.client.chat.postMessage({ channel: userId, ...rendered });
    }
  }

  async openGroup(place: Place, userIds: string[]): Promise<Place> {
    const result = await this.client.conversations.open({ users: userIds.join(','), return_im: false });
    const channelId = result.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    return { platform: 'slack', workspaceId: place.workspaceId, channelId };
  }

  async sendDirect(_workspaceId: string, userId: string, message: OutMessage): Promise<void> {
    // Posting to a user ID delivers to the app's DM with them (the Messages tab).
    await this.client.chat.postMessage({ channel: userId, ...toSlackMessage(message), unfurl_links: false });
  }

  async linkTo(place: Place, messageId: string): Promise<string | undefined> {
    try {
      const result = await this.client.chat.getPermalink({ channel: place.channelId, message_ts: messageId });
      return result.permalink;
    } catch (error) {
      this.log.debug({ err: error }, 'no permalink');
      return undefined;
    }
  }
}
