import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Arrows point down: platforms → core ← commands/jobs → services → engines, db, content. Every layer may
 * use the kernel (`src/core`); nothing in the kernel uses a layer above it. The composition roots (app,
 * main, playground, config) wire everything and may import anything.
 */
const ROOT = normalize(join(import.meta.dirname, '..'));

type Layer =
  | 'core'
  | 'platforms'
  | 'commands'
  | 'services'
  | 'engines'
  | 'db'
  | 'scheduler'
  | 'content'
  | 'config'
  | 'root';

function layerOf(file: string): Layer | undefined {
  if (file.startsWith('src/core/')) return 'core';
  if (file.startsWith('src/platforms/')) return 'platforms';
  if (file.startsWith('commands/') || file.startsWith('jobs/') || file === 'src/kit.ts') return 'commands';
  if (file.startsWith('src/services/')) return 'services';
  if (file.startsWith('src/engines/')) return 'engines';
  if (file.startsWith('src/db/')) return 'db';
  if (file.startsWith('src/scheduler/')) return 'scheduler';
  if (file.startsWith('content/')) return 'content';
  if (file === 'src/config.ts') return 'config';
  if (/^src\/(app|main|playground)\.ts$/.test(file)) return 'root';
  return undefined;
}

/** What each layer may import besides itself. */
const ALLOWED: Record<Layer, Layer[]> = {
  core: [],
  platforms: ['core'],
  commands: ['core', 'services', 'content'],
  services: ['core', 'engines', 'db', 'scheduler', 'content', 'config'],
  // Engines are pure: the framework's step names are all they take from the kernel (checked below).
  engines: ['core'],
  db: ['core'],
  scheduler: ['core'],
  // Content renders what the engines compute, so it may name their result types (type imports only).
  content: ['core'],
  config: ['core'],
  root: ['core', 'platforms', 'commands', 'services', 'engines', 'db', 'scheduler', 'content', 'config'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('/migrations/'));
}

type Import = { from: string; to: string; typeOnly: boolean };

const readSource = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function importsOf(file: string, read: (file: string) => string = readSource): Import[] {
  const text = read(file);
  const found: Import[] = [];
  const pattern = /(import|export)\s+(type\s+)?[^;]*?\bfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const spec = match[3] ?? match[4];
    if (!spec) continue;
    found.push({
      from: file,
      to: normalize(join(dirname(file), spec)),
      typeOnly: Boolean(match[2]),
    });
  }
  return found;
}

function violations(
  files = ['src', 'commands', 'jobs', 'content'].flatMap(sourceFiles),
  read: (file: string) => string = readSource,
): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (!from) {
      problems.push(`${file}: not in any layer (add it to layerOf in tests/architecture.test.ts)`);
      continue;
    }
    for (const edge of importsOf(file, read)) {
      const to = layerOf(edge.to);
      if (!to || to === from) {
        // One engine does not reach into another.
        if (from === 'engines' && to === 'engines' && edge.from.split('/')[2] !== edge.to.split('/')[2])
          problems.push(`${file} imports ${edge.to}: engines do not import each other`);
        continue;
      }
      if (from === 'engines' && edge.to !== 'src/core/framework.ts') {
        problems.push(`${file} imports ${edge.to}: engines take only src/core/framework.ts from the kernel`);
        continue;
      }
      if (from === 'content' && to === 'engines' && edge.typeOnly) continue;
      if (!ALLOWED[from].includes(to)) problems.push(`${file} (${from}) imports ${edge.to} (${to})`);
    }
  }
  return problems;
}

describe('architecture', () => {
  it('has every import point down: platforms → core ← commands/jobs → services → engines, db, content', () => {
    expect(violations()).toEqual([]);
  });

  it('catches imports against the rule', () => {
    const sources: Record<string, string> = {
      'src/core/dispatch.ts': "import { recordDelivery } from '../db/queries/deliveries.ts';",
      'src/services/daily.ts': "const { SlackAdapter } = await import('../platforms/slack/adapter.ts');",
      'src/engines/matching/solve.ts': "import type { Clock } from '../../core/clock.ts';",
      'content/messages.ts': "import type { Grade } from '../src/engines/grading/index.ts';",
      'content/pairing-messages.ts': "import { gradeAnswer } from '../src/engines/grading/index.ts';",
      'commands/daily.ts': "import { saveAnswer } from '../src/db/queries/answers.ts';",
      'src/unsorted.ts': '',
    };
    expect(violations(Object.keys(sources), (file) => sources[file] ?? '')).toEqual([
      'src/core/dispatch.ts (core) imports src/db/queries/deliveries.ts (db)',
      'src/services/daily.ts (services) imports src/platforms/slack/adapter.ts (platforms)',
      'src/engines/matching/solve.ts imports src/core/clock.ts: engines take only src/core/framework.ts from the kernel',
      'content/pairing-messages.ts (content) imports src/engines/grading/index.ts (engines)',
      'commands/daily.ts (commands) imports src/db/queries/answers.ts (db)',
      'src/unsorted.ts: not in any layer (add it to layerOf in tests/architecture.test.ts)',
    ]);
  });

  it('keeps the chat SDKs inside src/platforms', () => {
    const outside = ['src', 'commands', 'jobs', 'content']
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith('src/platforms/'))
      .filter((file) =>
        /from '(@slack\/[a-z-]+|discord\.js)'|import\('(@slack\/[a-z-]+|discord\.js)'\)/.test(
          readSource(file),
        ),
      );
    expect(outside).toEqual([]);
  });

  it('keeps files small enough to read: none over 450 lines outside tests and migrations', () => {
    const long = ['src', 'commands', 'jobs', 'content']
      .flatMap(sourceFiles)
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
      .filter((item) => item.lines > 450)
      .map((item) => `${item.file}: ${item.lines} lines`);
    expect(long).toEqual([]);
  });
});
