import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { FormField, FormSpec, OutMessage } from '../../core/types.ts';
import { splitText, truncate } from '../text.ts';

// Discord's documented limits (discord.com/developers/docs/resources/message#embed-object-embed-limits).
const LIMITS = {
  content: 2_000,
  embedTotal: 6_000,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  modalTitle: 45,
  inputLabel: 45,
  inputMax: 4_000,
} as const;

/** Our markup is Slack-flavoured (*bold*, <url|label>); Discord wants **bold** and [label](url). */
export function toDiscordMarkdown(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '[$2]($1)')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, '$1**$2**');
}

type Field = { name: string; value: string; inline?: boolean };

export type DiscordPayload = {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  /** Attachments, sent as multipart; an embed shows one with `attachment://<name>`. */
  files?: Array<{ name: string; data: Uint8Array }>;
};

function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

function fieldsOf(name: string, value: string, inline = false): Field[] {
  return splitText(toDiscordMarkdown(value), LIMITS.fieldValue).map((chunk, index) => ({
    name: truncate(index === 0 ? name : `${name} (cont.)`, LIMITS.fieldName),
    value: chunk || '\u200b',
    inline,
  }));
}

function buttonsOf(message: OutMessage): DiscordPayload['components'] {
  const buttons: APIButtonComponent[] = (message.buttons ?? []).map((button) =>
    button.url
      ? {
          type: ComponentType.Button,
          style: ButtonStyle.Link,
          url: button.url,
          label: truncate(button.label, 80),
        }
      : {
          type: ComponentType.Button,
          style:
            button.style === 'primary'
              ? ButtonStyle.Primary
              : button.style === 'danger'
                ? ButtonStyle.Danger
                : ButtonStyle.Secondary,
          custom_id: (button.id ?? 'noop').slice(0, LIMITS.customId),
          label: truncate(button.label, 80),
        },
  );
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length && rows.length < LIMITS.rows; start += LIMITS.buttonsPerRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(start, start + LIMITS.buttonsPerRow),
    });
  }
  return rows;
}

/**
 * Renders an OutMessage as one or more Discord messages: a plain message as content, anything richer as
 * embeds packed under the 6,000-character budget, spilling into further messages; buttons ride on the first.
 */
export function toDiscordMessages(message: OutMessage): DiscordPayload[] {
  const rich = message.title || message.body || message.sections?.length || message.fields?.length;
  if (!rich) {
    const chunks = splitText(toDiscordMarkdown(message.text), LIMITS.content);
    return withFile(
      message,
      chunks.map((content, index) => ({
        content,
        ...(index === 0 && message.buttons?.length ? { components: buttonsOf(message) } : {}),
      })),
    );
  }
  const fields: Field[] = [
    ...(message.fields ?? []).flatMap((field) => fieldsOf(field.name, field.value, field.inline)),
    ...(message.sections ?? []).flatMap((section) => fieldsOf(section.heading ?? '\u200b', section.body)),
  ];
  const descriptions = message.body ? splitText(toDiscordMarkdown(message.body), LIMITS.description) : [];
  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color: 0x5865f2 };
  if (message.title) current.title = truncate(message.title, LIMITS.title);
  const startNew = () => {
    embeds.push(current);
    current = { color: 0x5865f2 };
  };
  for (const description of descriptions) {
    if (current.description) startNew();
    current.description = description;
  }
  for (const field of fields) {
    const size = field.name.length + field.value.length;
    if ((current.fields?.length ?? 0) >= LIMITS.fields || embedSize(current) + size > LIMITS.embedTotal - 200)
      startNew();
    current.fields = [...(current.fields ?? []), field];
  }
  if (message.footer) {
    const footer = { text: truncate(toDiscordMarkdown(message.footer), LIMITS.footer) };
    if (embedSize(current) + footer.text.length > LIMITS.embedTotal - 200) startNew();
    current.footer = footer;
  }
  embeds.push(current);

  // Pack embeds into messages: at most 10 embeds and 6,000 characters per message.
  const payloads: DiscordPayload[] = [];
  let batch: APIEmbed[] = [];
  let batchSize = 0;
  for (const embed of embeds) {
    const size = embedSize(embed);
    if (batch.length > 0 && (batch.length >= 10 || batchSize + size > LIMITS.embedTotal)) {
      payloads.push({ embeds: batch });
      batch = [];
      batchSize = 0;
    }
    batch.push(embed);
    batchSize += size;
  }
  payloads.push({ embeds: batch });
  const components = buttonsOf(message);
  if (components?.length && payloads[0]) payloads[0].components = components;
  const first = payloads[0];
  if (message.image && first) {
    first.files = [{ name: message.image.name, data: message.image.png }];
    const embed = first.embeds?.[0];
    if (embed) embed.image = { url: `attachment://${message.image.name}` };
  }
  return withFile(message, payloads);
}

/** A message's file (a data export) rides on its first payload as an attachment. */
function withFile(message: OutMessage, payloads: DiscordPayload[]): DiscordPayload[] {
  const first = payloads[0];
  if (message.file && first)
    first.files = [...(first.files ?? []), { name: message.file.name, data: message.file.content }];
  return payloads;
}

/** Discord's modals hold at most five fields; a longer form is shown as pages of up to five. */
export const MODAL_FIELDS = 5;

/** The pages a form is shown in: its fields, five at a time, in order. */
export function formPages(form: FormSpec): FormField[][] {
  const pages: FormField[][] = [];
  for (let at = 0; at < form.fields.length; at += MODAL_FIELDS)
    pages.push(form.fields.slice(at, at + MODAL_FIELDS));
  return pages;
}

/**
 * Renders (one page of) a form as a Discord modal: each field a label with its hint over a text input, or
 * over a select for a fixed set of choices; values typed before are filled in again.
 */
export function toDiscordModal(
  form: FormSpec,
  page?: { customId: string; index: number; count: number; fields: FormField[] },
): APIModalInteractionResponseCallbackData {
  const fields = page?.fields ?? form.fields;
  const title = page && page.count > 1 ? `${form.title} (${page.index + 1}/${page.count})` : form.title;
  return {
    custom_id: (page?.customId ?? form.id).slice(0, LIMITS.customId),
    title: truncate(title, LIMITS.modalTitle),
    components: fields.map((field) => ({
      type: ComponentType.Label,
      label: truncate(field.label, LIMITS.inputLabel),
      ...(field.hint ? { description: truncate(field.hint, 100) } : {}),
      component: field.choices
        ? {
            type: ComponentType.StringSelect,
            custom_id: field.id,
            required: field.required ?? true,
            min_values: field.required === false ? 0 : 1,
            max_values: 1,
            ...(field.placeholder ? { placeholder: truncate(field.placeholder, 150) } : {}),
            options: field.choices.slice(0, 25).map((choice) => ({
              label: truncate(choice.label, 100),
              value: choice.value,
              ...(choice.value === field.value ? { default: true } : {}),
            })),
          }
        : {
            type: ComponentType.TextInput,
            custom_id: field.id,
            style: field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
            required: field.required ?? true,
            ...(field.placeholder ? { placeholder: truncate(field.placeholder, 100) } : {}),
            ...(field.minLength ? { min_length: Math.min(field.minLength, LIMITS.inputMax) } : {}),
            max_length: Math.min(field.maxLength ?? LIMITS.inputMax, LIMITS.inputMax),
            ...(field.value ? { value: field.value.slice(0, LIMITS.inputMax) } : {}),
          },
    })),
  } as APIModalInteractionResponseCallbackData;
}
