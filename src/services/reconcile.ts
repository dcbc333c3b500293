import { reconcileDaily } from './daily/schedule.ts';
import type { Deps } from './deps.ts';
import { reconcileDigests } from './digest.ts';
import { reconcilePairing } from './pairing/schedule.ts';
import { reconcilePlans } from './study/plan.ts';

/**
 * Rebuilds every schedule in the scheduler from Postgres (the truth): daily posts and close-outs, mock
 * rounds, digests and the morning round. Run at start, when Redis lost its data, and when a workspace
 * leaves or comes back (a departed workspace's channels are not listed, so their schedules go).
 */
export async function reconcileAll(deps: Deps) {
  const daily = await reconcileDaily(deps);
  const pairingChannels = await reconcilePairing(deps);
  const digests = await reconcileDigests(deps);
  await reconcilePlans(deps);
  return { ...daily, pairingChannels, digests };
}
