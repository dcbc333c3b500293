import { z } from 'zod';
import type { JsonSchema } from '../../core/args.ts';

/** Discord application-command options, built from a command's zod option schema. */

const DISCORD_OPTION_TYPE = { string: 3, integer: 4, boolean: 5, user: 6, number: 10 } as const;

export type DiscordOption = {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: Array<{ name: string; value: string | number }>;
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  options?: DiscordOption[];
};

function unwrap(schema: JsonSchema): JsonSchema {
  const variant = schema.anyOf?.find((item) => item.type !== 'null');
  return variant ? { ...variant, description: schema.description ?? variant.description } : schema;
}

/** Turns an option schema into Discord application-command options (required ones first, as Discord wants). */
export function toDiscordOptions(schema: z.ZodObject): DiscordOption[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const options = Object.entries(json.properties ?? {}).map(([name, raw]): DiscordOption => {
    const property = unwrap(raw);
    const isRequired = required.has(name) && property.default === undefined;
    const kind =
      property.mention === 'user' || raw.mention === 'user'
        ? 'user'
        : property.type === 'integer'
          ? 'integer'
          : property.type === 'number'
            ? 'number'
            : property.type === 'boolean'
              ? 'boolean'
              : 'string';
    const option: DiscordOption = {
      type: DISCORD_OPTION_TYPE[kind],
      name,
      description: (property.description ?? raw.description ?? name).slice(0, 100),
      required: isRequired,
    };
    if (property.enum && property.enum.length <= 25) {
      option.choices = property.enum.map((value) => ({
        name: String(value),
        value: value as string | number,
      }));
    }
    if (kind === 'integer' || kind === 'number') {
      if (property.minimum !== undefined) option.min_value = property.minimum;
      if (property.maximum !== undefined) option.max_value = property.maximum;
    }
    return option;
  });
  return [...options.filter((option) => option.required), ...options.filter((option) => !option.required)];
}
