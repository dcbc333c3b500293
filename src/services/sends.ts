import { UserError } from '../core/errors.ts';
import type { Once, PostedMessage } from '../core/types.ts';
import { claimSend, markSent, releaseSend, type SentRef } from '../db/queries/sends.ts';
import type { Deps } from './deps.ts';

/**
 * How long a sender's claim on a message holds. A worker that dies mid-send leaves its claim; after this
 * long another takes over (asking the platform first whether the message went out). Jobs hold their
 * BullMQ lock for less (SCHEDULER_DEFAULTS.lockDuration), so a stalled job comes back before it expires
 * and retries until it does.
 */
export const SEND_CLAIM_TTL_MS = 30_000;

/**
 * Sends one message exactly once per `key`, however often it is attempted: by a retried job, a worker
 * that took over from one that died, or two workers racing. Returns what was sent (now or before).
 * Throws a `send-in-progress` refusal while another sender holds a fresh claim (jobs retry it).
 */
export async function sendOnce(
  deps: Deps,
  key: string,
  send: (once: Once) => Promise<PostedMessage | Partial<SentRef> | undefined>,
): Promise<{ ref: SentRef; fresh: boolean }> {
  const claim = await claimSend(deps.db, key, deps.clock.now(), SEND_CLAIM_TTL_MS);
  if (claim.status === 'sent') return { ref: claim.ref, fresh: false };
  if (claim.status === 'busy') throw new UserError('send-in-progress', { key });
  try {
    const sent = await send({ key, recheck: claim.recheck });
    const ref: SentRef = Object.fromEntries(
      Object.entries(sent ?? {}).filter(([, value]) => typeof value === 'string'),
    );
    await markSent(deps.db, key, ref, deps.clock.now());
    return { ref, fresh: true };
  } catch (error) {
    await releaseSend(deps.db, key).catch(() => {});
    throw error;
  }
}
