import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members } from '../schema/index.ts';

export type MemberRow = typeof members.$inferSelect;

/** Finds or creates a member; refreshes the display name (and time zone when the platform gives one). */
export async function upsertMember(
  db: Db,
  member: {
    platform: string;
    workspaceId: string;
    userId: string;
    displayName: string;
    timeZone?: string | undefined;
  },
): Promise<MemberRow> {
  const [row] = await db
    .insert(members)
    .values({
      platform: member.platform,
      workspaceId: member.workspaceId,
      userId: member.userId,
      displayName: member.displayName,
      timeZone: member.timeZone ?? null,
    })
    .onConflictDoUpdate({
      target: [members.platform, members.workspaceId, members.userId],
      set: { displayName: member.displayName, ...(member.timeZone ? { timeZone: member.timeZone } : {}) },
    })
    .returning();
  return row as MemberRow;
}

export async function findMember(db: Db, id: number): Promise<MemberRow | undefined> {
  const [row] = await db.select().from(members).where(eq(members.id, id));
  return row;
}

export async function findMemberByUser(
  db: Db,
  key: { platform: string; workspaceId: string; userId: string },
): Promise<MemberRow | undefined> {
  const [row] = await db
    .select()
    .from(members)
    .where(
      and(
        eq(members.platform, key.platform),
        eq(members.workspaceId, key.workspaceId),
        eq(members.userId, key.userId),
      ),
    );
  return row;
}

/** Sets a member's own time zone (for platforms that do not report one). */
export async function setMemberTimeZone(db: Db, memberId: number, timeZone: string): Promise<void> {
  await db.update(members).set({ timeZone }).where(eq(members.id, memberId));
}

/** Every member a workspace has, oldest first. */
export async function listWorkspaceMembers(
  db: Db,
  key: { platform: string; workspaceId: string },
): Promise<MemberRow[]> {
  return db
    .select()
    .from(members)
    .where(and(eq(members.platform, key.platform), eq(members.workspaceId, key.workspaceId)))
    .orderBy(members.id);
}
