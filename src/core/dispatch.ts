import type { Logger } from 'pino';
import { unexpectedErrorText, userErrorText } from '../../content/messages.ts';
import { recordDelivery } from '../db/queries/deliveries.ts';
import type { Services } from '../services/index.ts';
import type { UpvoteOutcome } from '../services/upvotes.ts';
import { parseFreeText, parseOptions, tokenize } from './args.ts';
import type { Clock } from './clock.ts';
import type { CommandDefinition, Guard, HandlerContext, Subcommand } from './define.ts';
import { FormError, UserError } from './errors.ts';
import type { Registry } from './registry.ts';
import type { Actor, Invocation, OutMessage, Place, Replier } from './types.ts';
import { closestCommands, commandUsage, exampleFor, styleOf } from './usage.ts';

export type Resolved = { command: CommandDefinition; subName: string; sub: Subcommand; rest: string };

/** Finds the subcommand free text names (`daily schedule 09:00` -> daily/schedule, rest `09:00`). */
export function resolveFreeText(registry: Registry, text: string): Resolved | { unknown: string } {
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
  return { command, subName: fallback, sub: command.subcommands[fallback] as Subcommand, rest: afterFirst };
}

/** Finds the subcommand a typed path names (`daily schedule`, or `daily` alone for its default). */
export function resolvePath(registry: Registry, path: string): Resolved | { unknown: string } {
  const [first = 'help', second] = path.trim().split(/\s+/);
  const command = registry.commands.get(first);
  if (!command) return { unknown: path };
  const subName =
    second && second in command.subcommands
      ? second
      : (command.default ?? (second ? undefined : Object.keys(command.subcommands)[0]));
  if (!subName || !command.subcommands[subName]) return { unknown: path };
  return { command, subName, sub: command.subcommands[subName] as Subcommand, rest: '' };
}

function adminWho(platform: Actor['platform']): string {
  return platform === 'discord'
    ? 'members with the Manage Server permission, or listed in MLSD_ADMINS'
    : 'workspace admins and owners, or members listed in MLSD_ADMINS';
}

export type ThreadMessage = {
  /** The delivery id (Slack event id, Discord message id). */
  id: string;
  place: Place & { threadId: string };
  actor: Actor;
  messageId: string;
  text: string;
  sentAt: Date;
};

export type DispatcherOptions = {
  registry: Registry;
  clock: Clock;
  services: Services;
  log: Logger;
  /** Called after every invocation with its outcome, for metrics. */
  observe?: (event: {
    kind: string;
    name: string;
    outcome: 'ok' | 'refused' | 'error' | 'duplicate';
    ms: number;
  }) => void;
};

/** The one pipeline every invocation goes through: dedupe, route, parse, guard, run, one error boundary. */
/** Reactions that count as an upvote: 👍 in any skin tone (adapters pass reactions as unicode emoji). */
export function isUpvote(emoji: string): boolean {
  return emoji.replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '') === '👍';
}

export class Dispatcher {
  private readonly lastUse = new Map<string, number>();

  constructor(private readonly options: DispatcherOptions) {}

  get registry(): Registry {
    return this.options.registry;
  }

  async dispatch(invocation: Invocation, replier: Replier): Promise<void> {
    const started = performance.now();
    const log = this.options.log.child({
      invocation: invocation.id,
      platform: invocation.platform,
      name: invocation.name,
    });
    let outcome: 'ok' | 'refused' | 'error' | 'duplicate' = 'ok';
    try {
      if (
        !(await recordDelivery(
          this.options.services.deps.db,
          invocation.platform,
          `${invocation.kind}:${invocation.id}`,
        ))
      ) {
        outcome = 'duplicate';
        log.debug('duplicate delivery ignored');
        return;
      }
      const context = this.context(invocation, replier, log);
      if (invocation.kind === 'command') await this.runCommand(invocation, context);
      else await this.runComponent(invocation, context);
    } catch (error) {
      if (error instanceof FormError) {
        outcome = 'refused';
        log.info({ refusal: error.identifier, fields: Object.keys(error.problems) }, 'refused');
        const values = typeof invocation.args === 'string' ? {} : (invocation.args as Record<string, string>);
        await replier.rejectForm(error.problems, values).catch((replyError: unknown) => {
          log.warn({ err: replyError }, 'could not show the form problems');
        });
      } else if (error instanceof UserError) {
        outcome = 'refused';
        await this.refuse(replier, error, invocation, log);
      } else {
        outcome = 'error';
        log.error({ err: error, invocation }, 'invocation failed');
        await replier.reply(unexpectedErrorText(), { private: true }).catch((replyError: unknown) => {
          log.warn({ err: replyError }, 'could not report the failure to the user');
        });
      }
    } finally {
      this.options.observe?.({
        kind: invocation.kind,
        name: invocation.name.split(/[\s:]/)[0] || 'help',
        outcome,
        ms: performance.now() - started,
      });
    }
  }

  /** A reply in a thread: graded as an answer when the thread belongs to a daily prompt. */
  async threadMessage(message: ThreadMessage, tell: (feedback: OutMessage) => Promise<void>): Promise<void> {
    const log = this.options.log.child({ delivery: message.id, platform: message.place.platform });
    try {
      if (
        !(await recordDelivery(
          this.options.services.deps.db,
          message.place.platform,
          `message:${message.id}`,
        ))
      )
        return;
      const outcome = await this.options.services.answers.answerInThread(message.place, {
        actor: message.actor,
        messageId: message.messageId,
        text: message.text,
        sentAt: message.sentAt,
        source: 'thread',
      });
      if ('feedback' in outcome) await tell(outcome.feedback);
    } catch (error) {
      log.error(
        { err: error, message: { ...message, text: `${message.text.length} chars` } },
        'thread message failed',
      );
    }
  }

  /**
   * A reaction on a message: a 👍 on a daily answer in its thread is an upvote for its author. Returns what
   * became of it (undefined when it was not a 👍 or failed), for surfaces that show it.
   */
  async reaction(reaction: {
    actor: Actor;
    channelId: string;
    messageId: string;
    emoji: string;
  }): Promise<UpvoteOutcome | undefined> {
    if (!isUpvote(reaction.emoji)) return undefined;
    try {
      const outcome = await this.options.services.answers.upvoteAnswer({
        voter: reaction.actor,
        channelId: reaction.channelId,
        messageId: reaction.messageId,
      });
      if (outcome !== 'not-an-answer')
        this.options.log.info(
          { message: reaction.messageId, voter: reaction.actor.userId, outcome },
          'upvote',
        );
      return outcome;
    } catch (error) {
      this.options.log.error({ err: error, message: reaction.messageId }, 'upvote failed');
      return undefined;
    }
  }

  /** A platform's home surface (Slack App Home) for one person; undefined when it could not be built. */
  async home(actor: Actor): Promise<OutMessage | undefined> {
    try {
      return await this.options.services.stats.homeView(actor);
    } catch (error) {
      this.options.log.error({ err: error, user: actor.userId }, 'home view failed');
      return undefined;
    }
  }

  private context(invocation: Invocation, replier: Replier, log: Logger): HandlerContext {
    return {
      invocation,
      services: this.options.services,
      registry: this.options.registry,
      log,
      reply: (message, options) => replier.reply(message, options),
      openForm: (form) => replier.openForm(form),
    };
  }

  private async runCommand(invocation: Invocation, context: HandlerContext): Promise<void> {
    const resolved =
      typeof invocation.args === 'string'
        ? resolveFreeText(this.options.registry, `${invocation.name} ${invocation.args}`.trim())
        : resolvePath(this.options.registry, invocation.name);
    if ('unknown' in resolved) {
      const style = styleOf(invocation.platform);
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
        usage: commandUsage(resolved, styleOf(invocation.platform)),
        example: exampleFor(resolved, resolved.sub.examples?.[0] ?? '', styleOf(invocation.platform)),
      });
    }
    this.checkGuards(resolved.sub.guards ?? [], invocation, `${resolved.command.name} ${resolved.subName}`);
    await resolved.sub.run({ ...context, args: parsed.value });
  }

  private async runComponent(invocation: Invocation, context: HandlerContext): Promise<void> {
    const [commandName = '', handlerName = '', ...params] = invocation.name.split(':');
    const command = this.options.registry.commands.get(commandName);
    const handler =
      invocation.kind === 'button' ? command?.buttons?.[handlerName] : command?.forms?.[handlerName];
    if (!handler) {
      context.log.warn('no handler for component');
      await context.reply(
        'That button or form is no longer supported. Run `/mlsd help` to see what I can do.',
        { private: true },
      );
      return;
    }
    const values = typeof invocation.args === 'string' ? {} : (invocation.args as Record<string, string>);
    await handler({ ...context, params, values });
  }

  private checkGuards(guards: Guard[], invocation: Invocation, path: string): void {
    for (const guard of guards) {
      if (guard.kind === 'admin' && !this.options.services.members.isAdmin(invocation.actor)) {
        throw new UserError('admin-only', {
          action: `use \`/mlsd ${path}\``,
          who: adminWho(invocation.platform),
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

  private async refuse(
    replier: Replier,
    error: UserError,
    invocation: Invocation,
    log: Logger,
  ): Promise<void> {
    log.info({ refusal: error.identifier }, 'refused');
    await replier
      .reply({ text: userErrorText(error.identifier, error.context) }, { private: true })
      .catch((replyError: unknown) => {
        log.warn({ err: replyError, invocation: invocation.id }, 'could not deliver a refusal');
      });
  }
}
