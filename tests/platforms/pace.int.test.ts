import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { DISCORD_RULES, Pacer, SLACK_RULES } from '../../src/platforms/pace.ts';
import { REDIS_URL } from '../helpers/bot.ts';

/** The pacer spaces calls so no platform window can hold more than the limit, shared across processes. */
describe('pacer', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `mlsd-pace-test-${process.pid}`;

  afterAll(() => {
    redis.disconnect();
  });

  const timed = async (calls: number, pacer: Pacer, rule: string, key: string) => {
    const started = performance.now();
    for (let index = 0; index < calls; index += 1) await pacer.wait(rule, key);
    return performance.now() - started;
  };

  it('keeps Discord’s 50 a second as 21 ms apart, for two pacers sharing Redis as for one', async () => {
    const a = new Pacer({ redis, prefix, scale: 1 });
    const b = new Pacer({ redis, prefix, scale: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await Promise.all([timed(10, a, 'discord.global', 'bot'), timed(10, b, 'discord.global', 'bot')]);
    const elapsed = performance.now() - started;
    // Twenty calls, the first at once: at least nineteen intervals.
    expect(elapsed).toBeGreaterThanOrEqual(19 * DISCORD_RULES['discord.global'].interval - 5);
  });

  it('lets a burst of replies go at once, then paces them (local pace without Redis)', async () => {
    const pacer = new Pacer({ prefix, scale: 1 });
    const burst = SLACK_RULES['slack.tier4'].burst;
    expect(await timed(burst, pacer, 'slack.tier4', 'team:chat.postEphemeral')).toBeLessThan(50);
    const scaled = new Pacer({ prefix, scale: 1_000 });
    expect(await timed(burst + 5, scaled, 'slack.tier4', 'team:chat.postEphemeral')).toBeLessThan(100);
  });
});
