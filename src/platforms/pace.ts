import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/**
 * Keeps the bot inside the platforms' published rate limits before it calls them, across every process:
 * the pace of each limit is kept in Redis, so three workers share one budget (without Redis, or while it
 * is away, each process paces alone). A call waits its turn instead of drawing a 429; a 429 that still
 * comes is retried after its Retry-After by the SDKs, so it delays a message and never drops or repeats it.
 *
 * Pacing is the generic cell rate algorithm: calls are spaced `interval` apart, with up to `burst` calls
 * at once after a quiet spell. Any window of the platform's then holds at most burst + window / interval
 * calls, which each rule keeps under the platform's limit with 5% to spare for network jitter (the
 * platforms count in windows that do not start when ours would; rate-limiter-flexible's fixed windows of
 * whole seconds could double up across such a boundary, hence this small script).
 */

export type PaceRule = { interval: number; burst: number };

/** `limit` calls per `windowMs` as an even pace, all of it spread out (fan-out, where bursts gain nothing). */
const even = (limit: number, windowMs: number): PaceRule => ({
  interval: (windowMs / limit) * 1.05,
  burst: 1,
});
/** `limit` calls per `windowMs` with a fifth of it allowed at once (replies to people, who come in bursts). */
const bursty = (limit: number, windowMs: number): PaceRule => {
  const burst = Math.max(1, Math.floor(limit / 5));
  return { interval: (windowMs / Math.max(1, limit - burst)) * 1.05, burst };
};

/** Slack (docs.slack.dev/apis/web-api/rate-limits): per method, app and workspace. */
export const SLACK_RULES = {
  'slack.post.channel': even(1, 1_000), // chat.postMessage: one a second per channel
  'slack.post.workspace': even(100, 60_000), // its workspace-wide limit (unpublished; Tier 4's)
  'slack.tier1': even(1, 60_000),
  'slack.tier2': bursty(20, 60_000),
  'slack.tier3': bursty(50, 60_000),
  'slack.tier4': bursty(100, 60_000),
} as const satisfies Record<string, PaceRule>;

/** The tier of each Web API method the bot calls (chat.postMessage has its own rules above). */
export const SLACK_METHOD_TIERS: Record<string, 1 | 2 | 3 | 4> = {
  'auth.test': 4,
  'chat.postEphemeral': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.getPermalink': 4,
  'conversations.open': 3,
  'conversations.info': 3,
  'conversations.members': 4,
  'conversations.history': 3,
  'conversations.replies': 3,
  'users.info': 4,
  'views.open': 4,
  'views.push': 4,
  'views.update': 4,
  'views.publish': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
};

/** Discord (discord.com/developers/docs/topics/rate-limits): 50 requests a second per bot, all routes. */
export const DISCORD_RULES = {
  'discord.global': even(50, 1_000),
} as const satisfies Record<string, PaceRule>;

// One step of the algorithm on Redis's own clock: the ms to wait, or 0 when the call may go now.
const GCRA = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - tolerance > now then return math.ceil(tat - tolerance - now) end
tat = tat + interval
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
return 0`;

export type PacerOptions = {
  /** Shared pacing; without it, each process paces alone. */
  redis?: Redis | undefined;
  prefix: string;
  /** Multiplies every limit (benchmarks against the fakes scaled by the same factor); 1 in production. */
  scale: number;
};

export class Pacer {
  /** The local pace, for when Redis is not there: theoretical arrival times by key (performance.now ms). */
  private readonly local = new Map<string, number>();

  constructor(
    private readonly options: PacerOptions,
    private readonly rules: Record<string, PaceRule> = { ...SLACK_RULES, ...DISCORD_RULES },
  ) {}

  private rule(name: string): { interval: number; tolerance: number } {
    const rule = this.rules[name];
    if (!rule) throw new Error(`no pace rule "${name}"`);
    const interval = rule.interval / this.options.scale;
    return { interval, tolerance: interval * (rule.burst - 1) };
  }

  private async delay(name: string, key: string): Promise<number> {
    const { interval, tolerance } = this.rule(name);
    const id = `${this.options.prefix}:pace:${name}:${key}`;
    if (this.options.redis?.status === 'ready') {
      try {
        return Number(await this.options.redis.eval(GCRA, 1, id, String(interval), String(tolerance)));
      } catch {
        // Redis went away mid-call: pace locally until it is back.
      }
    }
    const now = performance.now();
    const tat = Math.max(this.local.get(id) ?? now, now);
    if (tat - tolerance > now) return Math.ceil(tat - tolerance - now);
    this.local.set(id, tat + interval);
    return 0;
  }

  /** Waits until one call under `rule` for `key` (a channel, a workspace, the bot) keeps to the limit. */
  async wait(rule: string, key: string): Promise<void> {
    for (let wait = await this.delay(rule, key); wait > 0; wait = await this.delay(rule, key))
      await sleep(wait);
  }

  /** Paces one Slack Web API call by its method's rules. */
  async slack(team: string, method: string, channel: string | undefined): Promise<void> {
    if (method === 'chat.postMessage') {
      if (channel) await this.wait('slack.post.channel', `${team}:${channel}`);
      await this.wait('slack.post.workspace', team);
      return;
    }
    const tier = SLACK_METHOD_TIERS[method];
    if (tier) await this.wait(`slack.tier${tier}`, `${team}:${method}`);
  }

  /** Paces one Discord REST call under the bot's global limit (interaction answers are exempt). */
  async discord(app: string, url: string): Promise<void> {
    if (/\/(interactions|webhooks)\//.test(url)) return;
    await this.wait('discord.global', app);
  }
}
