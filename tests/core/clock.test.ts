import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The clock module and the composition root may read the wall clock; nothing else may. */
const ALLOWED = new Set(['src/core/clock.ts', 'src/main.ts']);
const WALL_CLOCK = /new Date\(\s*\)|Date\.now\(\s*\)|DateTime\.(?:now|local|utc)\(\s*\)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return /\.(ts|mts|js)$/.test(name) ? [path] : [];
  });
}

describe('one clock', () => {
  it('reads the wall clock only in the clock module and the composition root', () => {
    const offenders = ['src', 'commands', 'jobs', 'content']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .flatMap((file) => {
        const rel = relative(ROOT, file);
        if (ALLOWED.has(rel)) return [];
        return readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            WALL_CLOCK.test(line) && !line.trim().startsWith('//') && !line.trim().startsWith('*')
              ? [`${rel}:${index + 1}: ${line.trim()}`]
              : [],
          );
      });
    expect(offenders, 'use the injected Clock (src/core/clock.ts) instead').toEqual([]);
  });

  it('the pattern catches each way of reading the wall clock', () => {
    for (const line of ['const at = new Date();', 'Date.now() - started', 'DateTime.now().plus({ days: 1 })'])
      expect(WALL_CLOCK.test(line), line).toBe(true);
    for (const line of ['new Date(at)', 'clock.now()', 'DateTime.fromJSDate(now)'])
      expect(WALL_CLOCK.test(line), line).toBe(false);
  });
});
