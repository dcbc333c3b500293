import { describe, expect, it } from 'vitest';
import type { DataFootprint, ExportView } from '../../content/privacy-messages.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Actor } from '../../src/core/types.ts';
import { commandKit } from '../helpers/commands.ts';

const DATA: DataFootprint = {
  answers: 3,
  revisions: 1,
  feedbackGiven: 1,
  feedbackReceived: 2,
  plan: true,
  drillItems: 12,
  drillReviews: 30,
  pairChannels: 1,
  avoids: 0,
  streakDays: 4,
  points: { rows: 9, total: 88 },
  upvotesCast: 2,
  mocks: 2,
  team: 'Owls',
};

const FILE = {
  name: 'mlsd-data-2026-11-23.json',
  content: new Uint8Array([123, 125]),
  mime: 'application/json',
};

const view = (overrides: Partial<ExportView> = {}): ExportView => ({
  platform: 'slack',
  where: 'dm',
  link: 'https://files.example/F1',
  name: FILE.name,
  bytes: 12_800,
  data: DATA,
  ...overrides,
});

/** A fake of the confirmation check: only the member it was shown to, once. */
function forgetting() {
  let gone = false;
  return async (actor: Actor, confirmation: { userId: string; issuedAt: number }) => {
    if (actor.userId !== confirmation.userId) throw new UserError('not-your-button');
    if (gone) return undefined;
    gone = true;
    return DATA;
  };
}

describe('/mlsd me', () => {
  it('export: sends the file to the DMs and says in one line what went where', async () => {
    const kit = await commandKit({
      privacy: { exportMyData: async () => ({ kind: 'sent', view: view() }) },
    });
    const sent = await kit.run('me export');
    expect(sent.said).toHaveLength(1);
    expect(sent.said[0]?.public).toBe(false);
    expect(sent.said[0]?.message.file).toBeUndefined();
    expect(sent.text).toBe(
      'Sent your data in your DM with me: <https://files.example/F1|mlsd-data-2026-11-23.json (13 KB: 3 answers, 9 point awards, 2 mocks)>.',
    );
  });

  it('export: attaches the file to the private reply when DMs are closed, and says so', async () => {
    const kit = await commandKit({
      privacy: {
        exportMyData: async () => ({
          kind: 'attach',
          view: view({ platform: 'discord', where: 'here', link: undefined }),
          file: FILE,
        }),
      },
    });
    const attached = await kit.runWithOptions('me export', {});
    expect(attached.said[0]?.message.file).toEqual(FILE);
    expect(attached.said[0]?.public).toBe(false);
    expect(attached.text).toMatch(
      /^Your DMs are closed to me, so your data is attached here, visible only to you/,
    );
  });

  it('export: says there is nothing to send for someone the bot does not know', async () => {
    const kit = await commandKit({ privacy: { exportMyData: async () => ({ kind: 'nothing' }) } });
    expect((await kit.run('me export')).text).toMatch(/I hold nothing about you in this workspace/);
  });

  it('export: a duplicate delivery of the command sends nothing twice', async () => {
    const kit = await commandKit({
      privacy: { exportMyData: async () => ({ kind: 'sent', view: view() }) },
    });
    await kit.run('me export', {}, 'delivery-1');
    const again = await kit.run('me export', {}, 'delivery-1');
    expect(again.outcome).toBe('duplicate');
    expect(again.said).toEqual([]);
    expect(kit.calls.filter((call) => call.service === 'privacy.exportMyData')).toHaveLength(1);
  });

  it('forget: lists what goes and what stays, with a danger button only its member can press', async () => {
    const kit = await commandKit({
      privacy: { forgetPreview: async () => ({ data: DATA, issuedAt: 1_795_000_000_000 }) },
    });
    const asked = await kit.run('me forget');
    const message = asked.said[0]?.message;
    expect(message?.title).toBe('🗑️ Forget me?');
    expect(message?.buttons).toEqual([
      { id: 'me:forget:U1:1795000000000', label: 'Forget me', style: 'danger' },
      { id: 'me:cancel', label: 'Cancel', style: 'secondary' },
    ]);
    expect(asked.text).toMatch(/3 answers and 1 revision, with their grades/);
    expect(asked.text).toMatch(/3 mock feedback notes \(1 written, 2 received\)/);
    expect(asked.text).toMatch(/your study plan, 12 drill items and 30 drill reviews/);
    expect(asked.text).toMatch(/your streak \(4 days\)/);
    expect(asked.text).toMatch(/9 point awards \(88 pts\): kept in the ledger under "a former member"/);
    expect(asked.text).toMatch(/your seat in team "Owls": goes to "a former member"/);
    expect(asked.text).toMatch(/2 👍 you gave: kept as points for the answers' authors/);
    expect(asked.text).toMatch(/`\/mlsd me export`/);
  });

  it('forget: confirming deletes once and reports the counts; a second press finds nothing', async () => {
    const kit = await commandKit({ privacy: { forgetMe: forgetting() } });
    const done = await kit.press('me:forget:U1:1795000000000');
    expect(kit.calls[0]?.args[1]).toEqual({ userId: 'U1', issuedAt: 1_795_000_000_000 });
    expect(done.said[0]?.message.title).toBe('✅ Forgotten');
    expect(done.text).toMatch(/^Done: you are forgotten here\. Deleted 3 answers, 3 feedback notes/);
    expect(done.text).toMatch(/Kept, without a name, and why/);
    const again = await kit.press('me:forget:U1:1795000000000');
    expect(again.outcome).toBe('ok');
    expect(again.text).toMatch(/Nothing of yours is left here to delete: it is already forgotten/);
  });

  it('forget: refuses a press by someone else, and a cancel deletes nothing', async () => {
    const kit = await commandKit({ privacy: { forgetMe: forgetting() } });
    const forged = await kit.press('me:forget:U1:1795000000000', { userId: 'U2' });
    expect(forged.outcome).toBe('refused');
    expect(forged.text).toMatch(/That button was shown to someone else/);
    expect((await kit.press('me:cancel')).text).toBe('Cancelled: nothing was deleted.');
    expect(kit.calls.map((call) => call.service)).toEqual(['privacy.forgetMe']);
  });

  it('forget: says so when there is nothing to forget', async () => {
    const kit = await commandKit({ privacy: { forgetPreview: async () => undefined } });
    expect((await kit.run('me forget')).text).toMatch(/Nothing of yours is left here to delete/);
  });
});

describe('/mlsd admin purge', () => {
  it('is for admins only: anyone else is refused before anything is looked up', async () => {
    const kit = await commandKit({});
    const refused = await kit.run('admin purge @bob');
    expect(refused.outcome).toBe('refused');
    expect(refused.text).toMatch(/^Only admins can use `\/mlsd admin purge`/);
    expect(kit.calls).toEqual([]);
  });

  it('asks an admin first, with a Purge button naming the member and the admin', async () => {
    const kit = await commandKit({
      privacy: {
        purgePreview: async () => ({ userId: 'U0BOB', data: DATA, issuedAt: 1_795_000_000_000 }),
      },
    });
    const asked = await kit.run('admin purge <@U0BOB|bob>', { isPlatformAdmin: true });
    expect(kit.calls[0]?.args[1]).toBe('U0BOB');
    expect(asked.said[0]?.message.buttons?.[0]).toEqual({
      id: 'admin:purge:U0BOB:U1:1795000000000',
      label: 'Purge',
      style: 'danger',
    });
    expect(asked.text).toMatch(/Purge <@U0BOB>\? This deletes everything of theirs/);
    expect(asked.text).toMatch(/their seat in team "Owls"/);
    const discord = await kit.runWithOptions('admin', { member: 'U0BOB' }, { isPlatformAdmin: true });
    expect(discord.said[0]?.message.title).toBe('🗑️ Purge a member?');
  });

  it('names a member it does not know in this workspace', async () => {
    const kit = await commandKit({
      privacy: {
        purgePreview: async (_admin, named) => {
          throw new UserError('purge-unknown-member', { userId: named });
        },
      },
    });
    const unknown = await kit.run('admin purge @nobody', { isPlatformAdmin: true });
    expect(unknown.text).toMatch(/^I hold nothing about "@nobody" in this workspace/);
  });

  it('purges on the button and reports what was deleted and kept; a second press finds nothing', async () => {
    let gone = false;
    const kit = await commandKit({
      privacy: {
        purgeMember: async () => {
          if (gone) return undefined;
          gone = true;
          return DATA;
        },
      },
    });
    const done = await kit.press('admin:purge:U0BOB:U1:1795000000000', { isPlatformAdmin: true });
    expect(kit.calls[0]?.args[1]).toEqual({
      userId: 'U0BOB',
      shownTo: 'U1',
      issuedAt: 1_795_000_000_000,
    });
    expect(done.text).toMatch(/^Done: <@U0BOB> is purged here/);
    const again = await kit.press('admin:purge:U0BOB:U1:1795000000000', { isPlatformAdmin: true });
    expect(again.text).toMatch(/Nothing of <@U0BOB>'s is left here to delete: already purged/);
    expect((await kit.press('admin:cancel')).text).toBe('Cancelled: nothing was deleted.');
  });
});
