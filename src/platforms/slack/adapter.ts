import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { type InputSink, isUpvote } from '../../core/dispatch.ts';
import type { Actor, Place } from '../../core/types.ts';
import { PlatformLink } from '../link.ts';
import type { Pacer } from '../pace.ts';
import { SlackNotifier } from './notifier.ts';
import { homeReplier, SILENT, SlackReplier } from './replier.ts';

export type SlackOptions = {
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  apiUrl: string;
  log: Logger;
  clock: Clock;
  /** Backoff between connection attempts (tests shorten it). */
  linkDelays?: { firstDelay: number; maxDelay: number };
  /** Called whenever Slack answers 429 (for metrics). */
  onRateLimited?: () => void;
  /** Paces calls under Slack's rate limits; without one, calls go as they come. */
  pacer?: Pacer | undefined;
};

/** A Web API client whose every call first waits its turn under Slack's limits. */
class PacedWebClient extends webApi.WebClient {
  private readonly budget: string;

  constructor(
    token: string,
    options: webApi.WebClientOptions,
    private readonly pacer: Pacer | undefined,
  ) {
    super(token, options);
    // One token is one app in one workspace: its budget's key (a hash, never the token itself).
    this.budget = createHash('sha256').update(token).digest('hex').slice(0, 12);
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<webApi.WebAPICallResult> {
    const channel = typeof options?.channel === 'string' ? options.channel : undefined;
    await this.pacer?.slack(this.budget, method, channel);
    return super.apiCall(method, options);
  }
}

type UserInfo = { name: string; tz?: string | undefined; isAdmin: boolean; fetchedAt: number };

const USER_CACHE_TTL = 10 * 60_000; // ms
const VIEW_ACK_DEADLINE = 2_500; // ms: Slack drops a modal submission not answered within 3 s

/** Bolt's logger interface, fed into our pino logger. */
function boltLogger(log: Logger) {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug({ slack: msg }, 'bolt'),
    info: (...msg: unknown[]) => log.debug({ slack: msg }, 'bolt'),
    warn: (...msg: unknown[]) => log.warn({ slack: msg }, 'bolt'),
    error: (...msg: unknown[]) => log.error({ slack: msg }, 'bolt'),
    setLevel: (value: LogLevel) => {
      level = value;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** The largest request body /slack/events reads, in bytes. */
export const SLACK_BODY_LIMIT = 1024 * 1024;

/**
 * The Slack adapter: Bolt receives (HTTP with signature checks, or Socket Mode), turns each payload into one
 * Invocation and acknowledges at once; the dispatcher does the rest.
 */
export class SlackAdapter {
  readonly app: App;
  readonly notifier: SlackNotifier;
  /** The Web API client every call goes through, paced. */
  readonly client: webApi.WebClient;
  private readonly receiver: HTTPReceiver | undefined;
  private readonly users = new Map<string, UserInfo>();
  readonly link: PlatformLink;

  constructor(
    private readonly options: SlackOptions,
    private readonly dispatcher: InputSink,
  ) {
    const clientOptions = { slackApiUrl: options.apiUrl, retryConfig: { retries: 2 } };
    const logger = boltLogger(options.log.child({ platform: 'slack' }));
    // Bolt would check the token with auth.test in its constructor and crash the process on an unhandled
    // rejection when Slack is unreachable at boot; the link below checks it instead, retrying.
    if (options.appToken) {
      this.app = new App({
        token: options.botToken,
        appToken: options.appToken,
        socketMode: true,
        clientOptions,
        logger,
        tokenVerificationEnabled: false,
      });
    } else {
      this.receiver = new HTTPReceiver({
        signingSecret: options.signingSecret ?? '',
        endpoints: '/slack/events',
        logger,
        unhandledRequestTimeoutMillis: 2_900,
        // Slack's own payloads stay far below this; anything bigger is refused (413) before it is read.
        bodyLimit: SLACK_BODY_LIMIT,
      });
      this.app = new App({
        token: options.botToken,
        receiver: this.receiver,
        clientOptions,
        logger,
        tokenVerificationEnabled: false,
      });
    }
    // Every call the bot makes waits its turn under Slack's limits (shared by all processes), and a 429
    // that still comes is waited out and retried, several times, rather than dropped.
    this.client = new PacedWebClient(
      options.botToken,
      { slackApiUrl: options.apiUrl, retryConfig: { retries: 6 }, logger },
      options.pacer,
    );
    this.notifier = new SlackNotifier(this.client, options.log.child({ platform: 'slack' }));
    if (options.onRateLimited) this.client.on(webApi.WebClientEvent.RATE_LIMITED, options.onRateLimited);
    const probe = new webApi.WebClient(options.botToken, {
      slackApiUrl: options.apiUrl,
      retryConfig: { retries: 0 },
      logger,
    });
    this.link = new PlatformLink(
      'slack',
      async () => {
        await probe.auth.test();
        // Socket Mode opens its WebSocket here; HTTP mode shares the process's server.
        if (options.appToken) await this.app.start();
      },
      options.log,
      options.linkDelays,
    );
    this.listen();
  }

  /** HTTP mode: handles POST /slack/events on the shared HTTP server. */
  get requestListener(): ((req: IncomingMessage, res: ServerResponse) => void) | undefined {
    return this.receiver?.requestListener;
  }

  /** Connects in the background: an unreachable Slack is retried, never fatal. */
  async start(): Promise<void> {
    await this.link.start();
  }

  async stop(): Promise<void> {
    const wasConnected = this.link.connected;
    await this.link.stop();
    if (this.options.appToken && wasConnected) await this.app.stop();
  }

  private async userInfo(teamId: string, userId: string, fallbackName: string): Promise<UserInfo> {
    const key = `${teamId}:${userId}`;
    const cached = this.users.get(key);
    if (cached && this.options.clock.now().getTime() - cached.fetchedAt < USER_CACHE_TTL) return cached;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const info: UserInfo = {
        name: user?.profile?.display_name || user?.real_name || user?.name || fallbackName,
        tz: user?.tz,
        isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
        fetchedAt: this.options.clock.now().getTime(),
      };
      this.users.set(key, info);
      return info;
    } catch (error) {
      this.options.log.debug({ err: error, userId }, 'users.info failed; using what the payload says');
      return { name: fallbackName, isAdmin: false, fetchedAt: 0 };
    }
  }

  private async actor(teamId: string, userId: string, fallbackName: string): Promise<Actor> {
    const info = await this.userInfo(teamId, userId, fallbackName);
    return {
      platform: 'slack',
      workspaceId: teamId,
      userId,
      displayName: info.name,
      isPlatformAdmin: info.isAdmin,
      timeZone: info.tz,
    };
  }

  /**
   * Acknowledged already: the work starts on the next turn of the event loop, after Bolt has written the
   * HTTP response, so Slack never waits on it (nor on users.info).
   */
  private later(work: () => Promise<unknown>): void {
    setImmediate(() => {
      work().catch((error: unknown) => this.options.log.error({ err: error }, 'slack handler failed'));
    });
  }

  private listen(): void {
    this.app.command('/mlsd', async ({ command, ack }) => {
      await ack();
      const place: Place = {
        platform: 'slack',
        workspaceId: command.team_id,
        channelId: command.channel_id,
        channelName: command.channel_name,
      };
      this.later(async () =>
        this.dispatcher.dispatch(
          {
            id: command.trigger_id,
            kind: 'command',
            platform: 'slack',
            place,
            actor: await this.actor(command.team_id, command.user_id, command.user_name),
            name: '',
            args: command.text ?? '',
            receivedAt: this.options.clock.now(),
          },
          new SlackReplier(this.notifier, this.client, place, command.user_id, command.trigger_id),
        ),
      );
    });

    this.app.action(/.+/, async ({ ack, body, action }) => {
      await ack();
      if (body.type !== 'block_actions' || !('action_id' in action)) return;
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
      const message = body.message as { ts?: string; thread_ts?: string } | undefined;
      const place: Place = {
        platform: 'slack',
        workspaceId: teamId,
        channelId,
        threadId: message?.thread_ts ?? message?.ts,
      };
      this.later(async () =>
        this.dispatcher.dispatch(
          {
            id: body.trigger_id,
            kind: 'button',
            platform: 'slack',
            place,
            actor: await this.actor(teamId, body.user.id, body.user.name ?? body.user.id),
            name: action.action_id,
            args: {},
            receivedAt: this.options.clock.now(),
          },
          new SlackReplier(this.notifier, this.client, place, body.user.id, body.trigger_id),
        ),
      );
    });

    // A modal submission is answered once the handler has looked at it (within Slack's 3 s), so problems
    // show at their fields while the modal stays open with everything typed.
    this.app.view(/.+/, async ({ ack, body, view }) => {
      let acked = false;
      const answer = async (response?: { response_action: 'errors'; errors: Record<string, string> }) => {
        if (acked) return false;
        acked = true;
        await (response ? ack(response) : ack());
        return true;
      };
      const deadline = setTimeout(() => void answer(), VIEW_ACK_DEADLINE);
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const metadata = JSON.parse(view.private_metadata || '{}') as { channelId?: string; threadId?: string };
      const values: Record<string, string> = {};
      for (const [blockId, actions] of Object.entries(view.state.values)) {
        for (const input of Object.values(actions))
          values[blockId] = input.value ?? input.selected_option?.value ?? '';
      }
      const place: Place = {
        platform: 'slack',
        workspaceId: teamId,
        channelId: metadata.channelId ?? body.user.id,
        threadId: metadata.threadId || undefined,
      };
      try {
        await this.dispatcher.dispatch(
          {
            // A corrected resubmission of the same modal is a new delivery; a double click is not.
            id: `${view.id}:${createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16)}`,
            kind: 'form',
            platform: 'slack',
            place,
            actor: await this.actor(teamId, body.user.id, body.user.name ?? body.user.id),
            name: view.callback_id,
            args: values,
            receivedAt: this.options.clock.now(),
          },
          new SlackReplier(this.notifier, this.client, place, body.user.id, undefined, (errors) =>
            answer({ response_action: 'errors', errors }),
          ),
        );
      } finally {
        clearTimeout(deadline);
        await answer();
      }
    });

    this.app.event('app_home_opened', async ({ event, body }) => {
      if (event.tab !== 'home') return;
      const teamId = (body as { team_id?: string }).team_id ?? '';
      const place: Place = { platform: 'slack', workspaceId: teamId, channelId: event.channel ?? event.user };
      await this.dispatcher.dispatch(
        {
          id: `home:${event.user}`,
          kind: 'home',
          platform: 'slack',
          place,
          actor: await this.actor(teamId, event.user, event.user),
          name: 'home',
          args: {},
          receivedAt: this.options.clock.now(),
        },
        homeReplier(this.client, event.user),
      );
    });

    this.app.event('reaction_added', async ({ event, body }) => {
      const emoji = unicodeReaction(event.reaction);
      if (event.item.type !== 'message' || !isUpvote(emoji)) return;
      const envelope = body as { event_id?: string; team_id?: string };
      const teamId = envelope.team_id ?? '';
      await this.dispatcher.dispatch(
        {
          id: envelope.event_id ?? `${event.item.channel}:${event.item.ts}:${event.user}:${emoji}`,
          kind: 'reaction',
          platform: 'slack',
          place: { platform: 'slack', workspaceId: teamId, channelId: event.item.channel },
          actor: await this.actor(teamId, event.user, event.user),
          name: 'reaction',
          args: { emoji, messageId: event.item.ts },
          receivedAt: this.options.clock.now(),
        },
        SILENT,
      );
    });

    this.app.event('message', async ({ event, body }) => {
      const message = threadReply(event as unknown as SlackMessageEvent);
      if (!message) return;
      const envelope = body as { event_id?: string; team_id?: string };
      const teamId = message.team ?? envelope.team_id ?? '';
      const place: Place = {
        platform: 'slack',
        workspaceId: teamId,
        channelId: message.channel,
        threadId: message.threadTs,
      };
      await this.dispatcher.dispatch(
        {
          id: envelope.event_id ?? `${message.channel}:${message.ts}:${message.editedTs ?? ''}`,
          kind: 'message',
          platform: 'slack',
          place,
          actor: await this.actor(teamId, message.user, message.user),
          name: 'message',
          args: { text: message.text, messageId: message.ts },
          // Received now, by the process's one clock (the platform's timestamps name messages, not time).
          receivedAt: this.options.clock.now(),
        },
        new SlackReplier(this.notifier, this.client, place, message.user),
      );
    });

    // Errors Bolt meets outside a listener (authorization, a malformed request) end in the same boundary.
    this.app.error(async (error) => {
      await this.dispatcher.fail(error);
    });
  }
}

type SlackMessageEvent = {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  message?: SlackMessageEvent & { edited?: { ts: string } };
};

/** A person's reply inside a thread (new or edited); undefined for anything else. */
function threadReply(event: SlackMessageEvent) {
  const edited = event.subtype === 'message_changed' ? event.message : undefined;
  const message = edited ?? event;
  if (
    event.subtype &&
    event.subtype !== 'message_changed' &&
    event.subtype !== 'thread_broadcast' &&
    event.subtype !== 'file_share'
  ) {
    return undefined;
  }
  if (message.bot_id || !message.user || !message.thread_ts || message.thread_ts === message.ts)
    return undefined;
  return {
    channel: event.channel,
    user: message.user,
    text: message.text ?? '',
    ts: message.ts,
    threadTs: message.thread_ts,
    team: message.team ?? event.team,
    editedTs: edited?.edited?.ts,
  };
}

/** Slack names emoji ("+1", "thumbsup::skin-tone-3"); the core speaks unicode. Only 👍 matters so far. */
function unicodeReaction(name: string): string {
  const base = name.replace(/::skin-tone-\d$/, '');
  return base === '+1' || base === 'thumbsup' ? '👍' : `:${name}:`;
}
