import {
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  type CommandInteractionOption,
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
import type {
  Actor,
  FormDrafts,
  FormSpec,
  Invocation,
  OutMessage,
  Place,
  Replier,
  ReplyOptions,
} from '../../core/types.ts';
import { PlatformLink } from '../link.ts';
import { DiscordNotifier } from './notifier.ts';
import { formPages, toDiscordMessages, toDiscordModal } from './render.ts';

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
};

/** Custom ids of the adapter's own form steps: `~form:<draft id>:<page>` (pages and reopened forms). */
const DRAFT_PREFIX = '~form:';

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
  private showedModal = false;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly log: Logger,
    private readonly drafts: FormDrafts,
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
    // A modal is the whole answer to its interaction: Discord takes no message after it.
    if (this.showedModal) {
      this.log.debug('reply after a modal not sent; the modal answers this interaction');
      return;
    }
    const out = typeof message === 'string' ? { text: message } : message;
    const flags = options.public ? undefined : MessageFlags.Ephemeral;
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

  /**
   * Shows a form as a modal. The form is kept as a draft, so a form longer than one modal continues page by
   * page, and one sent back with a problem reopens with everything typed.
   */
  async openForm(form: FormSpec, pageIndex = 0): Promise<void> {
    if (this.interaction.isModalSubmit() || this.answered || this.deferred) {
      throw new Error('a form can only be the first answer to a command or button');
    }
    clearTimeout(this.timer);
    this.answered = true;
    this.showedModal = true;
    const key = this.owner();
    const draftId = await this.drafts.save({
      ...key,
      form,
      values: Object.fromEntries(
        form.fields.flatMap((field) => (field.value ? [[field.id, field.value]] : [])),
      ),
    });
    await this.showPage(form, draftId, pageIndex);
  }

  /** Shows one page of a kept form; a one-page form keeps its own id, so its submission is routed as usual. */
  async showPage(form: FormSpec, draftId: number, index: number): Promise<void> {
    const pages = formPages(form);
    const fields = pages[index] ?? pages[0] ?? [];
    const customId = pages.length === 1 && index === 0 ? form.id : `${DRAFT_PREFIX}${draftId}:${index}`;
    this.answered = true;
    this.showedModal = true;
    await (this.interaction as ButtonInteraction | ChatInputCommandInteraction).showModal(
      toDiscordModal(form, { customId, index, count: pages.length, fields }),
    );
  }

  /**
   * Discord modals cannot show errors inside them: say what to fix, and offer a button that reopens the form
   * on the page of the first problem with everything typed so far filled in.
   */
  async rejectForm(problems: Record<string, string>, values: Record<string, string>): Promise<void> {
    const formId = (this.interaction as { customId?: string }).customId ?? '';
    const draft = formId.startsWith(DRAFT_PREFIX)
      ? await this.drafts.find(Number(formId.slice(DRAFT_PREFIX.length).split(':')[0]))
      : await this.drafts.findByForm({ ...this.owner(), formId });
    const labels = new Map(draft?.form.fields.map((field) => [field.id, field.label]));
    const lines = Object.entries(problems).map(([id, problem]) => `• ${labels.get(id) ?? id}: ${problem}`);
    if (!draft) {
      await this.reply({ text: `Not sent yet:\n${lines.join('\n')}` });
      return;
    }
    await this.drafts.update(draft.id, { ...draft.values, ...values });
    const pages = formPages(draft.form);
    const first = Object.keys(problems)[0];
    const page = Math.max(
      0,
      pages.findIndex((fields) => fields.some((field) => field.id === first)),
    );
    await this.reply({
      text: `Not sent yet:\n${lines.join('\n')}\nEverything you wrote is kept.`,
      buttons: [{ id: `${DRAFT_PREFIX}${draft.id}:${page}`, label: 'Fix and send', style: 'primary' }],
    });
  }

  private owner() {
    return {
      platform: 'discord' as const,
      workspaceId: this.interaction.guildId ?? `dm:${this.interaction.user.id}`,
      userId: this.interaction.user.id,
    };
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

/** What a modal submission holds: text inputs' values and selects' first choice, by field id. */
function submittedValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of interaction.fields.fields.values()) {
    if ('value' in field && typeof field.value === 'string') values[field.customId] = field.value;
    else if ('values' in field && Array.isArray(field.values))
      values[field.customId] = String(field.values[0] ?? '');
  }
  return values;
}

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
