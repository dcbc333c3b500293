import {
  type ButtonInteraction,
  ButtonStyle,
  Client,
  ComponentType,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  type MessageReaction,
  type ModalSubmitInteraction,
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
import { type InputSink, isUpvote } from '../../core/dispatch.ts';
import type { Actor, FormDrafts, Invocation, Place } from '../../core/types.ts';
import { PlatformLink } from '../link.ts';
import type { Pacer } from '../pace.ts';
import { discordRestOptions } from './commands.ts';
import { DiscordNotifier } from './notifier.ts';
import { formPages } from './render.ts';
import { commandPath, DRAFT_PREFIX, InteractionReplier, submittedValues } from './replier.ts';

export type DiscordOptions = {
  token: string;
  apiUrl: string;
  messageContent: boolean;
  log: Logger;
  clock: Clock;
  /** Where forms longer than one modal, or reopened to fix a problem, are kept between steps. */
  drafts: FormDrafts;
  /** Backoff between connection attempts (tests shorten it). */
  linkDelays?: { firstDelay: number; maxDelay: number };
  /** Called whenever Discord answers 429 (for metrics). */
  onRateLimited?: () => void;
  /** Paces requests under Discord's global limit across processes. */
  pacer?: Pacer | undefined;
  /** The bot was removed from a server, or added (back) to one. */
  membership?: { left(guildId: string): Promise<void>; joined(guildId: string): Promise<void> } | undefined;
};

/** The Discord adapter: the gateway client turns interactions and thread messages into invocations. */
export class DiscordAdapter {
  readonly client: Client;
  readonly notifier: DiscordNotifier;
  readonly link: PlatformLink;

  constructor(
    private readonly options: DiscordOptions,
    private readonly dispatcher: InputSink,
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
      rest: discordRestOptions(
        options.apiUrl,
        (url) => options.pacer?.discord('bot', url) ?? Promise.resolve(),
      ),
      // Replies to interactions ping people at most, never @everyone, @here or a role.
      allowedMentions: { parse: ['users'], repliedUser: false },
    });
    this.client.rest.setToken(options.token);
    if (options.onRateLimited) this.client.rest.on('rateLimited', options.onRateLimited);
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
    // Removed from a server (not an outage: discord.js reports those as guildUnavailable), or added.
    this.client.on(Events.GuildDelete, (guild) => {
      void this.options.membership
        ?.left(guild.id)
        .catch((error: unknown) =>
          this.options.log.error({ err: error }, 'could not record a server leaving'),
        );
    });
    this.client.on(Events.GuildCreate, (guild) => {
      void this.options.membership
        ?.joined(guild.id)
        .catch((error: unknown) =>
          this.options.log.error({ err: error }, 'could not record a server joining'),
        );
    });
    // Errors discord.js meets outside an interaction end in the dispatcher's one boundary.
    this.client.on(Events.Error, (error) => void this.dispatcher.fail(error));
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
      if (name.startsWith(DRAFT_PREFIX)) return this.reopenForm(interaction);
    } else if (interaction.isModalSubmit()) {
      kind = 'form';
      name = interaction.customId;
      const values = submittedValues(interaction);
      args = values;
      if (name.startsWith(DRAFT_PREFIX)) {
        const whole = await this.formPageSubmitted(interaction, values);
        if (!whole) return;
        ({ name, args } = whole);
      }
    } else {
      return;
    }
    const replier = new InteractionReplier(
      interaction as RepliableInteraction,
      this.options.log,
      this.options.drafts,
    );
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

  /** The draft a `~form:` custom id names, if it is the presser's own. */
  private async ownDraft(interaction: ButtonInteraction | ModalSubmitInteraction) {
    const [id = '', page = '0'] = interaction.customId.slice(DRAFT_PREFIX.length).split(':');
    const draft = await this.options.drafts.find(Number(id));
    const workspaceId = interaction.guildId ?? `dm:${interaction.user.id}`;
    if (!draft || draft.userId !== interaction.user.id || draft.workspaceId !== workspaceId) {
      await interaction.reply({
        content: 'That form is no longer open. Press the button that opened it again.',
        flags: MessageFlags.Ephemeral,
      });
      return undefined;
    }
    return { draft, page: Number(page) || 0 };
  }

  /** "Next" or "Fix and send": shows a page of a kept form with what was typed filled in. */
  private async reopenForm(interaction: ButtonInteraction): Promise<void> {
    const owned = await this.ownDraft(interaction);
    if (!owned) return;
    const { draft, page } = owned;
    const form = {
      ...draft.form,
      fields: draft.form.fields.map((field) => ({ ...field, value: draft.values[field.id] ?? field.value })),
    };
    await new InteractionReplier(interaction, this.options.log, this.options.drafts).showPage(
      form,
      draft.id,
      page,
    );
  }

  /**
   * One page of a long form submitted: keeps its answers and offers the next page, or, after the last one,
   * returns the whole form for the dispatcher (under the form's own id, as if it had been one modal).
   */
  private async formPageSubmitted(
    interaction: ModalSubmitInteraction,
    values: Record<string, string>,
  ): Promise<{ name: string; args: Record<string, string> } | undefined> {
    const owned = await this.ownDraft(interaction);
    if (!owned) return undefined;
    const { draft, page } = owned;
    const merged = { ...draft.values, ...values };
    await this.options.drafts.update(draft.id, merged);
    const count = formPages(draft.form).length;
    if (page + 1 < count) {
      await interaction.reply({
        content: `Part ${page + 1} of ${count} kept. One more step:`,
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Primary,
                custom_id: `${DRAFT_PREFIX}${draft.id}:${page + 1}`,
                label: `Continue (${page + 2}/${count})`,
              },
            ],
          },
        ],
        flags: MessageFlags.Ephemeral,
      });
      return undefined;
    }
    return { name: draft.form.id, args: merged };
  }

  private async onMessage(message: Message | PartialMessage, edited: boolean): Promise<void> {
    if (message.partial || message.author?.bot || message.system || !message.author) return;
    const channel = message.channel;
    if (!channel.isThread() || !channel.parentId || !message.guildId) return;
    const place: Place = {
      platform: 'discord',
      workspaceId: message.guildId,
      channelId: channel.parentId,
      threadId: channel.id,
    };
    const author = message.author;
    // The platform's timestamps name an edit; its time is when we received it, by the one clock.
    const version = edited && message.editedTimestamp ? message.editedTimestamp : message.createdTimestamp;
    await this.dispatcher.dispatch(
      {
        id: edited ? `${message.id}:${version}` : message.id,
        kind: 'message',
        platform: 'discord',
        place,
        actor: {
          platform: 'discord',
          workspaceId: message.guildId,
          userId: author.id,
          displayName: message.member?.displayName ?? author.globalName ?? author.username,
          isPlatformAdmin: false,
        },
        name: 'message',
        args: { text: message.content, messageId: message.id },
        receivedAt: this.options.clock.now(),
      },
      {
        // A thread reply is answered privately, by DM: Discord has no ephemeral message outside interactions.
        reply: (reply) =>
          this.notifier.tellPrivately(place, author.id, typeof reply === 'string' ? { text: reply } : reply),
        openForm: async () => {},
        rejectForm: async () => {},
      },
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
    await this.dispatcher.dispatch(
      {
        id: `${message.id}:${user.id}:${name}`,
        kind: 'reaction',
        platform: 'discord',
        place: { platform: 'discord', workspaceId: message.guildId, channelId: message.channelId },
        actor: {
          platform: 'discord',
          workspaceId: message.guildId,
          userId: user.id,
          displayName: member?.displayName ?? user.globalName ?? user.username ?? user.id,
          isPlatformAdmin: false,
        },
        name: 'reaction',
        args: { emoji: name, messageId: message.id },
        receivedAt: this.options.clock.now(),
      },
      // A reaction has nowhere to answer.
      { reply: async () => {}, openForm: async () => {}, rejectForm: async () => {} },
    );
  }
}
