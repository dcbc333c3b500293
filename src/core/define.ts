import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Registry } from './registry.ts';
import type { FormSpec, Invocation, OutMessage, ReplyOptions } from './types.ts';

/**
 * What commands and jobs are made of. The kernel is generic over the services they use (`S`), so it knows
 * nothing above it; `src/kit.ts` binds `S` to the bot's services for the files in commands/ and jobs/.
 */

/** Named preconditions checked by the dispatch pipeline before a handler runs. */
export type Guard = { kind: 'admin' } | { kind: 'cooldown'; ms: number };

export const adminOnly: Guard = { kind: 'admin' };
export const cooldown = (ms: number): Guard => ({ kind: 'cooldown', ms });

export type HandlerContext<S = unknown> = {
  invocation: Invocation;
  services: S;
  registry: Registry<S>;
  log: Logger;
  reply(message: OutMessage | string, options?: ReplyOptions): Promise<void>;
  openForm(form: FormSpec): Promise<void>;
};

export type CommandContext<S, Args> = HandlerContext<S> & { args: Args };

/** A command the user can invoke; `options` types `args`, produces Discord options and parses Slack text. */
export type Subcommand<S = unknown, Schema extends z.ZodObject = z.ZodObject> = {
  description: string;
  options: Schema;
  guards?: Guard[];
  examples?: string[];
  run(context: CommandContext<S, z.infer<Schema>>): Promise<void>;
};

export type ComponentContext<S = unknown> = HandlerContext<S> & {
  /** The parts of the custom id after `<command>:<handler>:`. */
  params: string[];
  /** Form field values, for form submissions. */
  values: Record<string, string>;
};

/**
 * What a command does beyond its own invocations: a reply in a thread (`message`), a reaction on a message
 * (`reaction`), or a person opening the platform's home surface (`home`, answered with `reply`).
 */
export type Listeners<S = unknown> = {
  message?: (context: HandlerContext<S> & { message: { text: string; messageId: string } }) => Promise<void>;
  reaction?: (
    context: HandlerContext<S> & { reaction: { emoji: string; messageId: string } },
  ) => Promise<void>;
  home?: (context: HandlerContext<S>) => Promise<void>;
};

export type CommandDefinition<S = unknown> = {
  name: string;
  description: string;
  /** Subcommands; a command without a `default` must be called with one of them. */
  subcommands: Record<string, Subcommand<S>>;
  /** The subcommand run when the command is called bare (`/mlsd daily`). */
  default?: string;
  /** Button handlers, addressed by custom ids `<name>:<handler>:...`. */
  buttons?: Record<string, (context: ComponentContext<S>) => Promise<void>>;
  /** Form handlers, addressed by form ids `<name>:<handler>:...`. */
  forms?: Record<string, (context: ComponentContext<S>) => Promise<void>>;
  on?: Listeners<S>;
};

export type JobContext<S, Data> = {
  data: Data;
  services: S;
  log: Logger;
  job: { id: string | undefined; name: string; attemptsMade: number };
};

/** Work that runs on a schedule or after a delay. `data` is parsed with zod before `run`. */
export type JobDefinition<S = unknown, Schema extends z.ZodType = z.ZodType> = {
  name: string;
  queue: string;
  description: string;
  data: Schema;
  attempts?: number;
  run(context: JobContext<S, z.infer<Schema>>): Promise<void>;
};

/** The definition helpers, typed for one set of services. */
export function createKit<S>() {
  return {
    defineCommand: (definition: CommandDefinition<S>): CommandDefinition<S> => definition,
    /** Keeps each subcommand's argument type tied to its own schema. */
    subcommand: <Schema extends z.ZodObject>(definition: Subcommand<S, Schema>): Subcommand<S> =>
      definition as unknown as Subcommand<S>,
    defineJob: <Schema extends z.ZodType>(definition: JobDefinition<S, Schema>): JobDefinition<S> =>
      definition as unknown as JobDefinition<S>,
  };
}
