import { lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { deliveries } from '../schema/index.ts';

/** Records a delivery; false when it was seen before (a retry or a duplicate event). */
export async function recordDelivery(db: Db, platform: string, deliveryId: string): Promise<boolean> {
  const rows = await db.insert(deliveries).values({ platform, deliveryId }).onConflictDoNothing().returning();
  return rows.length > 0;
}

/** Forgets deliveries older than `before`; platforms stop retrying long before that. */
export async function pruneDeliveries(db: Db, before: Date): Promise<void> {
  await db.delete(deliveries).where(lt(deliveries.receivedAt, before));
}
