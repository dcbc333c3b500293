import type { Logger } from 'pino';
import { parseFreeText, parseOptions, tokenize } from './args.ts';
import type { Clock } from './clock.ts';
import type { CommandDefinition, Guard, HandlerContext, Subcommand } from './define.ts';
import { FormError, UserError } from './errors.ts';
import type { Registry } from './registry.ts';
import type { Actor, Invocation, OutMessage, Replier } from './types.ts';
import { closestCommands, commandUsage, exampleFor, styleOf } from './usage.ts';

/**
 * The one pipeline every input goes through (a command, button, form, thread reply, reaction or home
 * view): dedupe, route, parse, guard, run, and one error boundary. It knows nothing of the layers above:
 * what it needs of them arrives as ports.
 */

export type Resolved<S = unknown> = {
  command: CommandDefinition<S>;
  subName: string;
  sub: Subcommand<S>;
  rest: string;
};

/** Finds the subcommand free text names (`daily schedule 09:00` -> daily/schedule, rest `09:00`). */
export function resolveFreeText<S>(registry: Registry<S>, text: string): Resolved<S> | { unknown: string } {
  const [first = 'help', second] = tokenize(text.trim());
  const command = registry.commands.get(first.toLowerCase());
  if (!command) return { unknown: first };
  const afterFirst = text
    .trim()
    .slice(text.trim().indexOf(first) + first.length)
    .trim();
  const named = second ? command.subcommands[second.toLowerCase()] : undefined;
  if (second && named) {
    return {
      command,
      subName: second.toLowerCase(),
      sub: named,
      rest: afterFirst.slice(afterFirst.indexOf(second) + second.length).trim(),
    };
  }
  const fallback =
    command.default ??
    (Object.keys(command.subcommands).length === 1 ? Object.keys(command.subcommands)[0] : undefined);
  if (!fallback) return { unknown: `${first}${second ? ` ${second}` : ''}` };
  return {
    command,
    subName: fallback,
    sub: command.subcommands[fallback] as Subcommand<S>,
    rest: afterFirst,
  };
}

/** Finds the subcommand a typed path names (`daily schedule`, or `daily` alone for its default). */
export function resolvePath<S>(registry: Registry<S>, path: string): Resolved<S> | { unknown: string } {
  const [first = 'help', second] = path.trim().split(/\s+/);
  const command = registry.commands.get(first);
  if (!command) return { unknown: path };
  const subName =
    second && second in command.subcommands
      ? second
      : (command.default ?? (second ? undefined : Object.keys(command.subcommands)[0]));
  if (!subName || !command.subcommands[subName]) return { unknown: path };
  return { command, subName, sub: command.subcommands[subName] as Subcommand<S>, rest: '' };
}

/** Reactions that count as an upvote: 👍 in any skin tone (adapters pass reactions as unicode emoji). */
export function isUpvote(emoji: string): boolean {
  return emoji.replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '') === '👍';
}

/** What the dispatcher needs from above, passed in by the composition root. */
export type DispatchPorts = {
  /** Records a delivery; false when it was seen before (a platform retry, a double click). */
  firstDelivery(platform: string, key: string): Promise<boolean>;
  /** The platform's admin signal plus the configured admins. */
  isAdmin(actor: Actor): boolean;
  /** The refusal for an error that means a dependency is down (the database), if it is one. */
  unavailable?(error: unknown): UserError | undefined;
  /** The words of a refusal and of an unexpected failure (content/ owns them). */
  words: {
    refusal(error: UserError): string;
    unexpected(): OutMessage;
    unknownComponent(): string;
  };
};

export type Outcome = 'ok' | 'refused' | 'error' | 'duplicate' | 'ignored';

/** What platform adapters hand their input to: the dispatcher, seen without the services it serves. */
export interface InputSink {
  dispatch(invocation: Invocation, replier: Replier): Promise<Outcome>;
  fail(error: unknown): Promise<void>;
}

export type DispatcherOptions<S> = {
  registry: Registry<S>;
  services: S;
  clock: Clock;
  log: Logger;
  ports: DispatchPorts;
  /** Called after every input with its outcome, for metrics. */
  observe?: (event: { kind: string; name: string; outcome: Outcome; ms: number }) => void;
};

/** The command an input belongs to, for metrics: the first word of its path, text or custom id. */
function metricName(invocation: Invocation): string {
  const path =
    invocation.kind === 'command' && typeof invocation.args === 'string'
      ? `${invocation.name} ${invocation.args}`
      : invocation.name;
  return path.trim().split(/[\s:]/)[0]?.toLowerCase() || 'help';
}

/** Kinds of input that can be delivered twice by a platform; a home view is idempotent. */
const DEDUPED = new Set<Invocation['kind']>(['command', 'button', 'form', 'message', 'reaction']);

export class Dispatcher<S = unknown> implements InputSink {
  private readonly lastUse = new Map<string, number>();

  constructor(private readonly options: DispatcherOptions<S>) {}

  get registry(): Registry<S> {
    return this.options.registry;
  }

  /** Runs one input through the pipeline; never throws (the boundary logs and answers instead). */
  async dispatch(invocation: Invocation, replier: Replier): Promise<Outcome> {
    const started = performance.now();
    const log = this.options.log.child({
      invocation: invocation.id,
      platform: invocation.platform,
      kind: invocation.kind,
      name: invocation.name,
    });
    let outcome: Outcome = 'ok';
    try {
      if (
        DEDUPED.has(invocation.kind) &&
        !(await this.options.ports.firstDelivery(invocation.platform, `${invocation.kind}:${invocation.id}`))
      ) {
        outcome = 'duplicate';
        log.debug('duplicate delivery ignored');
        return outcome;
      }
      const context = this.context(invocation, replier, log);
      switch (invocation.kind) {
        case 'command':
          await this.runCommand(invocation, context);
          break;
        case 'button':
        case 'form':
          await this.runComponent(invocation, context);
          break;
        default:
          if (!(await this.runListeners(invocation, context))) outcome = 'ignored';
      }
    } catch (error) {
      outcome = error instanceof UserError ? 'refused' : 'error';
      await this.fail(error, invocation, replier, log);
    } finally {
      this.options.observe?.({
        kind: invocation.kind,
        name: metricName(invocation),
        outcome,
        ms: performance.now() - started,
      });
    }
    return outcome;
  }

  /**
   * The error boundary: a refusal is worded and shown to the person (at the form's fields for a form), any
   * other error is logged once with the input and answered with an apology. Errors platforms raise outside
   * an input (Bolt's app.error, discord.js 'error') come here too, without a person to answer.
   */
  async fail(
    error: unknown,
    invocation?: Invocation,
    replier?: Replier,
    log = this.options.log,
  ): Promise<void> {
    const problems =
      error instanceof FormError
        ? error.problems
        : error instanceof UserError && error.field && invocation?.kind === 'form'
          ? { [error.field]: this.options.ports.words.refusal(error) }
          : undefined;
    if (problems && replier) {
      log.info({ refusal: (error as UserError).identifier, fields: Object.keys(problems) }, 'refused');
      const values =
        invocation && typeof invocation.args !== 'string' ? (invocation.args as Record<string, string>) : {};
      await replier.rejectForm(problems, values).catch((replyError: unknown) => {
        log.warn({ err: replyError }, 'could not show the form problems');
      });
      return;
    }
    if (error instanceof UserError) {
      log.info({ refusal: error.identifier }, 'refused');
      await replier
        ?.reply({ text: this.options.ports.words.refusal(error) })
        .catch((replyError: unknown) => log.warn({ err: replyError }, 'could not deliver a refusal'));
      return;
    }
    const down = this.options.ports.unavailable?.(error);
    if (down) {
      log.warn({ err: error, refusal: down.identifier }, 'dependency unavailable');
      await replier
        ?.reply({ text: this.options.ports.words.refusal(down) })
        .catch((replyError: unknown) => log.warn({ err: replyError }, 'could not deliver a refusal'));
      return;
    }
    const shown = invocation
      ? {
          ...invocation,
          // An answer's text is the member's own: log its size, not its words.
          args:
            invocation.kind === 'message'
              ? { size: JSON.stringify(invocation.args).length }
              : invocation.args,
        }
      : undefined;
    log.error({ err: error, invocation: shown }, invocation ? 'invocation failed' : 'platform error');
    await replier
      ?.reply(this.options.ports.words.unexpected())
      .catch((replyError: unknown) =>
        log.warn({ err: replyError }, 'could not report the failure to the user'),
      );
  }

  private context(invocation: Invocation, replier: Replier, log: Logger): HandlerContext<S> {
    return {
      invocation,
      services: this.options.services,
      registry: this.options.registry,
      log,
      reply: (message, options) => replier.reply(message, options),
      openForm: (form) => replier.openForm(form),
    };
  }

  private async runCommand(invocation: Invocation, context: HandlerContext<S>): Promise<void> {
    const resolved =
      typeof invocation.args === 'string'
        ? resolveFreeText(this.options.registry, `${invocation.name} ${invocation.args}`.trim())
        : resolvePath(this.options.registry, invocation.name);
    const style = styleOf(invocation.platform);
    if ('unknown' in resolved) {
      throw new UserError('unknown-command', {
        name: resolved.unknown,
        suggestions: closestCommands(this.options.registry, resolved.unknown, style)
          .map((path) => `\`/mlsd ${path}\``)
          .join(' or '),
      });
    }
    const parsed =
      typeof invocation.args === 'string'
        ? parseFreeText(resolved.sub.options, resolved.rest)
        : parseOptions(resolved.sub.options, invocation.args);
    if (!parsed.ok) {
      throw new UserError('bad-arguments', {
        problem: parsed.problem,
        usage: commandUsage(resolved, style),
        example: exampleFor(resolved, resolved.sub.examples?.[0] ?? '', style),
      });
    }
    this.checkGuards(resolved.sub.guards ?? [], invocation, `${resolved.command.name} ${resolved.subName}`);
    await resolved.sub.run({ ...context, args: parsed.value });
  }

  private async runComponent(invocation: Invocation, context: HandlerContext<S>): Promise<void> {
    const [commandName = '', handlerName = '', ...params] = invocation.name.split(':');
    const command = this.options.registry.commands.get(commandName);
    const handler =
      invocation.kind === 'button' ? command?.buttons?.[handlerName] : command?.forms?.[handlerName];
    if (!handler) {
      context.log.warn('no handler for component');
      await context.reply(this.options.ports.words.unknownComponent());
      return;
    }
    const values = typeof invocation.args === 'string' ? {} : (invocation.args as Record<string, string>);
    await handler({ ...context, params, values });
  }

  /** Thread replies, reactions and home views go to every command that listens for them. */
  private async runListeners(invocation: Invocation, context: HandlerContext<S>): Promise<boolean> {
    const args = typeof invocation.args === 'string' ? {} : invocation.args;
    let handled = false;
    for (const command of this.options.registry.commands.values()) {
      const on = command.on;
      if (invocation.kind === 'message' && on?.message) {
        await on.message({
          ...context,
          message: { text: String(args.text ?? ''), messageId: String(args.messageId ?? '') },
        });
        handled = true;
      } else if (invocation.kind === 'reaction' && on?.reaction) {
        await on.reaction({
          ...context,
          reaction: { emoji: String(args.emoji ?? ''), messageId: String(args.messageId ?? '') },
        });
        handled = true;
      } else if (invocation.kind === 'home' && on?.home) {
        await on.home(context);
        handled = true;
      }
    }
    return handled;
  }

  private checkGuards(guards: Guard[], invocation: Invocation, path: string): void {
    for (const guard of guards) {
      if (guard.kind === 'admin' && !this.options.ports.isAdmin(invocation.actor)) {
        throw new UserError('admin-only', {
          action: `use \`/mlsd ${path}\``,
          platform: invocation.platform,
        });
      }
      if (guard.kind === 'cooldown') {
        const key = `${invocation.platform}:${invocation.actor.workspaceId}:${invocation.actor.userId}:${path}`;
        const now = this.options.clock.now().getTime();
        const last = this.lastUse.get(key);
        if (last !== undefined && now - last < guard.ms) {
          throw new UserError('cooldown', {
            command: `/mlsd ${path}`,
            seconds: Math.ceil((guard.ms - (now - last)) / 1000),
          });
        }
        this.lastUse.set(key, now);
      }
    }
  }
}
