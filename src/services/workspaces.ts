import type { Platform } from '../core/types.ts';
import { clearDeparture, departuresDue, markDeparted, purgeWorkspace } from '../db/queries/installations.ts';
import type { Deps } from './deps.ts';
import { reconcileAll } from './reconcile.ts';

const DAY = 86_400_000; // ms

/**
 * The bot was removed from workspaces of one platform (Slack's app_uninstalled or tokens_revoked for a
 * workspace or a whole organisation, a Discord server removing it): their schedules stop now and their
 * study data is kept for MLSD_UNINSTALL_RETENTION_DAYS, then deleted. Returns when that will be.
 */
export async function departed(deps: Deps, platform: Platform, workspaceIds: string[]): Promise<Date> {
  const now = deps.clock.now();
  const purgeAfter = new Date(now.getTime() + deps.config.MLSD_UNINSTALL_RETENTION_DAYS * DAY);
  if (workspaceIds.length === 0) return purgeAfter;
  for (const workspaceId of workspaceIds)
    await markDeparted(deps.db, { platform, workspaceId }, now, purgeAfter);
  await reconcileAll(deps);
  deps.log.info(
    { platform, workspaceIds, purgeAfter },
    'workspace removed the bot; schedules stopped, data kept until purge',
  );
  return purgeAfter;
}

/** The bot was installed (again): workspaces that had left get their schedules and data back. */
export async function returned(deps: Deps, platform: Platform, workspaceIds: string[]): Promise<boolean> {
  let back = false;
  for (const workspaceId of workspaceIds)
    if (await clearDeparture(deps.db, { platform, workspaceId })) back = true;
  if (back) {
    await reconcileAll(deps);
    deps.log.info(
      { platform, workspaceIds },
      'workspace reinstalled the bot; its schedules and data are back',
    );
  }
  return back;
}

/** Deletes the study data of workspaces that left longer ago than the retention period; returns how many. */
export async function purgeDeparted(deps: Deps): Promise<number> {
  const due = await departuresDue(deps.db, deps.clock.now());
  for (const row of due) {
    await purgeWorkspace(deps.db, row);
    deps.log.info(
      { platform: row.platform, workspaceId: row.workspaceId, departedAt: row.departedAt },
      'deleted the study data of a workspace that removed the bot',
    );
  }
  return due.length;
}
