import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { Playground } from '../../src/playground.ts';
import { createTestDatabase } from '../helpers/db.ts';

const SCRIPT = readFileSync(
  new URL('../fixtures/playground/plan-14-days.txt', import.meta.url),
  'utf8',
).split('\n');

/** The 14-day plan script (README: "A study plan in the playground") played on the virtual clock. */
describe('playground: a 14-day plan', () => {
  let playground: Playground;
  const transcript: string[] = [];

  beforeAll(async () => {
    playground = await Playground.start({
      config: loadConfig({ LOG_LEVEL: 'silent', MLSD_DATA_DIR: mkdtempSync(join(tmpdir(), 'mlsd-plan-')) }),
      log: createLogger('silent', { pretty: false }),
      fresh: true,
      print: (text) => transcript.push(text),
      now: new Date('2026-11-23T06:30:00Z'), // Monday, before the 08:00 morning DM
      database: await createTestDatabase(),
    });
    for (const line of SCRIPT) await playground.handle(line);
  }, 240_000);

  afterAll(async () => {
    await playground?.bot.stop();
  });

  const all = () => transcript.join('\n');

  it('sends a morning DM each day at 08:00 with that day’s phase, learn then drill then mocks', () => {
    const days = [...all().matchAll(/☀️ Day (\d+): ([a-z ]+)/g)].map((match) => [
      Number(match[1]),
      match[2]?.trim(),
    ]);
    expect(days.map(([day]) => day)).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
    expect(days.slice(0, 3).every(([, phase]) => String(phase).startsWith('learn'))).toBe(true);
    expect(days.slice(3, 10).every(([, phase]) => String(phase).startsWith('rebuild'))).toBe(true);
    expect(days.slice(10).every(([, phase]) => String(phase).startsWith('mock'))).toBe(true);
  });

  it('drills cards and steps by rating and case steps written from memory, without a failure', () => {
    expect(all()).not.toMatch(/Something went wrong/);
    expect((all().match(/Good, back in/g) ?? []).length).toBeGreaterThan(40);
    expect((all().match(/You covered \d+% of the step/g) ?? []).length).toBeGreaterThan(10);
    expect(all()).toMatch(/Retention \(30 days\): \d+% of \d+ reviews/);
    expect(all()).toMatch(/Your plan: interview 2026-12-07 \(mid\)/);
  });
});
