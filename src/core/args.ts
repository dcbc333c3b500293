import { z } from 'zod';

/** Marks an option as a user mention: a Discord USER option, and `<@U123>` or `@name` in free text. */
export const userOption = (description: string) => z.string().min(1).meta({ description, mention: 'user' });

/** The JSON Schema shape zod produces for an option schema (what platforms read to build their forms). */
export type JsonSchema = {
  type?: string;
  enum?: unknown[];
  description?: string;
  mention?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  default?: unknown;
};

/** Splits free text into words, keeping "quoted phrases" together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|“([^”]*)”|(\S+)/g)) {
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return tokens;
}

function optionSchemas(schema: z.ZodObject): Array<[string, z.ZodType]> {
  return Object.entries(schema.shape) as Array<[string, z.ZodType]>;
}

function acceptsUndefined(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

// Slack sends mentions as <@U123|name>; Discord as <@123>; people also type @name.
function normaliseMention(token: string): string {
  const match = /^<@!?([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(token);
  return match?.[1] ?? token;
}

/** An option's own wording of a problem ("use 24-hour HH:MM"), not zod's generic one ("Invalid string: ..."). */
function ownMessage(message: string | undefined): string | undefined {
  return message && !/^(invalid|too (small|big)|expected)\b/i.test(message) ? message : undefined;
}

/** `value` is what the schema made of the input; `raw` the words each option was given, as typed. */
export type FreeTextResult =
  | { ok: true; value: Record<string, unknown>; raw: Record<string, unknown> }
  | { ok: false; problem: string };

/**
 * Parses free text (Slack, console) against an option schema. Words may be named (`tz:Europe/Berlin`,
 * `tz=Europe/Berlin`) or positional; a positional word goes to the next option that accepts it, skipping
 * optional options it does not fit, so `09:00 mon-fri` works without a time zone in between.
 */
/** The longest command text taken (Slack allows 4,000 characters; nothing here needs more than a sentence). */
export const COMMAND_TEXT_LIMIT = 1_000;

// Control characters but tab and line breaks, and the bidirectional overrides that disguise text.
const CONTROL = /(?![\t\n\r])[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Text without control characters (tab and line breaks stay) or bidirectional overrides. */
export function stripControl(text: string): string {
  return text.replace(new RegExp(CONTROL.source, 'gu'), '');
}

/** A problem with command text as a whole (too long, invisible characters), before it is parsed. */
export function textProblem(text: string): string | undefined {
  if (text.length > COMMAND_TEXT_LIMIT)
    return `that is ${text.length.toLocaleString('en')} characters; a command takes at most ${COMMAND_TEXT_LIMIT.toLocaleString('en')}`;
  if (CONTROL.test(text))
    return 'it holds invisible control characters (often from a paste); type it again by hand';
  return undefined;
}

export function parseFreeText(schema: z.ZodObject, text: string): FreeTextResult {
  const problem = textProblem(text);
  if (problem) return { ok: false, problem };
  const entries = optionSchemas(schema);
  const names = new Set(entries.map(([name]) => name));
  const raw: Record<string, unknown> = {};
  const positional: string[] = [];
  for (const token of tokenize(text)) {
    const named = /^([a-z][a-z0-9-]*)[:=](.+)$/i.exec(token);
    const key = named?.[1]?.toLowerCase();
    if (named && key && names.has(key)) raw[key] = normaliseMention(named[2] ?? '');
    else positional.push(normaliseMention(token));
  }
  let index = 0;
  for (const token of positional) {
    let placed = false;
    const firstTried = entries.slice(index).find(([name]) => !(name in raw));
    while (index < entries.length) {
      const [name, option] = entries[index] as [string, z.ZodType];
      index += 1;
      if (name in raw) continue;
      if (option.safeParse(token).success) {
        raw[name] = token;
        placed = true;
        break;
      }
      if (!acceptsUndefined(option)) {
        const issue = ownMessage(option.safeParse(token).error?.issues[0]?.message);
        return { ok: false, problem: `"${token}" is not a valid ${name}${issue ? `: ${issue}` : ''}` };
      }
    }
    if (!placed) {
      // A trailing free-form option (such as a note) takes the rest of the words.
      const last = entries.at(-1);
      const lastName = last?.[0];
      if (
        last &&
        lastName &&
        typeof raw[lastName] === 'string' &&
        last[1].safeParse(`${raw[lastName]} ${token}`).success
      ) {
        raw[lastName] = `${raw[lastName]} ${token}`;
        continue;
      }
      if (firstTried) {
        const [name, option] = firstTried;
        const issue = option.safeParse(token).error?.issues[0]?.message;
        if (issue) return { ok: false, problem: `"${token}" is not a valid ${name}: ${issue}` };
      }
      return { ok: false, problem: `did not expect "${token}"` };
    }
  }
  return parseOptions(schema, raw);
}

/** Parses typed options (Discord) against an option schema. */
export function parseOptions(schema: z.ZodObject, raw: Record<string, unknown>): FreeTextResult {
  for (const [name, value] of Object.entries(raw)) {
    const problem = typeof value === 'string' ? textProblem(value) : undefined;
    if (problem) return { ok: false, problem: `${name}: ${problem}` };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data as Record<string, unknown>, raw };
  const issue = result.error.issues[0];
  const name = issue?.path.join('.') ?? '';
  const option = String(issue?.path[0] ?? '');
  if (option && raw[option] === undefined) return { ok: false, problem: `${option} is missing` };
  return { ok: false, problem: name ? `${name}: ${issue?.message}` : (issue?.message ?? 'invalid input') };
}

/** A usage line for help and error messages, e.g. `<time> [timezone] [days]`. */
export function usageOf(schema: z.ZodObject): string {
  return optionSchemas(schema)
    .map(([name, option]) => (acceptsUndefined(option) ? `[${name}]` : `<${name}>`))
    .join(' ');
}
