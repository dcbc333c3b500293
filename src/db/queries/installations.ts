import { and, eq, lte, notExists, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import type { Sealer } from '../../core/secrets.ts';
import type { InstallationKey, InstallationVault } from '../../core/types.ts';
import type { Db } from '../client.ts';
import {
  channels,
  formDrafts,
  members,
  slackInstallations,
  slackTeamEnterprises,
  teams,
  workspaceDepartures,
} from '../schema/index.ts';

/** The row an installation lives in: the organisation's for an org-wide install, else the workspace's. */
export function installKeyOf(key: InstallationKey): string | undefined {
  if (key.isEnterpriseInstall) return key.enterpriseId ? `E:${key.enterpriseId}` : undefined;
  return key.teamId ? `T:${key.teamId}` : undefined;
}

/** Slack installations in Postgres, sealed with `sealer` (the InstallationVault port). */
export function installationVault(db: Db, sealer: Sealer, clock: Clock): InstallationVault {
  async function load(installKey: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.installKey, installKey));
    if (!row) return undefined;
    return JSON.parse(sealer.open({ keyId: row.keyId, value: row.sealed }, installKey));
  }
  return {
    async save(key, installation) {
      const installKey = installKeyOf(key);
      if (!installKey) throw new Error('an installation needs a team or an enterprise id');
      const sealed = sealer.seal(JSON.stringify(installation), installKey);
      const values = {
        installKey,
        teamId: key.teamId ?? null,
        enterpriseId: key.enterpriseId ?? null,
        isEnterpriseInstall: Boolean(key.isEnterpriseInstall),
        keyId: sealed.keyId,
        sealed: sealed.value,
        updatedAt: clock.now(),
      };
      await db
        .insert(slackInstallations)
        .values({ ...values, installedAt: clock.now() })
        .onConflictDoUpdate({ target: slackInstallations.installKey, set: values });
    },
    async find(key) {
      // Remember which organisation a workspace is in: a job for it then finds an org-wide install.
      if (key.teamId && key.enterpriseId)
        await db
          .insert(slackTeamEnterprises)
          .values({ teamId: key.teamId, enterpriseId: key.enterpriseId })
          .onConflictDoNothing();
      const own = installKeyOf(key);
      const found = own ? await load(own) : undefined;
      if (found || key.isEnterpriseInstall) return found;
      // A workspace inside an organisation installed org-wide: the organisation's installation serves it.
      let enterpriseId = key.enterpriseId;
      if (!enterpriseId && key.teamId) {
        const [row] = await db
          .select()
          .from(slackTeamEnterprises)
          .where(eq(slackTeamEnterprises.teamId, key.teamId));
        enterpriseId = row?.enterpriseId;
      }
      return enterpriseId ? load(`E:${enterpriseId}`) : undefined;
    },
    async remove(key) {
      const installKey = installKeyOf(key);
      if (installKey)
        await db.delete(slackInstallations).where(eq(slackInstallations.installKey, installKey));
    },
  };
}

/** The workspaces an installation serves: its own team, or every known team of an org-wide install. */
export async function workspacesOf(db: Db, key: InstallationKey): Promise<string[]> {
  if (!key.isEnterpriseInstall) return key.teamId ? [key.teamId] : [];
  if (!key.enterpriseId) return [];
  const rows = await db
    .select({ teamId: slackTeamEnterprises.teamId })
    .from(slackTeamEnterprises)
    .where(eq(slackTeamEnterprises.enterpriseId, key.enterpriseId));
  return [...new Set([...rows.map((row) => row.teamId), ...(key.teamId ? [key.teamId] : [])])];
}

/** Seals every stored installation again with the current key; returns how many were re-sealed. */
export async function resealInstallations(
  db: Db,
  sealer: Sealer,
): Promise<{ resealed: number; total: number }> {
  const rows = await db.select().from(slackInstallations);
  let resealed = 0;
  for (const row of rows) {
    const current = { keyId: row.keyId, value: row.sealed };
    if (!sealer.isStale(current)) continue;
    const next = sealer.seal(sealer.open(current, row.installKey), row.installKey);
    await db
      .update(slackInstallations)
      .set({ keyId: next.keyId, sealed: next.value })
      .where(and(eq(slackInstallations.id, row.id), eq(slackInstallations.keyId, row.keyId)));
    resealed += 1;
  }
  return { resealed, total: rows.length };
}

/** Rows (of a table with platform and workspace columns) whose workspace has not removed the bot. */
function stillHere(table: typeof channels | typeof members): SQL {
  return notExists(
    sql`(select 1 from ${workspaceDepartures} where ${workspaceDepartures.platform} = ${table.platform} and ${workspaceDepartures.workspaceId} = ${table.workspaceId})`,
  );
}

/** `channels` rows of workspaces that are still here (a departed workspace's channels are left out). */
export const channelStillHere = (): SQL => stillHere(channels);

/** `members` rows of workspaces that are still here. */
export const memberStillHere = (): SQL => stillHere(members);

export async function markDeparted(
  db: Db,
  workspace: { platform: string; workspaceId: string },
  departedAt: Date,
  purgeAfter: Date,
): Promise<void> {
  await db
    .insert(workspaceDepartures)
    .values({ ...workspace, departedAt, purgeAfter })
    .onConflictDoNothing();
}

/** Forgets a departure (a reinstall); true when the workspace had left. */
export async function clearDeparture(
  db: Db,
  workspace: { platform: string; workspaceId: string },
): Promise<boolean> {
  const removed = await db
    .delete(workspaceDepartures)
    .where(
      and(
        eq(workspaceDepartures.platform, workspace.platform),
        eq(workspaceDepartures.workspaceId, workspace.workspaceId),
      ),
    )
    .returning();
  return removed.length > 0;
}

export async function departuresDue(db: Db, now: Date) {
  return db.select().from(workspaceDepartures).where(lte(workspaceDepartures.purgeAfter, now));
}

/**
 * Deletes everything a workspace's study group left: members (their answers, points, streaks, mocks,
 * plans and drills go with them), channels (prompts, digests, boards), teams and form drafts.
 */
export async function purgeWorkspace(
  db: Db,
  workspace: { platform: string; workspaceId: string },
): Promise<void> {
  const { platform, workspaceId } = workspace;
  await db.transaction(async (tx) => {
    await tx.delete(members).where(and(eq(members.platform, platform), eq(members.workspaceId, workspaceId)));
    await tx
      .delete(channels)
      .where(and(eq(channels.platform, platform), eq(channels.workspaceId, workspaceId)));
    await tx.delete(teams).where(and(eq(teams.platform, platform), eq(teams.workspaceId, workspaceId)));
    await tx
      .delete(formDrafts)
      .where(and(eq(formDrafts.platform, platform), eq(formDrafts.workspaceId, workspaceId)));
    await tx
      .delete(workspaceDepartures)
      .where(
        and(eq(workspaceDepartures.platform, platform), eq(workspaceDepartures.workspaceId, workspaceId)),
      );
  });
}
