import { readdirSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { STEPS } from '../../src/core/framework.ts';
import type { Library } from '../../src/services/content.ts';
import { type Grade, gradeAnswer } from '../../src/services/grading.ts';

export const KINDS = [
  'excellent',
  'good',
  'plain',
  'modelOnly',
  'keywordDump',
  'otherCase',
  'twoLine',
] as const;
export type Kind = (typeof KINDS)[number];

/** Where an expert would rank each kind of answer (ties share the mean rank). */
export const INTENDED_RANK: Record<Kind, number> = {
  excellent: 1,
  good: 2.5,
  plain: 2.5,
  modelOnly: 4,
  keywordDump: 6,
  otherCase: 6,
  twoLine: 6,
};

const fixtureSchema = z.object({
  case: z.string(),
  otherCase: z.string(),
  goodMissing: z.array(z.enum(STEPS)).min(1),
  answers: z.object(
    Object.fromEntries(KINDS.map((kind) => [kind, z.string().min(5)])) as Record<Kind, z.ZodString>,
  ),
});

export type CalibrationSet = z.infer<typeof fixtureSchema> & { grades: Record<Kind, Grade> };

const DIR = new URL('../fixtures/grading/', import.meta.url);

/** Every calibration set in tests/fixtures/grading, graded against its case. */
export function gradeCalibrationSets(library: Library): CalibrationSet[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const fixture = fixtureSchema.parse(YAML.parse(readFileSync(new URL(file, DIR), 'utf8')));
      const study = library.cases.get(fixture.case);
      if (!study) throw new Error(`${file}: unknown case ${fixture.case}`);
      const grades = Object.fromEntries(
        KINDS.map((kind) => [kind, gradeAnswer(study, fixture.answers[kind], { library })]),
      ) as Record<Kind, Grade>;
      return { ...fixture, grades };
    });
}

function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    for (let position = start; position <= end; position += 1)
      result[order[position]?.index as number] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return result;
}

/** Spearman rank correlation (Pearson on ranks, ties averaged). */
export function spearman(xs: number[], ys: number[]): number {
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const mx = mean(rx);
  const my = mean(ry);
  let numerator = 0;
  let dx = 0;
  let dy = 0;
  for (let index = 0; index < rx.length; index += 1) {
    const a = (rx[index] as number) - mx;
    const b = (ry[index] as number) - my;
    numerator += a * b;
    dx += a * a;
    dy += b * b;
  }
  return numerator / Math.sqrt(dx * dy);
}

/** Agreement of grader scores with the intended order within each case, pooled over all answers. */
export function agreement(sets: CalibrationSet[]): { pooled: number; perCase: Record<string, number> } {
  const scores: number[] = [];
  const intended: number[] = [];
  const perCase: Record<string, number> = {};
  for (const set of sets) {
    const caseScores = KINDS.map((kind) => set.grades[kind].total);
    // Lower intended rank is better, so correlate scores with the negated rank.
    const caseIntended = KINDS.map((kind) => -INTENDED_RANK[kind]);
    perCase[set.case] = spearman(caseScores, caseIntended);
    scores.push(...caseScores);
    intended.push(...caseIntended);
  }
  return { pooled: spearman(scores, intended), perCase };
}
