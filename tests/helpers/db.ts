import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { connectPostgres, type Database, wrapPglite } from '../../src/db/client.ts';
import { withDatabase } from './global-setup.ts';

/**
 * A fresh, migrated database for one test file: a copy of the run's template on the local Postgres server
 * when DATABASE_URL is set, otherwise an embedded PGlite loaded from the migrated dump.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  const template = inject('pgTemplate');
  if (template) {
    const name = `${template.template}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: template.url });
    await admin.connect();
    for (let attempt = 0; ; attempt += 1) {
      try {
        await admin.query(`create database ${name} template ${template.template}`);
        break;
      } catch (error) {
        // Two files copying the template at once: "source database is being accessed by other users".
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
    const url = withDatabase(template.url, name);
    const database = connectPostgres(url, { max: 5, onError: () => {} });
    return {
      ...database,
      url,
      async close() {
        await database.close();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = inject('pgliteDump');
  if (!dump) throw new Error('global setup provided no database');
  const client = await PGlite.create({ loadDataDir: new Blob([readFileSync(dump)]) });
  return wrapPglite(client);
}
