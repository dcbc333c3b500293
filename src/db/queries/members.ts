import { and, eq, like, not, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { members } from '../schema/index.ts';

export type MemberRow = typeof members.$inferSelect;

/**
 * User ids of the stand-ins a forgotten member's kept rows move to (`former:<old member id>`): no platform
 * issues ids with a colon, so a stand-in is never mistaken for a person, and the old id names nobody.
 */
export const FORMER_USER_PREFIX = 'former:';

export const isFormerMember = (userId: string) => userId.startsWith(FORMER_USER_PREFIX);

/** `members` rows of people, not the stand-ins of forgotten members. */
export const isPerson = (): SQL => not(like(members.userId, `${FORMER_USER_PREFIX}%`));

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

/** A person by their platform user id (never a forgotten member's stand-in). */
export async function findMemberByUser(
  db: Db,
  key: { platform: string; workspaceId: string; userId: string },
): Promise<MemberRow | undefined> {
  // A stand-in is nobody: looking one up by its id finds no one.
  if (isFormerMember(key.userId)) return undefined;
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

/** Every member a workspace has, oldest first (the stand-ins of forgotten members left out). */
export async function listWorkspaceMembers(
  db: Db,
  key: { platform: string; workspaceId: string },
): Promise<MemberRow[]> {
  return db
    .select()
    .from(members)
    .where(and(eq(members.platform, key.platform), eq(members.workspaceId, key.workspaceId), isPerson()))
    .orderBy(members.id);
}

/** The one member of a workspace with this display name (any case); undefined when none or several. */
export async function findMemberByName(
  db: Db,
  key: { platform: string; workspaceId: string; name: string },
): Promise<MemberRow | undefined> {
  const rows = await db
    .select()
    .from(members)
    .where(
      and(
        eq(members.platform, key.platform),
        eq(members.workspaceId, key.workspaceId),
        eq(sql`lower(${members.displayName})`, key.name.toLowerCase()),
        isPerson(),
      ),
    );
  return rows.length === 1 ? rows[0] : undefined;
}
