import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/core/framework.ts';
import { CONTENT_DIR, loadLibrary } from '../../src/services/content.ts';

describe('the study library', () => {
  it('loads every case and card without a problem', () => {
    const library = loadLibrary();
    expect(library.problems).toEqual([]);
    expect(library.cases.size).toBe(14);
    expect(library.cards.size).toBeGreaterThanOrEqual(40);
    for (const study of library.cases.values()) {
      for (const step of STEPS)
        expect(study.steps[step].concepts.length, `${study.id} ${step}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('reports a broken case with file, field and reason, and keeps the valid ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlsd-content-'));
    mkdirSync(join(dir, 'case-studies'));
    mkdirSync(join(dir, 'tradeoffs'));
    const good = readFileSync(join(CONTENT_DIR, 'case-studies', 'fraud-detection.md'), 'utf8');
    writeFileSync(join(dir, 'case-studies', 'fraud-detection.md'), good);
    writeFileSync(
      join(dir, 'case-studies', 'broken.md'),
      good.replace('id: fraud-detection', 'id: broken').replace(/weight: 3/, 'weight: 9'),
    );
    const library = loadLibrary(dir);
    expect(library.cases.has('fraud-detection')).toBe(true);
    expect(library.problems).toContainEqual(
      expect.objectContaining({
        file: 'broken.md'.padStart(0) && expect.stringContaining('broken.md'),
        reason: 'weight must be between 1 and 3',
      }),
    );
    expect(library.problems.some((problem) => /unknown trade-off card id/.test(problem.reason))).toBe(true);
  });
});
