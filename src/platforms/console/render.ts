import type { FormSpec, OutMessage } from '../../core/types.ts';

/** Renders an OutMessage as plain text for the terminal, with buttons as `:click` hints. */
export function toConsoleText(message: OutMessage, names: (userId: string) => string): string {
  const lines: string[] = [];
  const text = (value: string) =>
    value
      .replace(/<@([^>|]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names(id)}`)
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)');
  if (message.title) lines.push(`== ${text(message.title)} ==`);
  if (message.body) lines.push(text(message.body));
  for (const field of message.fields ?? []) lines.push(`${field.name}: ${text(field.value)}`);
  for (const section of message.sections ?? []) {
    lines.push(
      section.heading ? `-- ${text(section.heading)} --\n${text(section.body)}` : text(section.body),
    );
  }
  if (lines.length === 0) lines.push(text(message.text));
  for (const button of message.buttons ?? []) {
    lines.push(
      button.id ? `[${button.label}]  type  :click ${button.id}` : `[${button.label}] ${button.url ?? ''}`,
    );
  }
  if (message.image)
    lines.push(`[image ${message.image.name}: ${message.image.alt}, ${message.image.png.length} bytes]`);
  if (message.file) lines.push(`[file ${message.file.name}: ${message.file.content.length} bytes]`);
  if (message.footer) lines.push(`(${text(message.footer)})`);
  return lines.join('\n');
}

export function formText(form: FormSpec): string {
  const fields = form.fields.map((field) => {
    const choices = field.choices
      ? ` (one of ${field.choices.map((choice) => choice.value).join(', ')})`
      : '';
    const example = !field.choices && field.placeholder ? ` e.g. ${field.placeholder}` : '';
    const typed = field.value ? ` [now: ${field.value}]` : '';
    return `  ${field.id}: ${field.label}${choices}${example}${typed}`;
  });
  const legend = form.fields.find((field) => field.choices)?.choices;
  const example =
    form.fields.length === 1
      ? `:submit <your text>`
      : `:submit ${form.fields.map((field) => `${field.id}=...`).join(' | ')}`;
  return [
    `== Form: ${form.title} ==`,
    ...fields,
    ...(legend ? [`  choices: ${legend.map((choice) => choice.label).join('; ')}`] : []),
    `Fill it in with  ${example}`,
  ].join('\n');
}
