import { describe, expect, it } from 'vitest';
import { commandKit } from '../helpers/commands.ts';

describe('/mlsd timezone', () => {
  it('sets a valid IANA zone and says the local time there', async () => {
    const kit = await commandKit({
      members: {
        memberTimeZone: async (_place, _actor, zone) =>
          zone
            ? { kind: 'set', zone, localNow: 'Mon 23 Nov, 18:00', dayStart: '04:00' }
            : { kind: 'channel', zone: 'UTC', dayStart: '04:00' },
      },
    });
    expect((await kit.run('timezone Asia/Tokyo')).text).toBe(
      'Your time zone is now Asia/Tokyo. Streak days are your days there, starting at 04:00; it is Mon 23 Nov, 18:00 for you now.',
    );
    expect((await kit.run('timezone')).text).toMatch(/follow this channel's, UTC, starting at 04:00/);
  });

  it('refuses a zone that is not one, without calling the service', async () => {
    const kit = await commandKit({});
    const wrong = await kit.run('timezone Mars/Olympus');
    expect(wrong.outcome).toBe('refused');
    expect(wrong.text).toMatch(/use an IANA time zone such as Europe\/Berlin/);
    expect(kit.calls).toEqual([]);
  });

  it('explains that a chat profile’s zone wins over one typed', async () => {
    const kit = await commandKit({
      members: { memberTimeZone: async () => ({ kind: 'profile-wins', profile: 'Europe/Paris' }) },
    });
    expect((await kit.run('timezone Asia/Tokyo', { timeZone: 'Europe/Paris' })).text).toMatch(
      /Your chat profile gives me your time zone, Europe\/Paris/,
    );
  });
});
