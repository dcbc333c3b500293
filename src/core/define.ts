import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Services } from '../services/index.ts';
import type { Registry } from './registry.ts';
import type { FormSpec, Invocation, OutMessage, ReplyOptions } from './types.ts';

/** Named preconditions checked by the dispatch pipeline before a handler runs. */
export type Guard = { kind: 'admin' } | { kind: 'cooldown'; ms: number };

export const adminOnly: Guard = { kind: 'admin' };
export const cooldown = (ms: number): Guard => ({ kind: 'cooldown', ms });

export type HandlerContext = {
  invocation: Invocation;
  services: Services;
  registry: Registry;
  log: Logger;
  reply(message: OutMessage | string, options?: ReplyOptions): Promise<void>;
  openForm(form: FormSpec): Promise<void>;
};

export type CommandContext<Args> = HandlerContext & { args: Args };

/** A command the user can invoke; `options` types `args`, produces Discord options and parses Slack text. */
export type Subcommand<Schema extends z.ZodObject = z.ZodObject> = {
  description: string;
  options: Schema;
  guards?: Guard[];
  examples?: string[];
  run(context: CommandContext<z.infer<Schema>>): Promise<void>;
};

export type ComponentContext = HandlerContext & {
  /** The parts of the custom id after `<command>:<handler>:`. */
  params: string[];
  /** Form field values, for form submissions. */
  values: Record<string, string>;
};

export type CommandDefinition = {
  name: string;
  description: string;
  /** Subcommands; a command without a `default` must be called with one of them. */
  subcommands: Record<string, Subcommand>;
  /** The subcommand run when the command is called bare (`/mlsd daily`). */
  default?: string;
  /** Button handlers, addressed by custom ids `<name>:<handler>:...`. */
  buttons?: Record<string, (context: ComponentContext) => Promise<void>>;
  /** Form handlers, addressed by form ids `<name>:<handler>:...`. */
  forms?: Record<string, (context: ComponentContext) => Promise<void>>;
};

/** Keeps each subcommand's argument type tied to its own schema. */
export function subcommand<Schema extends z.ZodObject>(definition: Subcommand<Schema>): Subcommand {
  return definition as unknown as Subcommand;
}

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

export type JobContext<Data> = {
  data: Data;
  services: Services;
  log: Logger;
  job: { id: string | undefined; name: string; attemptsMade: number };
};

/** Work that runs on a schedule or after a delay. `data` is parsed with zod before `run`. */
export type JobDefinition<Schema extends z.ZodType = z.ZodType> = {
  name: string;
  queue: string;
  description: string;
  data: Schema;
  attempts?: number;
  run(context: JobContext<z.infer<Schema>>): Promise<void>;
};

export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition {
  return definition as unknown as JobDefinition;
}
