import type { FormSpec, OutMessage } from '../../core/types.ts';
import { splitText, truncate } from '../text.ts';

// Block Kit limits (api.slack.com/reference/block-kit): a message holds 50 blocks, a section's text 3,000
// characters, a header 150, a field 2,000 and ten fields; a button label 75; a modal title 24.
const LIMITS = {
  blocks: 50,
  section: 3_000,
  header: 150,
  field: 2_000,
  fields: 10,
  button: 75,
  modalTitle: 24,
} as const;

type Block = Record<string, unknown>;

/**
 * Slack pings a channel for <!here>, <!channel>, <!everyone> and a user group for <!subteam^...>. The bot
 * never sends one itself, so any in its text came from someone's input: escaped, it shows as typed.
 */
export function defuse(text: string): string {
  return text.replace(/<!(?!date\^)/g, '&lt;!');
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: defuse(text) });
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

function sectionBlocks(text: string): Block[] {
  return splitText(text, LIMITS.section).map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }));
}

/** Renders an OutMessage as Block Kit, always with a `text` fallback beside the blocks. */
export function toSlackMessage(message: OutMessage): { text: string; blocks?: Block[] } {
  const text = defuse(message.text);
  const blocks: Block[] = [];
  if (message.title) blocks.push({ type: 'header', text: plain(truncate(message.title, LIMITS.header)) });
  if (message.body) blocks.push(...sectionBlocks(message.body));
  for (const section of message.sections ?? []) {
    blocks.push(...sectionBlocks(section.heading ? `*${section.heading}*\n${section.body}` : section.body));
  }
  const fields = message.fields ?? [];
  const inline = fields.filter((field) => field.inline);
  for (let start = 0; start < inline.length; start += LIMITS.fields) {
    blocks.push({
      type: 'section',
      fields: inline
        .slice(start, start + LIMITS.fields)
        .map((field) => mrkdwn(truncate(`*${field.name}*\n${field.value}`, LIMITS.field))),
    });
  }
  for (const field of fields.filter((item) => !item.inline))
    blocks.push(...sectionBlocks(`*${field.name}*\n${field.value}`));
  if (message.buttons?.length) {
    blocks.push({
      type: 'actions',
      block_id: 'actions',
      elements: message.buttons.map((button, index) => ({
        type: 'button',
        text: plain(truncate(button.label, LIMITS.button)),
        ...(button.url ? { url: button.url } : {}),
        action_id: button.id ?? `link-${index}`,
        ...(button.id ? { value: button.id } : {}),
        ...(button.style && button.style !== 'secondary' ? { style: button.style } : {}),
      })),
    });
  }
  if (message.footer)
    blocks.push({ type: 'context', elements: [mrkdwn(truncate(message.footer, LIMITS.section))] });
  if (blocks.length === 0) return { text };
  return { text: truncate(text, 3_000), blocks: blocks.slice(0, LIMITS.blocks) };
}

/** Renders a form as a Slack modal view; `metadata` travels back with the submission. */
export function toSlackModal(form: FormSpec, metadata: Record<string, string>): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: form.id,
    private_metadata: JSON.stringify(metadata),
    title: plain(truncate(form.title, LIMITS.modalTitle)),
    submit: plain(truncate(form.submitLabel ?? 'Submit', LIMITS.modalTitle)),
    close: plain('Cancel'),
    blocks: form.fields.map((field) => {
      const options = field.choices?.map((choice) => ({
        text: plain(truncate(choice.label, 75)),
        value: choice.value,
      }));
      const initial = options?.find((option) => option.value === field.value);
      return {
        type: 'input',
        block_id: field.id,
        label: plain(truncate(field.label, 2_000)),
        ...(field.hint ? { hint: plain(truncate(field.hint, 2_000)) } : {}),
        optional: field.required === false,
        element: options
          ? {
              type: 'static_select',
              action_id: field.id,
              placeholder: plain(truncate(field.placeholder ?? 'Choose', 150)),
              options,
              ...(initial ? { initial_option: initial } : {}),
            }
          : {
              type: 'plain_text_input',
              action_id: field.id,
              multiline: field.multiline ?? false,
              ...(field.placeholder ? { placeholder: plain(truncate(field.placeholder, 150)) } : {}),
              ...(field.minLength ? { min_length: field.minLength } : {}),
              ...(field.maxLength ? { max_length: Math.min(field.maxLength, 3_000) } : {}),
              ...(field.value ? { initial_value: field.value } : {}),
            },
      };
    }),
  };
}
