import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { Playground } from '../../src/playground.ts';
import { createTestDatabase } from '../helpers/db.ts';

/** `/mlsd me export`, `me forget` and `admin purge` in the playground: the file saved under the data dir. */
describe('playground: a member’s own data', () => {
  let playground: Playground;
  const dataDir = mkdtempSync(join(tmpdir(), 'mlsd-privacy-'));
  const transcript: string[] = [];
  const since = (from: number) => transcript.slice(from).join('\n');

  beforeAll(async () => {
    playground = await Playground.start({
      config: loadConfig({ LOG_LEVEL: 'silent', MLSD_DATA_DIR: dataDir }),
      log: createLogger('silent', { pretty: false }),
      fresh: true,
      print: (text) => transcript.push(text),
      now: new Date('2026-11-23T06:30:00Z'),
      database: await createTestDatabase(),
    });
  }, 60_000);

  afterAll(async () => {
    await playground?.bot.stop();
  });

  it('saves the export under the data dir and says where', async () => {
    await playground.handle('/mlsd plan 3w senior');
    const from = transcript.length;
    await playground.handle('/mlsd me export');
    const path = join(dataDir, 'exports', 'you-mlsd-data-2026-11-23.json');
    expect(since(from)).toContain(`Saved your data to ${path}`);
    expect(existsSync(path)).toBe(true);
    const data = JSON.parse(readFileSync(path, 'utf8'));
    expect(data.profile).toMatchObject({ platform: 'console', userId: 'you' });
    expect(data.plan).toMatchObject({ level: 'senior' });
  });

  it('forgets you on :press Forget me, once, and lets the admin purge Ana', async () => {
    let from = transcript.length;
    await playground.handle('/mlsd me forget');
    expect(since(from)).toMatch(/== 🗑️ Forget me\? ==/);
    from = transcript.length;
    await playground.handle(':press Forget me');
    expect(since(from)).toMatch(/== ✅ Forgotten ==/);
    from = transcript.length;
    await playground.handle(':press Forget me');
    expect(since(from)).toMatch(/Nothing of yours is left here to delete/);
    from = transcript.length;
    await playground.handle('/mlsd admin purge @ana');
    expect(since(from)).toMatch(
      /== 🗑️ Purge a member\? ==\nEverything of @Ana's I hold in this workspace goes/,
    );
    await playground.handle(':press Purge');
    expect(since(from)).toMatch(/== ✅ Purged ==\n@Ana no longer appears on any board/);
    expect(since(from)).not.toMatch(/Something went wrong/);
  });
});
