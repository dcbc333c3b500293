import { and, count, countDistinct, eq, gte, sql, sum } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channels, members, pointEvents, teamMembers, teams } from '../schema/index.ts';
import { isPerson } from './members.ts';

export type TeamRow = typeof teams.$inferSelect;

export async function findTeamByName(
  db: Db,
  key: { platform: string; workspaceId: string; name: string },
): Promise<TeamRow | undefined> {
  const [row] = await db
    .select()
    .from(teams)
    .where(
      and(
        eq(teams.platform, key.platform),
        eq(teams.workspaceId, key.workspaceId),
        eq(teams.nameKey, key.name.toLowerCase()),
      ),
    );
  return row;
}

/** Creates a team; undefined when the name is taken in the workspace. */
export async function createTeam(
  db: Db,
  key: { platform: string; workspaceId: string; name: string },
): Promise<TeamRow | undefined> {
  const [row] = await db
    .insert(teams)
    .values({ ...key, nameKey: key.name.toLowerCase() })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function listTeams(db: Db, platform: string, workspaceId: string): Promise<TeamRow[]> {
  return db
    .select()
    .from(teams)
    .where(and(eq(teams.platform, platform), eq(teams.workspaceId, workspaceId)));
}

export async function teamOf(db: Db, memberId: number): Promise<TeamRow | undefined> {
  const [row] = await db
    .select({ team: teams })
    .from(teamMembers)
    .innerJoin(teams, eq(teamMembers.teamId, teams.id))
    .where(eq(teamMembers.memberId, memberId));
  return row?.team;
}

/** Puts a member in a team, moving them out of any other. */
export async function joinTeam(db: Db, teamId: number, memberId: number, now: Date): Promise<void> {
  await db
    .insert(teamMembers)
    .values({ teamId, memberId, joinedAt: now })
    .onConflictDoUpdate({ target: teamMembers.memberId, set: { teamId, joinedAt: now } });
}

export async function leaveTeam(db: Db, memberId: number): Promise<boolean> {
  const rows = await db.delete(teamMembers).where(eq(teamMembers.memberId, memberId)).returning();
  return rows.length > 0;
}

/** How many people a team has (a forgotten member's seat, kept for the team's totals, is nobody). */
export async function teamSize(db: Db, teamId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(teamMembers)
    .innerJoin(members, eq(members.id, teamMembers.memberId))
    .where(and(eq(teamMembers.teamId, teamId), isPerson()));
  return Number(row?.n ?? 0);
}

export type RatioRow = { id: number; name: string; points: number; active: number; perActive: number };

/** Teams of a workspace by points per active member since `since` (active: earned any points). */
export async function teamStandings(
  db: Db,
  platform: string,
  workspaceId: string,
  since: Date,
): Promise<RatioRow[]> {
  const rows = await db
    .select({
      id: teams.id,
      name: teams.name,
      points: sum(pointEvents.points),
      active: countDistinct(pointEvents.memberId),
    })
    .from(teams)
    .innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .innerJoin(
      pointEvents,
      and(eq(pointEvents.memberId, teamMembers.memberId), gte(pointEvents.createdAt, since)),
    )
    .where(and(eq(teams.platform, platform), eq(teams.workspaceId, workspaceId)))
    .groupBy(teams.id);
  return ratios(rows);
}

/** Study channels of a workspace by points per active member since `since`. */
export async function channelRatios(
  db: Db,
  platform: string,
  workspaceId: string,
  since: Date,
): Promise<RatioRow[]> {
  const rows = await db
    .select({
      id: channels.id,
      name: sql<string>`coalesce(${channels.name}, ${channels.channelId})`,
      points: sum(pointEvents.points),
      active: countDistinct(pointEvents.memberId),
    })
    .from(channels)
    .innerJoin(pointEvents, and(eq(pointEvents.channelId, channels.id), gte(pointEvents.createdAt, since)))
    .where(and(eq(channels.platform, platform), eq(channels.workspaceId, workspaceId)))
    .groupBy(channels.id);
  return ratios(rows);
}

function ratios(
  rows: Array<{ id: number; name: string; points: string | null; active: number }>,
): RatioRow[] {
  return rows
    .map((row) => {
      const points = Number(row.points ?? 0);
      const active = Number(row.active);
      return { id: row.id, name: row.name, points, active, perActive: active > 0 ? points / active : 0 };
    })
    .sort((a, b) => b.perActive - a.perActive || a.name.localeCompare(b.name));
}
