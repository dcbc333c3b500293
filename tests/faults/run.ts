import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Scenario } from './harness.ts';

/**
 * `npm run test:faults`: every scenario in scenarios/, one at a time (each starts its own bot processes), a
 * `FAULT <name>: <what was injected and found>: pass|fail` line each, then `faults: N passed, N failed`.
 * `npm run test:faults -- redis` runs only the scenarios whose name contains "redis".
 */
const SCENARIO_TIMEOUT = 150_000; // ms

const filter = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const dir = join(import.meta.dirname, 'scenarios');
const scenarios: Scenario[] = [];
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.ts'))
  .sort()) {
  const module = (await import(pathToFileURL(join(dir, file)).href)) as { default: Scenario[] };
  scenarios.push(...module.default);
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const scenario of scenarios.filter((item) => !filter || item.name.includes(filter))) {
  const began = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      scenario.run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`did not finish within ${SCENARIO_TIMEOUT / 1000} s`)),
          SCENARIO_TIMEOUT,
        );
      }),
    ]);
    passed += 1;
    console.log(`FAULT ${scenario.name}: ${found}: pass (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed += 1;
    console.log(
      `FAULT ${scenario.name}: ${(error as Error).message}: fail (${((Date.now() - began) / 1000).toFixed(1)} s)`,
    );
  } finally {
    clearTimeout(timer);
  }
}
console.log(`faults: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed === 0 ? 0 : 1);
