import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey, Sealer } from '../../src/core/secrets.ts';
import type { Database } from '../../src/db/client.ts';
import { installationVault, resealInstallations, workspacesOf } from '../../src/db/queries/installations.ts';
import { slackInstallations } from '../../src/db/schema/index.ts';
import { TestClock } from '../helpers/clock.ts';
import { createTestDatabase } from '../helpers/db.ts';

/** Slack installations in Postgres: sealed, found for a workspace or its organisation, re-sealed on rotation. */
describe('installation vault', () => {
  let database: Database;
  const oldKey = newKey();
  const clock = new TestClock();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('finds a workspace’s own install, else its organisation’s org-wide install', async () => {
    const vault = installationVault(database.db, new Sealer(oldKey), clock);
    await vault.save({ teamId: 'T1' }, { team: { id: 'T1' }, bot: { token: 'xoxb-team-one' } });
    await vault.save(
      { enterpriseId: 'E1', isEnterpriseInstall: true },
      { enterprise: { id: 'E1' }, isEnterpriseInstall: true, bot: { token: 'xoxb-org-one' } },
    );
    expect((await vault.find({ teamId: 'T1' }))?.bot).toEqual({ token: 'xoxb-team-one' });
    // A workspace of the organisation, seen once in an event, then found by its team id alone (a job).
    expect(await vault.find({ teamId: 'T2' })).toBeUndefined();
    await vault.find({ teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: true });
    expect((await vault.find({ teamId: 'T2' }))?.bot).toEqual({ token: 'xoxb-org-one' });
    // Removing the org-wide install departs every workspace of it seen so far.
    expect(await workspacesOf(database.db, { enterpriseId: 'E1', isEnterpriseInstall: true })).toEqual([
      'T2',
    ]);
    expect(await workspacesOf(database.db, { teamId: 'T1' })).toEqual(['T1']);
    const rows = await database.db.select().from(slackInstallations);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.sealed).not.toContain('xoxb');
  });

  it('re-seals every row under a new key; the old key alone no longer opens them', async () => {
    const currentKey = newKey();
    const rotated = new Sealer(currentKey, [oldKey]);
    expect(await resealInstallations(database.db, rotated)).toEqual({ resealed: 2, total: 2 });
    expect(await resealInstallations(database.db, rotated)).toEqual({ resealed: 0, total: 2 });
    const afterwards = installationVault(database.db, new Sealer(currentKey), clock);
    expect((await afterwards.find({ teamId: 'T1' }))?.bot).toEqual({ token: 'xoxb-team-one' });
    await expect(
      installationVault(database.db, new Sealer(oldKey), clock).find({ teamId: 'T1' }),
    ).rejects.toThrow(/neither MLSD_ENCRYPTION_KEY/);
    await afterwards.remove({ teamId: 'T1' });
    expect(await afterwards.find({ teamId: 'T1' })).toBeUndefined();
  });
});
