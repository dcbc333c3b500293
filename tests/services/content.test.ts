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
    expect(library.cases.size).toBe(18);
    expect(library.cards.size).toBeGreaterThanOrEqual(40);
    for (const study of library.cases.values()) {
      for (const step of STEPS)
        expect(study.steps[step].concepts.length, `${study.id} ${step}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('loads the framework: seven steps in order within 45 minutes, each with its four parts', () => {
    const { framework } = loadLibrary();
    expect(framework?.steps.map((step) => step.key)).toEqual([...STEPS]);
    expect(framework?.steps.reduce((sum, step) => sum + step.minutes, 0)).toBeLessThanOrEqual(45);
    for (const step of framework?.steps ?? []) {
      expect(
        Object.values(step.parts).every((part) => part.length > 40),
        step.key,
      ).toBe(true);
    }
    expect(framework?.communication.length).toBeGreaterThan(100);
  });

  it('reports a step without concepts, a duplicate id and an unknown card with file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlsd-content-'));
    mkdirSync(join(dir, 'case-studies'));
    mkdirSync(join(dir, 'tradeoffs'));
    const good = readFileSync(join(CONTENT_DIR, 'case-studies', 'fraud-detection.md'), 'utf8');
    const noConcepts = good.replace(
      /(\n {2}frame:\n {4}concepts:\n)[\s\S]*?(\n {4}outline:)/,
      '$1      []$2',
    );
    writeFileSync(join(dir, 'case-studies', 'fraud-detection.md'), noConcepts);
    writeFileSync(join(dir, 'case-studies', 'copy.md'), good);
    writeFileSync(
      join(dir, 'tradeoffs', 'a.yaml'),
      readFileSync(join(CONTENT_DIR, 'tradeoffs', 'calibration.yaml'), 'utf8'),
    );
    writeFileSync(
      join(dir, 'tradeoffs', 'b.yaml'),
      readFileSync(join(CONTENT_DIR, 'tradeoffs', 'calibration.yaml'), 'utf8'),
    );
    const { problems } = loadLibrary(dir);
    const say = problems.map((problem) => `${problem.file}|${problem.field}|${problem.reason}`);
    expect(say).toContainEqual(
      expect.stringMatching(/fraud-detection\.md\|steps\.frame\.concepts\|each step needs 4 to 8 concepts/),
    );
    expect(say).toContainEqual(
      expect.stringMatching(/copy\.md\|id\|id "fraud-detection" must match the file name/),
    );
    expect(say).toContainEqual(expect.stringMatching(/b\.yaml\|id\|duplicate card id "calibration"/));
    expect(say).toContainEqual(expect.stringMatching(/copy\.md\|tradeoffs\.\d+\|unknown trade-off card id/));
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
