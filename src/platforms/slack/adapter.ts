import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, webApi } from '@slack/bolt';
import type { InstallProvider } from '@slack/oauth';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { type InputSink, isUpvote } from '../../core/dispatch.ts';
import type { Actor, InstallationKey, Place } from '../../core/types.ts';
import { PlatformLink } from '../link.ts';
import type { Pacer } from '../pace.ts';
import { SlackClients } from './clients.ts';
import { installerOptions, type OAuthSettings } from './installations.ts';
import { SlackNotifier } from './notifier.ts';
import {
  boltLogger,
  installationOf,
  type SlackMessageEvent,
  threadReply,
  unicodeReaction,
} from './payloads.ts';
import { homeReplier, SILENT, SlackReplier } from './replier.ts';

export type SlackOptions = {
  /** One workspace: its bot token. Unset when installed in many workspaces (`oauth`). */
  botToken?: string | undefined;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  /** Installed in many workspaces through "Add to Slack": Bolt's installer, tokens kept in the vault. */
  oauth?: OAuthSettings | undefined;
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

type UserInfo = { name: string; tz?: string | undefined; isAdmin: boolean; fetchedAt: number };

const USER_CACHE_TTL = 10 * 60_000; // ms
const VIEW_ACK_DEADLINE = 2_500; // ms: Slack drops a modal submission not answered within 3 s

/** The largest request body /slack/events reads, in bytes. */
export const SLACK_BODY_LIMIT = 1024 * 1024;

/**
 * The Slack adapter: Bolt receives (HTTP with signature checks, or Socket Mode), turns each payload into one
 * Invocation and acknowledges at once; the dispatcher does the rest.
 */
export class SlackAdapter {
  readonly app: App;
  readonly notifier: SlackNotifier;
  /** Each workspace's Web API client (its own token), paced. */
  readonly clients: SlackClients;
  private readonly receiver: HTTPReceiver | undefined;
  private readonly installer: InstallProvider | undefined;
  private readonly users = new Map<string, UserInfo>();
  readonly link: PlatformLink;

  constructor(
    private readonly options: SlackOptions,
    private readonly dispatcher: InputSink,
  ) {
    const clientOptions = { slackApiUrl: options.apiUrl, retryConfig: { retries: 2 } };
    const logger = boltLogger(options.log.child({ platform: 'slack' }));
    const { oauth } = options;
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
        // Installed in many workspaces: Bolt serves /slack/install and /slack/oauth_redirect, and finds each
        // request's workspace token through the installation store.
        ...(oauth ? installerOptions(oauth, options.apiUrl) : {}),
      });
      this.installer = this.receiver.installer;
      this.app = new App({
        ...(options.botToken ? { token: options.botToken } : {}),
        receiver: this.receiver,
        clientOptions,
        logger,
        tokenVerificationEnabled: false,
      });
    }
    // Every call the bot makes waits its turn under Slack's limits (shared by all processes), and a 429
    // that still comes is waited out and retried, several times, rather than dropped.
    this.clients = new SlackClients({
      clientOptions: { slackApiUrl: options.apiUrl, retryConfig: { retries: 6 }, logger },
      pacer: options.pacer,
      onRateLimited: options.onRateLimited,
      token: options.botToken ?? ((workspaceId) => this.tokenOf(workspaceId)),
      now: () => options.clock.now().getTime(),
    });
    this.notifier = new SlackNotifier(this.clients, options.log.child({ platform: 'slack' }));
    const probe = options.botToken
      ? new webApi.WebClient(options.botToken, {
          slackApiUrl: options.apiUrl,
          retryConfig: { retries: 0 },
          logger,
        })
      : undefined;
    this.link = new PlatformLink(
      'slack',
      async () => {
        // One workspace: its token must work. Many: each is checked as it installs.
        await probe?.auth.test();
        // Socket Mode opens its WebSocket here; HTTP mode shares the process's server.
        if (options.appToken) await this.app.start();
      },
      options.log,
      options.linkDelays,
    );
    this.listen();
  }

  /** A workspace's bot token from its installation (refreshed by Bolt's installer when it rotates). */
  private async tokenOf(workspaceId: string): Promise<string | undefined> {
    if (!this.installer) return undefined;
    try {
      const found = await this.installer.authorize({
        teamId: workspaceId,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      return found.botToken;
    } catch (error) {
      this.options.log.debug({ err: error, workspaceId }, 'no Slack installation for this workspace');
      return undefined;
    }
  }

  /** The client for a request Bolt has authorised (its workspace's token). */
  private clientOf(context: {
    botToken?: string | undefined;
    teamId?: string | undefined;
  }): webApi.WebClient {
    if (context.botToken) return this.clients.forToken(context.botToken);
    if (this.options.botToken) return this.clients.forToken(this.options.botToken);
    throw new Error(`no token for Slack workspace ${context.teamId ?? '?'}`);
  }

  /** The app was removed from a workspace (or its bot token revoked): forget the installation. */
  private async uninstalled(key: InstallationKey): Promise<void> {
    const { oauth } = this.options;
    if (!oauth) return;
    await oauth.vault.remove(key);
    if (key.teamId) this.clients.forget(key.teamId);
    await oauth.hooks.uninstalled(key);
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

  private async userInfo(
    client: webApi.WebClient,
    teamId: string,
    userId: string,
    fallbackName: string,
  ): Promise<UserInfo> {
    const key = `${teamId}:${userId}`;
    const cached = this.users.get(key);
    if (cached && this.options.clock.now().getTime() - cached.fetchedAt < USER_CACHE_TTL) return cached;
    try {
      const { user } = await client.users.info({ user: userId });
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

  private async actor(
    client: webApi.WebClient,
    teamId: string,
    userId: string,
    fallbackName: string,
  ): Promise<Actor> {
    const info = await this.userInfo(client, teamId, userId, fallbackName);
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
    this.app.command('/mlsd', async ({ command, ack, context }) => {
      await ack();
      const client = this.clientOf(context);
      const place: Place = {
        platform: 'slack',
        workspaceId: context.teamId ?? command.team_id,
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
            actor: await this.actor(client, place.workspaceId, command.user_id, command.user_name),
            name: '',
            args: command.text ?? '',
            receivedAt: this.options.clock.now(),
          },
          new SlackReplier(this.notifier, client, place, command.user_id, command.trigger_id),
        ),
      );
    });

    this.app.action(/.+/, async ({ ack, body, action, context }) => {
      await ack();
      if (body.type !== 'block_actions' || !('action_id' in action)) return;
      const client = this.clientOf(context);
      const teamId = context.teamId ?? body.team?.id ?? body.user.team_id ?? '';
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
            actor: await this.actor(client, teamId, body.user.id, body.user.name ?? body.user.id),
            name: action.action_id,
            args: {},
            receivedAt: this.options.clock.now(),
          },
          new SlackReplier(this.notifier, client, place, body.user.id, body.trigger_id),
        ),
      );
    });

    // A modal submission is answered once the handler has looked at it (within Slack's 3 s), so problems
    // show at their fields while the modal stays open with everything typed.
    this.app.view(/.+/, async ({ ack, body, view, context }) => {
      const client = this.clientOf(context);
      let acked = false;
      const answer = async (response?: { response_action: 'errors'; errors: Record<string, string> }) => {
        if (acked) return false;
        acked = true;
        await (response ? ack(response) : ack());
        return true;
      };
      const deadline = setTimeout(() => void answer(), VIEW_ACK_DEADLINE);
      const teamId = context.teamId ?? body.team?.id ?? body.user.team_id ?? '';
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
            actor: await this.actor(client, teamId, body.user.id, body.user.name ?? body.user.id),
            name: view.callback_id,
            args: values,
            receivedAt: this.options.clock.now(),
          },
          new SlackReplier(this.notifier, client, place, body.user.id, undefined, (errors) =>
            answer({ response_action: 'errors', errors }),
          ),
        );
      } finally {
        clearTimeout(deadline);
        await answer();
      }
    });

    this.app.event('app_home_opened', async ({ event, body, context }) => {
      if (event.tab !== 'home') return;
      const client = this.clientOf(context);
      const teamId = context.teamId ?? (body as { team_id?: string }).team_id ?? '';
      const place: Place = { platform: 'slack', workspaceId: teamId, channelId: event.channel ?? event.user };
      await this.dispatcher.dispatch(
        {
          id: `home:${event.user}`,
          kind: 'home',
          platform: 'slack',
          place,
          actor: await this.actor(client, teamId, event.user, event.user),
          name: 'home',
          args: {},
          receivedAt: this.options.clock.now(),
        },
        homeReplier(client, event.user),
      );
    });

    this.app.event('reaction_added', async ({ event, body, context }) => {
      const emoji = unicodeReaction(event.reaction);
      if (event.item.type !== 'message' || !isUpvote(emoji)) return;
      const envelope = body as { event_id?: string; team_id?: string };
      const teamId = context.teamId ?? envelope.team_id ?? '';
      await this.dispatcher.dispatch(
        {
          id: envelope.event_id ?? `${event.item.channel}:${event.item.ts}:${event.user}:${emoji}`,
          kind: 'reaction',
          platform: 'slack',
          place: { platform: 'slack', workspaceId: teamId, channelId: event.item.channel },
          actor: await this.actor(this.clientOf(context), teamId, event.user, event.user),
          name: 'reaction',
          args: { emoji, messageId: event.item.ts },
          receivedAt: this.options.clock.now(),
        },
        SILENT,
      );
    });

    this.app.event('message', async ({ event, body, context }) => {
      const message = threadReply(event as unknown as SlackMessageEvent);
      if (!message) return;
      const client = this.clientOf(context);
      const envelope = body as { event_id?: string; team_id?: string };
      // The workspace whose installation Bolt authorised (and whose token answers), not what the event says.
      const teamId = context.teamId ?? message.team ?? envelope.team_id ?? '';
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
          actor: await this.actor(client, teamId, message.user, message.user),
          name: 'message',
          args: { text: message.text, messageId: message.ts },
          // Received now, by the process's one clock (the platform's timestamps name messages, not time).
          receivedAt: this.options.clock.now(),
        },
        new SlackReplier(this.notifier, client, place, message.user),
      );
    });

    // Removed from a workspace (or its bot token revoked): Bolt delivers these without a token.
    this.app.event('app_uninstalled', async ({ context, body }) => {
      await this.uninstalled(installationOf(context, body));
    });
    this.app.event('tokens_revoked', async ({ event, context, body }) => {
      if ((event.tokens.bot ?? []).length > 0) await this.uninstalled(installationOf(context, body));
    });

    // Errors Bolt meets outside a listener (authorization, a malformed request) end in the same boundary.
    this.app.error(async (error) => {
      await this.dispatcher.fail(error);
    });
  }
}
