import { pruneDeliveries as pruneOldDeliveries } from '../db/queries/deliveries.ts';
import { pruneFormDrafts } from '../db/queries/forms.ts';
import type { Deps } from './deps.ts';

const DAY = 86_400_000; // ms

/** Forgets delivery ids and form drafts older than a day: platforms stop retrying within hours. */
export async function pruneDeliveries(deps: Deps): Promise<void> {
  const dayAgo = new Date(deps.clock.now().getTime() - DAY);
  await pruneOldDeliveries(deps.db, dayAgo);
  await pruneFormDrafts(deps.db, dayAgo);
}
