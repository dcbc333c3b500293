import { createHash } from 'node:crypto';
import { type APIChannel, type APIMessage, ChannelType, type REST, Routes } from 'discord.js';
import type { Notifier, Once, OutMessage, Place, PostedMessage } from '../../core/types.ts';
import { type DiscordPayload, toDiscordMessages } from './render.ts';

/** Mentions that may ping: people only; never @everyone, @here or a role, whatever the text holds. */
export const ALLOWED_MENTIONS = { parse: ['users'] as Array<'users'> };

/** A payload as a REST request: attachments go as multipart files beside the JSON body. */
function restRequest({ files, ...payload }: DiscordPayload) {
  const body = { ...payload, allowed_mentions: ALLOWED_MENTIONS };
  return files?.length
    ? {
        body: { ...body, attachments: files.map((file, id) => ({ id: String(id), filename: file.name })) },
        files: files.map((file) => ({ name: file.name, data: Buffer.from(file.data) })),
      }
    : { body };
}

const THREAD_ARCHIVE = 1_440; // minutes: a thread stays open a day after its last message

/**
 * Discord's own duplicate guard: a message sent with a nonce and `enforce_nonce` that the channel saw in the
 * last few minutes returns the earlier message instead of a new one. Nonces are at most 25 characters.
 */
function nonceFields(once: Once | undefined, part: number) {
  if (!once) return {};
  const nonce = createHash('sha256').update(`${once.key}#${part}`).digest('base64url').slice(0, 25);
  return { nonce, enforce_nonce: true };
}

/** Discord's answer when a thread was already started from a message. */
const THREAD_EXISTS = 160_004;

/** Talks to people through Discord's REST API only, so it works in worker processes without a gateway. */
export class DiscordNotifier implements Notifier {
  readonly platform = 'discord' as const;
  private readonly dmChannels = new Map<string, string>();

  constructor(private readonly rest: REST) {}

  private async send(channelId: string, message: OutMessage, once?: Once): Promise<APIMessage[]> {
    const sent: APIMessage[] = [];
    for (const [part, payload] of toDiscordMessages(message).entries()) {
      sent.push(
        (await this.rest.post(
          Routes.channelMessages(channelId),
          restRequest({ ...payload, ...nonceFields(once, part) }),
        )) as APIMessage,
      );
    }
    return sent;
  }

  async post(place: Place, message: OutMessage, once?: Once): Promise<PostedMessage> {
    const [first] = await this.send(place.threadId ?? place.channelId, message, once);
    if (!first) throw new Error('nothing was sent');
    return { messageId: first.id, threadId: place.threadId ?? first.channel_id };
  }

  async postWithThread(
    place: Place,
    message: OutMessage,
    threadName: string,
    once?: Once,
  ): Promise<PostedMessage> {
    const [head, ...rest] = toDiscordMessages(message);
    const first = (await this.rest.post(
      Routes.channelMessages(place.channelId),
      restRequest({ ...head, ...nonceFields(once, 0) } as DiscordPayload),
    )) as APIMessage;
    // A thread started from a message takes the message's id; one an earlier attempt started is reused.
    const threadId = await this.rest
      .post(Routes.threads(place.channelId, first.id), {
        body: { name: threadName.slice(0, 100), auto_archive_duration: THREAD_ARCHIVE },
      })
      .then(
        (thread) => (thread as APIChannel).id,
        (error: unknown) => {
          if ((error as { code?: unknown }).code === THREAD_EXISTS) return first.id;
          throw error;
        },
      );
    for (const [part, payload] of rest.entries())
      await this.rest.post(
        Routes.channelMessages(threadId),
        restRequest({ ...payload, ...nonceFields(once, part + 1) }),
      );
    const thread = { id: threadId };
    return {
      messageId: first.id,
      threadId: thread.id,
      permalink: this.link(place.workspaceId, place.channelId, first.id),
    };
  }

  /** Discord has no ephemeral messages outside interactions, so private notes go by DM. */
  async tellPrivately(place: Place, userId: string, message: OutMessage): Promise<void> {
    await this.sendDirect(place.workspaceId, userId, message);
  }

  async sendDirect(
    _workspaceId: string,
    userId: string,
    message: OutMessage,
    once?: Once,
  ): Promise<PostedMessage> {
    let channelId = this.dmChannels.get(userId);
    if (!channelId) {
      const channel = (await this.rest.post(Routes.userChannels(), {
        body: { recipient_id: userId },
      })) as APIChannel;
      channelId = channel.id;
      this.dmChannels.set(userId, channelId);
    }
    const [first] = await this.send(channelId, message, once);
    return {
      messageId: first?.id ?? '',
      threadId: channelId,
      // A file is found again through its message in the DM.
      ...(message.file && first ? { permalink: this.link('@me', channelId, first.id) } : {}),
    };
  }

  /** A private thread in the study channel, with the members added (they get a notification). */
  async openGroup(place: Place, userIds: string[], name: string): Promise<Place> {
    const thread = (await this.rest.post(Routes.threads(place.channelId), {
      body: {
        name: name.slice(0, 100),
        type: ChannelType.PrivateThread,
        invitable: false,
        auto_archive_duration: 10_080,
      },
    })) as APIChannel;
    for (const userId of userIds) await this.rest.put(Routes.threadMembers(thread.id, userId));
    return { ...place, threadId: thread.id };
  }

  async linkTo(place: Place, messageId: string): Promise<string | undefined> {
    return this.link(place.workspaceId, place.threadId ?? place.channelId, messageId);
  }

  private link(guildId: string, channelId: string, messageId: string): string {
    return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
  }
}
