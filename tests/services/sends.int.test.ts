import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { Deps } from '../../src/services/deps.ts';
import { SEND_CLAIM_TTL_MS, sendOnce } from '../../src/services/sends.ts';
import { TestClock } from '../helpers/clock.ts';
import { createTestDatabase } from '../helpers/db.ts';

describe('sendOnce', () => {
  let database: Database;
  const clock = new TestClock();
  let deps: Deps;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock } as unknown as Deps;
  });

  afterAll(async () => {
    await database?.close();
  });

  it('sends once however often it is called, and returns what was sent', async () => {
    let sent = 0;
    const send = async () => {
      sent += 1;
      return { messageId: `m${sent}`, threadId: 't1' };
    };
    const first = await sendOnce(deps, 'k:once', send);
    const again = await sendOnce(deps, 'k:once', send);
    expect(sent).toBe(1);
    expect(first).toEqual({ ref: { messageId: 'm1', threadId: 't1' }, fresh: true });
    expect(again).toEqual({ ref: { messageId: 'm1', threadId: 't1' }, fresh: false });
  });

  it('refuses while another sender holds a fresh claim, and takes over a stale one asking to recheck', async () => {
    let release: () => void = () => {};
    const slow = sendOnce(
      deps,
      'k:race',
      () => new Promise((resolve) => (release = () => resolve({ messageId: 'slow' }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(sendOnce(deps, 'k:race', async () => ({ messageId: 'second' }))).rejects.toMatchObject({
      identifier: 'send-in-progress',
    });
    // The first sender "dies": its claim goes stale, and the next one is told to recheck.
    clock.advance(SEND_CLAIM_TTL_MS + 1);
    const seen: boolean[] = [];
    await sendOnce(deps, 'k:race', async (once) => {
      seen.push(once.recheck);
      return { messageId: 'taken-over' };
    });
    expect(seen).toEqual([true]);
    release();
    await slow;
  });

  it('gives the claim back when sending fails, and the retry rechecks', async () => {
    await expect(
      sendOnce(deps, 'k:fail', async () => {
        throw new Error('platform said no');
      }),
    ).rejects.toThrow('platform said no');
    const seen: boolean[] = [];
    await sendOnce(deps, 'k:fail', async (once) => {
      seen.push(once.recheck);
      return { messageId: 'ok' };
    });
    expect(seen).toEqual([true]);
  });
});
