import type { Platform } from '../core/types.ts';
import { clearDeparture, departuresDue, markDeparted, purgeWorkspace } from '../db/queries/installations.ts';
import { reconcileDaily } from './daily/schedule.ts';
import type { Deps } from './deps.ts';
import { reconcileDigests } from './digest.ts';
import { reconcilePairing } from './pairing/schedule.ts';

const DAY = 86_400_000; // ms

type Workspace = { platform: Platform; workspaceId: string };

/** The schedules of every workspace still here, rebuilt from Postgres; a departed one's drop out. */
async function resync(deps: Deps): Promise<void> {
  await reconcileDaily(deps);
  await reconcilePairing(deps);
  await reconcileDigests(deps);
}

/**
 * The bot was removed from a workspace (Slack's app_uninstalled or tokens_revoked): its schedules stop now
 * and its study data is kept for MLSD_UNINSTALL_RETENTION_DAYS, then deleted. Returns when that will be.
 */
export async function departed(deps: Deps, workspace: Workspace): Promise<Date> {
  const now = deps.clock.now();
  const purgeAfter = new Date(now.getTime() + deps.config.MLSD_UNINSTALL_RETENTION_DAYS * DAY);
  await markDeparted(deps.db, workspace, now, purgeAfter);
  await resync(deps);
  deps.log.info(
    { ...workspace, purgeAfter },
    'workspace removed the bot; schedules stopped, data kept until purge',
  );
  return purgeAfter;
}

/** The bot was installed (again): a workspace that had left gets its schedules and data back. */
export async function returned(deps: Deps, workspace: Workspace): Promise<boolean> {
  const back = await clearDeparture(deps.db, workspace);
  if (back) {
    await resync(deps);
    deps.log.info(workspace, 'workspace reinstalled the bot; its schedules and data are back');
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
