/**
 * The published rate limits the Slack and Discord fakes enforce, so tests and benchmarks see what production
 * would. A `scale` multiplies every limit (a benchmark may run faster, computing its floor with the same
 * factor). Windows slide: a call is refused while the window already holds the limit's number of calls.
 */

import { SLACK_METHOD_TIERS } from '../../src/platforms/pace.ts';

type Rule = { points: number; windowMs: number };

export class Windows {
  private readonly log = new Map<string, number[]>();

  /** Takes one call for `key` under `rule`; returns ms until one is allowed when refused. */
  take(
    key: string,
    rule: Rule,
    now = Date.now(),
  ): { ok: true; remaining: number; resetMs: number } | { ok: false; retryMs: number } {
    const since = now - rule.windowMs;
    const times = (this.log.get(key) ?? []).filter((at) => at > since);
    if (times.length >= rule.points) {
      this.log.set(key, times);
      return { ok: false, retryMs: Math.max(1, (times[0] as number) + rule.windowMs - now) };
    }
    times.push(now);
    this.log.set(key, times);
    return {
      ok: true,
      remaining: rule.points - times.length,
      resetMs: (times[0] as number) + rule.windowMs - now,
    };
  }
}

const perMinute = (points: number, scale: number): Rule => ({
  points: Math.round(points * scale),
  windowMs: 60_000,
});

/**
 * Slack (docs.slack.dev/apis/web-api/rate-limits): methods in tiers per app and workspace (Tier 1: 1, Tier 2:
 * 20, Tier 3: 50, Tier 4: 100 a minute); chat.postMessage one message per second per channel, with a
 * workspace-wide limit Slack does not publish, taken here as Tier 4's 100 a minute.
 */
const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
export const SLACK_POST = { perChannelPerSecond: 1, workspacePerMinute: 100 } as const;

export class SlackLimits {
  private readonly windows = new Windows();
  constructor(readonly scale = 1) {}

  /** Seconds to wait when the call is refused (Slack's Retry-After), or undefined when it may go. */
  check(team: string, method: string, channel: string | undefined): number | undefined {
    const refused = (result: ReturnType<Windows['take']>) =>
      result.ok ? undefined : Math.ceil(result.retryMs / 1000);
    if (method === 'chat.postMessage') {
      const perChannel = refused(
        this.windows.take(`${team}:post:${channel}`, {
          points: Math.max(1, Math.round(SLACK_POST.perChannelPerSecond * this.scale)),
          windowMs: 1_000,
        }),
      );
      if (perChannel) return perChannel;
      return refused(this.windows.take(`${team}:post`, perMinute(SLACK_POST.workspacePerMinute, this.scale)));
    }
    // Slack's published tier of each method: the table the bot paces itself by.
    const tier = SLACK_METHOD_TIERS[method];
    if (!tier) return undefined;
    return refused(this.windows.take(`${team}:${method}`, perMinute(TIER_PER_MINUTE[tier], this.scale)));
  }
}

/**
 * Discord (discord.com/developers/docs/topics/rate-limits): 50 requests a second per bot across routes
 * (interaction responses exempt), and per-route buckets keyed by the major parameter; each answer says
 * its bucket's state in X-RateLimit-* headers, and a 429 says whether the global limit or a bucket ran out.
 */
export const DISCORD = { globalPerSecond: 50 } as const;
const DISCORD_BUCKETS: Array<{ pattern: RegExp; rule: Rule }> = [
  { pattern: /^POST \/channels\/(\d+)\/messages$/, rule: { points: 5, windowMs: 5_000 } },
  { pattern: /^POST \/channels\/(\d+)\/(messages\/\d+\/)?threads$/, rule: { points: 10, windowMs: 10_000 } },
  { pattern: /^PUT \/channels\/(\d+)\/thread-members\/\d+$/, rule: { points: 10, windowMs: 10_000 } },
  { pattern: /^POST \/users\/@me\/channels$/, rule: { points: 10, windowMs: 10_000 } },
];

export type DiscordVerdict = {
  headers: Record<string, string>;
  /** Set when refused: the 429 body. */
  refused?: { message: string; retry_after: number; global: boolean };
};

export class DiscordLimits {
  private readonly windows = new Windows();
  constructor(readonly scale = 1) {}

  check(method: string, path: string): DiscordVerdict {
    if (/^\/(interactions|webhooks)\//.test(path)) return { headers: {} };
    const global = this.windows.take('global', {
      points: Math.round(DISCORD.globalPerSecond * this.scale),
      windowMs: 1_000,
    });
    if (!global.ok) {
      const retry = global.retryMs / 1000;
      return {
        headers: {
          'retry-after': String(Math.ceil(retry)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
        refused: { message: 'You are being rate limited.', retry_after: retry, global: true },
      };
    }
    const route = `${method} ${path}`;
    const bucket = DISCORD_BUCKETS.find((item) => item.pattern.test(route));
    if (!bucket) return { headers: {} };
    const major = bucket.pattern.exec(route)?.[1] ?? '';
    const rule = {
      points: Math.max(1, Math.round(bucket.rule.points * this.scale)),
      windowMs: bucket.rule.windowMs,
    };
    const name = `${bucket.pattern.source}:${major}`;
    const taken = this.windows.take(name, rule);
    const hash = Buffer.from(bucket.pattern.source).toString('base64url').slice(0, 16);
    if (!taken.ok) {
      const retry = taken.retryMs / 1000;
      return {
        headers: {
          'retry-after': String(Math.ceil(retry)),
          'x-ratelimit-limit': String(rule.points),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String((Date.now() + taken.retryMs) / 1000),
          'x-ratelimit-reset-after': retry.toFixed(3),
          'x-ratelimit-bucket': hash,
          'x-ratelimit-scope': 'user',
        },
        refused: { message: 'You are being rate limited.', retry_after: retry, global: false },
      };
    }
    return {
      headers: {
        'x-ratelimit-limit': String(rule.points),
        'x-ratelimit-remaining': String(taken.remaining),
        'x-ratelimit-reset': String((Date.now() + taken.resetMs) / 1000),
        'x-ratelimit-reset-after': (taken.resetMs / 1000).toFixed(3),
        'x-ratelimit-bucket': hash,
      },
    };
  }
}
