import { createHash } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { PermanentJobError } from '../../core/jobs.ts';
import type { Pacer } from '../pace.ts';

/** A Web API client whose every call first waits its turn under Slack's limits. */
export class PacedWebClient extends webApi.WebClient {
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

/**
 * The workspace has no installation (never installed, or removed the app): nothing can be sent there, and a
 * job trying to is not retried.
 */
export class NotInstalledError extends PermanentJobError {
  override name = 'NotInstalledError';
  constructor(readonly workspaceId: string) {
    super(`Slack workspace ${workspaceId} has no installation of the app`);
  }
}

/** Finds a workspace's bot token (Bolt's installer, which also refreshes rotating tokens). */
export type TokenSource = (workspaceId: string) => Promise<string | undefined>;

const TOKEN_TTL = 60_000; // ms: how long a looked-up token is reused before asking the store again

/**
 * One paced client per bot token. With one workspace (SLACK_BOT_TOKEN) every request uses that token;
 * installed in many, each workspace's own token is found through `source` and kept for a minute.
 */
export class SlackClients {
  private readonly byToken = new Map<string, PacedWebClient>();
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly options: {
      clientOptions: webApi.WebClientOptions;
      pacer: Pacer | undefined;
      onRateLimited?: (() => void) | undefined;
      /** The single workspace's token, or where to find each workspace's. */
      token: string | TokenSource;
      now: () => number;
    },
  ) {}

  forToken(token: string): PacedWebClient {
    let client = this.byToken.get(token);
    if (!client) {
      client = new PacedWebClient(token, this.options.clientOptions, this.options.pacer);
      if (this.options.onRateLimited)
        client.on(webApi.WebClientEvent.RATE_LIMITED, this.options.onRateLimited);
      this.byToken.set(token, client);
    }
    return client;
  }

  async forWorkspace(workspaceId: string): Promise<PacedWebClient> {
    const { token } = this.options;
    if (typeof token === 'string') return this.forToken(token);
    const cached = this.tokens.get(workspaceId);
    if (cached && cached.until > this.options.now()) return this.forToken(cached.token);
    const found = await token(workspaceId);
    if (!found) throw new NotInstalledError(workspaceId);
    this.tokens.set(workspaceId, { token: found, until: this.options.now() + TOKEN_TTL });
    return this.forToken(found);
  }

  /** Drops what is known of a workspace's token (it uninstalled, or its token was revoked). */
  forget(workspaceId: string): void {
    const cached = this.tokens.get(workspaceId);
    this.tokens.delete(workspaceId);
    if (cached) this.byToken.delete(cached.token);
  }
}
