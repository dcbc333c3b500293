import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { FormDrafts, FormSpec, OutMessage, Replier, ReplyOptions } from '../../core/types.ts';
import { formPages, toDiscordMessages, toDiscordModal } from './render.ts';

/** Custom ids of the adapter's own form steps: `~form:<draft id>:<page>` (pages and reopened forms). */
export const DRAFT_PREFIX = '~form:';

export const DISCORD_DEFAULTS = {
  autoDefer: 2_000, // ms: Discord drops an interaction not answered within 3 s
} as const;

/**
 * Answers an interaction: the first reply is the interaction response, later ones are follow-ups. If the
 * handler has said nothing when the deadline nears, it defers (ephemerally) so Discord keeps the token alive.
 */
export class InteractionReplier implements Replier {
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
export function submittedValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of interaction.fields.fields.values()) {
    if ('value' in field && typeof field.value === 'string') values[field.customId] = field.value;
    else if ('values' in field && Array.isArray(field.values))
      values[field.customId] = String(field.values[0] ?? '');
  }
  return values;
}
