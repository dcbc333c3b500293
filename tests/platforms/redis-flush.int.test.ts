import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearQueuePrefix, eventually, startTestBot, type TestBot } from '../helpers/bot.ts';

/** Redis coming back empty while the bot runs: the worker rebuilds every schedule from Postgres by itself. */
describe('when Redis loses its data', () => {
  let test: TestBot;
  const place = { platform: 'slack' as const, workspaceId: 'T0FLUSH001', channelId: 'C0FLUSH001' };
  const admin = { ...place, userId: 'U0FLUSH001', displayName: 'Ops', isPlatformAdmin: true };

  beforeAll(async () => {
    test = await startTestBot({ workers: true, env: { MLSD_RECONCILE_EVERY_MS: '200' } });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('restores the daily, sweep and digest schedulers without a restart', async () => {
    await test.bot.services.daily.setSchedule(place, admin, { time: '09:00', timezone: 'Europe/Berlin' });
    const ids = async () => (await test.bot.scheduler.listSchedules()).map((item) => item.id).sort();
    const before = await ids();
    expect(before).toEqual(
      expect.arrayContaining(['daily-sweep', expect.stringMatching(/^daily-post-\d+$/)]),
    );
    await clearQueuePrefix(test.prefix);
    expect(await ids()).toEqual([]);
    const after = await eventually(async () => {
      const now = await ids();
      return now.length === before.length ? now : undefined;
    });
    expect(after).toEqual(before);
    const daily = (await test.bot.scheduler.listSchedules()).find((item) =>
      item.id.startsWith('daily-post-'),
    );
    expect(daily).toMatchObject({ pattern: '0 9 * * 1,2,3,4,5', tz: 'Europe/Berlin' });
  });
});
