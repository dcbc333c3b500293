import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channels } from '../schema/index.ts';
import { channelStillHere } from './installations.ts';

export type ChannelRow = typeof channels.$inferSelect;
export type ChannelKey = { platform: string; workspaceId: string; channelId: string };

/** Finds or creates the channel row for a platform channel; keeps its display name fresh. */
export async function upsertChannel(
  db: Db,
  key: ChannelKey & { name?: string | undefined; timeZone?: string | undefined },
): Promise<ChannelRow> {
  const [row] = await db
    .insert(channels)
    .values({
      platform: key.platform,
      workspaceId: key.workspaceId,
      channelId: key.channelId,
      name: key.name ?? null,
      ...(key.timeZone ? { timeZone: key.timeZone } : {}),
    })
    .onConflictDoUpdate({
      target: [channels.platform, channels.workspaceId, channels.channelId],
      set: key.name ? { name: key.name } : { platform: key.platform },
    })
    .returning();
  return row as ChannelRow;
}

/** A channel by id; none for a workspace that removed the bot (its jobs then find nothing to do). */
export async function findChannel(db: Db, id: number): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(and(eq(channels.id, id), channelStillHere()));
  return row;
}

export async function findChannelByKey(db: Db, key: ChannelKey): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(
      and(
        eq(channels.platform, key.platform),
        eq(channels.workspaceId, key.workspaceId),
        eq(channels.channelId, key.channelId),
      ),
    );
  return row;
}

export async function updateChannel(
  db: Db,
  id: number,
  values: Partial<
    Omit<ChannelRow, 'id' | 'platform' | 'workspaceId' | 'channelId' | 'createdAt' | 'updatedAt'>
  >,
  now: Date,
): Promise<ChannelRow> {
  const [row] = await db
    .update(channels)
    .set({ ...values, updatedAt: now })
    .where(eq(channels.id, id))
    .returning();
  return row as ChannelRow;
}

/** Every channel of the workspaces still here (what the schedules are rebuilt from). */
export async function listChannels(db: Db): Promise<ChannelRow[]> {
  return db.select().from(channels).where(channelStillHere());
}
