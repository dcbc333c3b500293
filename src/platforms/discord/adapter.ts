import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type CommandInteractionOption,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  Partials,
  type PartialUser,
  PermissionFlagsBits,
  type RepliableInteraction,
  type User,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { type Dispatcher, isUpvote } from '../../core/dispatch.ts';
import type {
  Actor,
  FormSpec,
  Invocation,
  OutMessage,
  Place,
  Replier,
  ReplyOptions,
} from '../../core/types.ts';
import { PlatformLink } from '../link.ts';
import { DiscordNotifier } from './notifier.ts';
import { toDiscordMessages, toDiscordModal } from './render.ts';

export type DiscordOptions = {
  token: string;
  apiUrl: string;
  messageContent: boolean;
  log: Logger;
  clock: Clock;
  /** Backoff between connection attempts (tests shorten it). */
  linkDelays?: { firstDelay: number; maxDelay: number };
};

export const DISCORD_DEFAULTS = {
  autoDefer: 2_000, // ms: Discord drops an interaction not answered within 3 s
} as const;

/**
 * Answers an interaction: the first reply is the interaction response, later ones are follow-ups. If the
 * handler has said nothing when the deadline nears, it defers (ephemerally) so Discord keeps the token alive.
 */
class InteractionReplier implements Replier {
  private timer: NodeJS.Timeout | undefined;
  private deferred = false;
  private answered = false;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly interaction: RepliableInteraction,
    log: Logger,
  ) {
    this.timer = setTimeout(() => {
      if (this.answered || this.interaction.replied || this.interaction.deferred) return;
      this.deferred = true;
      this.pending = this.interaction
        .deferReply({ flags: MessageFlags.Ephemeral })
        .catch((error: unknown) => log.warn({ err: error }, 'could not defer'));
    }, DISCORD_DEFAULTS.autoDefer);
  }

  async reply(message: OutMessage | string, options: ReplyOptions = {}): Promise<void> {
    const out = typeof message === 'string' ? { text: message } : message;
    const flags = options.private ? MessageFlags.Ephemeral : undefined;
    await this.pending;
    for (const { files, ...rest } of toDiscordMessages(out)) {
      const payload = {
        ...rest,
        ...(files?.length
          ? { files: files.map((file) => ({ attachment: Buffer.from(file.data), name: file.name })) }
          : {}),
      };
      if (!this.answered && !this.deferred) {
        clearTimeout(this.timer);
        this.answered = true;
        await this.interaction.reply({ ...payload, ...(flags ? { flags } : {}) });
      } else if (this.deferred && !this.answered) {
        this.answered = true;
        await this.interaction.editReply(payload);
      } else {
        await this.interaction.followUp({ ...payload, ...(flags ? { flags } : {}) });
      }
    }
  }

  async openForm(form: FormSpec): Promise<void> {
    if (this.interaction.isModalSubmit() || this.answered || this.deferred) {
      throw new Error('a form can only be the first answer to a command or button');
    }
    clearTimeout(this.timer);
    this.answered = true;
    await (this.interaction as ButtonInteraction | ChatInputCommandInteraction).showModal(
      toDiscordModal(form),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** Flattens `/mlsd group sub opt:value` into a path and typed options. */
export function commandPath(options: readonly CommandInteractionOption[]): {
  path: string[];
  args: Record<string, unknown>;
} {
  const path: string[] = [];
  let level = options;
  for (;;) {
    const nested = level.find((option) => option.type === 1 || option.type === 2);
    if (!nested) break;
    path.push(nested.name);
    level = nested.options ?? [];
  }
  const args: Record<string, unknown> = {};
  for (const option of level) if (option.value !== undefined) args[option.name] = option.value;
  return { path, args };
}

/** The Discord adapter: the gateway client turns interactions and thread messages into invocations. */
export class DiscordAdapter {
  readonly client: Client;
  readonly notifier: DiscordNotifier;
  readonly link: PlatformLink;

  constructor(
    private readonly options: DiscordOptions,
    private readonly dispatcher: Dispatcher,
  ) {
    const intents = [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.GuildMessageReactions, // 👍 on an answer is an upvote
    ];
    if (options.messageContent) intents.push(GatewayIntentBits.MessageContent);
    this.client = new Client({
      intents,
      // Reactions on answers posted before a restart arrive for messages no longer cached.
      partials: [Partials.Message, Partials.Reaction],
      // One undici for Bolt and discord.js avoids "action is not a function" on uploads (discord.js #10946).
      rest: { api: options.apiUrl, makeRequest: (url, init) => fetch(url, init as RequestInit) as never },
    });
    this.client.rest.setToken(options.token);
    this.notifier = new DiscordNotifier(this.client.rest);
    this.link = new PlatformLink('discord', () => this.connect(), options.log, options.linkDelays);
    this.listen();
  }

  /** Connects in the background: an unreachable Discord is retried, never fatal. */
  async start(): Promise<void> {
    await this.link.start();
  }

  private async connect(): Promise<void> {
    let onReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    this.client.once(Events.ClientReady, onReady);
    try {
      await this.client.login(this.options.token);
    } catch (error) {
      this.client.off(Events.ClientReady, onReady);
      // A failed login leaves the client half open; start clean next time (login sets the token again).
      await this.client.destroy().catch(() => {});
      this.client.rest.setToken(this.options.token);
      throw error;
    }
    await ready;
    this.options.log.info({ user: this.client.user?.tag }, 'discord gateway ready');
  }

  async stop(): Promise<void> {
    await this.link.stop();
    await this.client.destroy();
  }

  private listen(): void {
    this.client.on(Events.InteractionCreate, (interaction) => {
      void this.onInteraction(interaction);
    });
    this.client.on(Events.MessageCreate, (message) => {
      void this.onMessage(message, false);
    });
    this.client.on(Events.MessageUpdate, (_old, message) => {
      void this.onMessage(message, true);
    });
    this.client.on(Events.MessageReactionAdd, (reaction, user) => {
      void this.onReaction(reaction, user);
    });
    this.client.on(Events.Error, (error) => this.options.log.error({ err: error }, 'discord client error'));
  }

  private place(interaction: Interaction): Place {
    const channel = interaction.channel;
    const thread = channel?.isThread() ? channel : undefined;
    return {
      platform: 'discord',
      workspaceId: interaction.guildId ?? `dm:${interaction.user.id}`,
      channelId: thread?.parentId ?? interaction.channelId ?? '',
      channelName: channel && 'name' in channel ? (channel.name ?? undefined) : undefined,
      threadId: thread?.id,
    };
  }

  private actor(interaction: Interaction): Actor {
    const member = interaction.member;
    const displayName =
      (member && 'displayName' in member ? member.displayName : undefined) ??
      interaction.user.globalName ??
      interaction.user.username;
    return {
      platform: 'discord',
      workspaceId: interaction.guildId ?? `dm:${interaction.user.id}`,
      userId: interaction.user.id,
      displayName,
      isPlatformAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    };
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    let kind: Invocation['kind'];
    let name: string;
    let args: Invocation['args'];
    if (interaction.isChatInputCommand()) {
      if (interaction.commandName !== 'mlsd') return;
      const flat = commandPath(interaction.options.data);
      kind = 'command';
      name = flat.path.join(' ') || 'help';
      args = flat.args;
    } else if (interaction.isButton()) {
      kind = 'button';
      name = interaction.customId;
      args = {};
    } else if (interaction.isModalSubmit()) {
      kind = 'form';
      name = interaction.customId;
      args = Object.fromEntries(
        interaction.fields.fields
          .filter((field) => 'value' in field)
          .map((field) => [field.customId, (field as { value: string }).value]),
      );
    } else {
      return;
    }
    const replier = new InteractionReplier(interaction as RepliableInteraction, this.options.log);
    try {
      await this.dispatcher.dispatch(
        {
          id: interaction.id,
          kind,
          platform: 'discord',
          place: this.place(interaction),
          actor: this.actor(interaction),
          name,
          args,
          receivedAt: this.options.clock.now(),
        },
        replier,
      );
    } finally {
      replier.dispose();
    }
  }

  private async onMessage(message: Message | PartialMessage, edited: boolean): Promise<void> {
    if (message.partial || message.author?.bot || message.system || !message.author) return;
    const channel = message.channel;
    if (!channel.isThread() || !channel.parentId || !message.guildId) return;
    const place = {
      platform: 'discord' as const,
      workspaceId: message.guildId,
      channelId: channel.parentId,
      threadId: channel.id,
    };
    const author = message.author;
    // The platform's timestamps name an edit; its time is when we received it, by the one clock.
    const version = edited && message.editedTimestamp ? message.editedTimestamp : message.createdTimestamp;
    await this.dispatcher.threadMessage(
      {
        id: edited ? `${message.id}:${version}` : message.id,
        place,
        actor: {
          platform: 'discord',
          workspaceId: message.guildId,
          userId: author.id,
          displayName: message.member?.displayName ?? author.globalName ?? author.username,
          isPlatformAdmin: false,
        },
        messageId: message.id,
        text: message.content,
        sentAt: this.options.clock.now(),
      },
      (feedback) => this.notifier.tellPrivately(place, author.id, feedback),
    );
  }

  private async onReaction(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
  ): Promise<void> {
    const name = reaction.emoji.name;
    const message = reaction.message;
    if (user.bot || !name || !isUpvote(name) || !message.guildId) return;
    const member = message.guild?.members.cache.get(user.id);
    await this.dispatcher.reaction({
      actor: {
        platform: 'discord',
        workspaceId: message.guildId,
        userId: user.id,
        displayName: member?.displayName ?? user.globalName ?? user.username ?? user.id,
        isPlatformAdmin: false,
      },
      channelId: message.channelId,
      messageId: message.id,
      emoji: name,
    });
  }
}
