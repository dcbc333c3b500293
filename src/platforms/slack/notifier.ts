import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Notifier, Once, OutFile, OutMessage, Place, PostedMessage } from '../../core/types.ts';
import type { SlackClients } from './clients.ts';
import { toSlackMessage } from './render.ts';

type SlackApiError = { data?: { error?: string } };

// Ephemeral messages only reach members of a channel the bot can see; otherwise a DM still gets through.
const EPHEMERAL_FALLBACK = new Set([
  'channel_not_found',
  'not_in_channel',
  'user_not_in_channel',
  'is_archived',
]);

/** The metadata event type that carries a message's once-key, so a later sender can find it. */
const ONCE_EVENT = 'mlsd_once';
/** How far back a sender looks for a message an earlier sender may have posted. */
const RECHECK_LIMIT = 200; // messages

type UploadFile = { content: Uint8Array; name: string; title: string };
const cardOf = (image: NonNullable<OutMessage['image']>): UploadFile => ({
  content: image.png,
  name: image.name,
  title: image.alt,
});
const fileOf = (file: OutFile): UploadFile => ({ content: file.content, name: file.name, title: file.name });

type SlackMessage = { ts?: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } };

/** Talks to people through the Slack Web API (no receiver needed, so workers can use it too). */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;
  private readonly workspaceUrls = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly clients: SlackClients,
    private readonly log: Logger,
  ) {}

  /** The workspace's own client (its token), paced. */
  private api(workspaceId: string): Promise<webApi.WebClient> {
    return this.clients.forWorkspace(workspaceId);
  }

  async post(place: Place, message: OutMessage, once?: Once): Promise<PostedMessage> {
    const client = await this.api(place.workspaceId);
    if (once?.recheck) {
      const earlier = await this.findSent(client, place.channelId, place.threadId, once.key);
      if (earlier) return { messageId: earlier, threadId: place.threadId ?? earlier };
    }
    const result = await client.chat.postMessage({
      channel: place.channelId,
      ...(place.threadId ? { thread_ts: place.threadId } : {}),
      ...toSlackMessage(message),
      unfurl_links: false,
      ...(once ? { metadata: { event_type: ONCE_EVENT, event_payload: { key: once.key } } } : {}),
    });
    if (message.image) await this.upload(client, place.channelId, cardOf(message.image), place.threadId);
    if (message.file) await this.upload(client, place.channelId, fileOf(message.file), place.threadId);
    return { messageId: result.ts as string, threadId: place.threadId ?? (result.ts as string) };
  }

  /**
   * The ts of a message carrying `key` in its metadata among the conversation's (or thread's) latest: what
   * a sender that died after posting left behind.
   */
  private async findSent(
    client: webApi.WebClient,
    channel: string,
    threadTs: string | undefined,
    key: string,
  ): Promise<string | undefined> {
    const result = threadTs
      ? await client.conversations.replies({
          channel,
          ts: threadTs,
          limit: RECHECK_LIMIT,
          include_all_metadata: true,
        })
      : await client.conversations.history({
          channel,
          limit: RECHECK_LIMIT,
          include_all_metadata: true,
        });
    const found = ((result.messages ?? []) as SlackMessage[]).find(
      (item) => item.metadata?.event_type === ONCE_EVENT && item.metadata.event_payload?.key === key,
    );
    if (found?.ts)
      this.log.info({ key }, 'found the message an earlier attempt posted; not posting it again');
    return found?.ts;
  }

  /**
   * Slack messages cannot carry images or files inline: a card or a file is uploaded into the conversation.
   * Returns the file's permalink.
   */
  private async upload(
    client: webApi.WebClient,
    channelId: string,
    upload: UploadFile,
    threadTs?: string,
  ): Promise<string | undefined> {
    const file = { file: Buffer.from(upload.content), filename: upload.name, title: upload.title };
    const result = await client.files.uploadV2(
      threadTs ? { channel_id: channelId, thread_ts: threadTs, ...file } : { channel_id: channelId, ...file },
    );
    // uploadV2 answers one files.completeUploadExternal response per upload, each listing its files.
    const [completed] = (result as { files?: Array<{ files?: Array<{ permalink?: string }> }> }).files ?? [];
    return completed?.files?.[0]?.permalink;
  }

  /** The member's DM with the app, where private cards and files go (an ephemeral message holds none). */
  private async uploadToDm(client: webApi.WebClient, userId: string, message: OutMessage) {
    const opened = await client.conversations.open({ users: userId });
    const channelId = opened.channel?.id;
    if (!channelId) return undefined;
    if (message.image) await this.upload(client, channelId, cardOf(message.image));
    return message.file ? this.upload(client, channelId, fileOf(message.file)) : undefined;
  }

  async postWithThread(
    place: Place,
    message: OutMessage,
    _name: string,
    once?: Once,
  ): Promise<PostedMessage> {
    const posted = await this.post({ ...place, threadId: undefined }, message, once);
    const permalink = await this.permalink(place, posted.messageId);
    return { messageId: posted.messageId, threadId: posted.messageId, ...(permalink ? { permalink } : {}) };
  }

  async tellPrivately(place: Place, userId: string, message: OutMessage): Promise<void> {
    const rendered = toSlackMessage(message);
    const client = await this.api(place.workspaceId);
    if (message.image || message.file) await this.uploadToDm(client, userId, message);
    try {
      await client.chat.postEphemeral({
        channel: place.channelId,
        user: userId,
        ...(place.threadId ? { thread_ts: place.threadId } : {}),
        ...rendered,
      });
    } catch (error) {
      const code = (error as SlackApiError).data?.error ?? '';
      if (!EPHEMERAL_FALLBACK.has(code)) throw error;
      this.log.debug({ code }, 'ephemeral refused; sending a DM instead');
      await client.chat.postMessage({ channel: userId, ...rendered });
    }
  }

  async openGroup(place: Place, userIds: string[]): Promise<Place> {
    const client = await this.api(place.workspaceId);
    const result = await client.conversations.open({ users: userIds.join(','), return_im: false });
    const channelId = result.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    return { platform: 'slack', workspaceId: place.workspaceId, channelId };
  }

  async sendDirect(
    workspaceId: string,
    userId: string,
    message: OutMessage,
    once?: Once,
  ): Promise<PostedMessage> {
    const client = await this.api(workspaceId);
    if (once?.recheck) {
      // Posting to a user id lands in the app's DM with them; looking back needs that DM's id.
      const opened = await client.conversations.open({ users: userId });
      const earlier = opened.channel?.id
        ? await this.findSent(client, opened.channel.id, undefined, once.key)
        : undefined;
      if (earlier) return { messageId: earlier };
    }
    const result = await client.chat.postMessage({
      channel: userId,
      ...toSlackMessage(message),
      unfurl_links: false,
      ...(once ? { metadata: { event_type: ONCE_EVENT, event_payload: { key: once.key } } } : {}),
    });
    const permalink = message.file ? await this.uploadToDm(client, userId, message) : undefined;
    return { messageId: result.ts as string, ...(permalink ? { permalink } : {}) };
  }

  /**
   * A top-level message's link, built from the workspace's URL (asked once) as Slack builds it: a fan-out
   * then costs no chat.getPermalink call (Tier 4) per post. Falls back to asking when the URL is unknown.
   */
  private async permalink(place: Place, messageId: string): Promise<string | undefined> {
    let asked = this.workspaceUrls.get(place.workspaceId);
    if (!asked) {
      asked = this.api(place.workspaceId)
        .then((client) => client.auth.test())
        .then(
          (result) => result.url,
          () => {
            this.workspaceUrls.delete(place.workspaceId);
            return undefined;
          },
        );
      this.workspaceUrls.set(place.workspaceId, asked);
    }
    const url = await asked;
    if (!url) return this.linkTo(place, messageId);
    return `${url.endsWith('/') ? url : `${url}/`}archives/${place.channelId}/p${messageId.replace('.', '')}`;
  }

  async linkTo(place: Place, messageId: string): Promise<string | undefined> {
    try {
      const client = await this.api(place.workspaceId);
      const result = await client.chat.getPermalink({ channel: place.channelId, message_ts: messageId });
      return result.permalink;
    } catch (error) {
      this.log.debug({ err: error }, 'no permalink');
      return undefined;
    }
  }
}
