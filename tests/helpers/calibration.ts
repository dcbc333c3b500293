import { readdirSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { STEPS } from '../../src/core/framework.ts';
import { type Grade, type GradingLibrary, gradeAnswer } from '../../src/engines/grading/index.ts';

/**
 * The grader's calibration set (tests/fixtures/grading): per case, answers of known quality written by
 * people who had not read the grader, adversarial answers built to game it, expert notes in the style of
 * public study write-ups, and for some answers the rubric concepts a reader agreed they cover.
 */

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
export const ADVERSARIAL = ['padded', 'template', 'wrong', 'negated'] as const;
export type Adversarial = (typeof ADVERSARIAL)[number];

/**
 * Where an expert would rank each honest answer (ties share the mean rank): the excellent answer and the
 * expert notes first, the good answer and its plain-words twin, the model-only answer, then the answers that
 * do not answer the case (a keyword list, another case's answer, two lines). The adversarial answers are
 * judged on their own: each must score below the case's decent answer.
 */
export const INTENDED_RANK = {
  excellent: 1.5,
  expert: 1.5,
  good: 3.5,
  plain: 3.5,
  modelOnly: 5,
  keywordDump: 7,
  otherCase: 7,
  twoLine: 7,
} as const;

const fixtureSchema = z.object({
  case: z.string(),
  otherCase: z.string(),
  goodMissing: z.array(z.enum(STEPS)).min(1),
  answers: z.object(
    Object.fromEntries(KINDS.map((kind) => [kind, z.string().min(5)])) as Record<Kind, z.ZodString>,
  ),
  adversarial: z.object(
    Object.fromEntries(ADVERSARIAL.map((kind) => [kind, z.string().min(5)])) as Record<
      Adversarial,
      z.ZodString
    >,
  ),
  expert: z
    .array(z.object({ style: z.string(), text: z.string().min(100), covers: z.array(z.string()) }))
    .min(1),
  covers: z.object({ excellent: z.array(z.string()), plain: z.array(z.string()) }),
});

export type Fixture = z.infer<typeof fixtureSchema>;

export type CalibrationSet = Fixture & {
  grades: Record<Kind, Grade> & Record<Adversarial, Grade>;
  expertGrade: Grade;
  /** The other case's excellent answer, graded against this case. */
  otherExcellent: Grade;
  /** This case's excellent answer's score on its own case (for the other-case ratio). */
  ownExcellent: number;
};

const DIR = new URL('../fixtures/grading/', import.meta.url);

export function loadFixtures(): Fixture[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => fixtureSchema.parse(YAML.parse(readFileSync(new URL(file, DIR), 'utf8'))));
}

/** Every calibration set, graded against its case. */
export function gradeCalibrationSets(library: GradingLibrary): CalibrationSet[] {
  const fixtures = loadFixtures();
  const byCase = new Map(fixtures.map((fixture) => [fixture.case, fixture]));
  return fixtures.map((fixture) => {
    const study = library.cases.get(fixture.case);
    if (!study) throw new Error(`calibration set for unknown case ${fixture.case}`);
    const grade = (text: string) => gradeAnswer(library, study, text);
    const other = byCase.get(fixture.otherCase);
    if (!other)
      throw new Error(`${fixture.case}: no calibration set for its other case ${fixture.otherCase}`);
    return {
      ...fixture,
      grades: Object.fromEntries([
        ...KINDS.map((kind) => [kind, grade(fixture.answers[kind])]),
        ...ADVERSARIAL.map((kind) => [kind, grade(fixture.adversarial[kind])]),
      ]) as CalibrationSet['grades'],
      expertGrade: grade(fixture.expert[0]?.text ?? ''),
      otherExcellent: grade(other.answers.excellent),
      ownExcellent: grade(fixture.answers.excellent).total,
    };
  });
}

/** Every honest graded answer of a set with its intended rank. */
export function rankedAnswers(
  set: CalibrationSet,
): Array<{ kind: keyof typeof INTENDED_RANK; total: number }> {
  return [
    ...KINDS.map((kind) => ({ kind, total: set.grades[kind].total })),
    { kind: 'expert' as const, total: set.expertGrade.total },
  ];
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

/** Agreement of grader scores with the intended order, per case and pooled over every answer. */
export function agreement(sets: CalibrationSet[]): { pooled: number; perCase: Record<string, number> } {
  const scores: number[] = [];
  const intended: number[] = [];
  const perCase: Record<string, number> = {};
  for (const set of sets) {
    const answers = rankedAnswers(set);
    // Lower intended rank is better, so correlate scores with the negated rank.
    perCase[set.case] = spearman(
      answers.map((answer) => answer.total),
      answers.map((answer) => -INTENDED_RANK[answer.kind]),
    );
    scores.push(...answers.map((answer) => answer.total));
    intended.push(...answers.map((answer) => -INTENDED_RANK[answer.kind]));
  }
  return { pooled: spearman(scores, intended), perCase };
}

/**
 * How often the grader reports as missed an idea a reader agreed the answer covers. `concepts`: covered
 * concepts reported missed, over covered concepts (expert notes). `suggestions`: "worth adding" items shown
 * for expert notes and excellent answers, and how many of those were covered.
 */
export function falseMissed(sets: CalibrationSet[]): {
  concepts: { false: number; of: number };
  suggestions: { false: number; of: number };
} {
  const concepts = { false: 0, of: 0 };
  const suggestions = { false: 0, of: 0 };
  for (const set of sets) {
    const pairs: Array<[Grade, string[]]> = [
      [set.expertGrade, set.expert[0]?.covers ?? []],
      [set.grades.excellent, set.covers.excellent],
    ];
    pairs.forEach(([grade, covers], index) => {
      const covered = new Set(covers);
      if (index === 0) {
        for (const concept of grade.concepts) {
          if (!covered.has(concept.term)) continue;
          concepts.of += 1;
          if (concept.credit <= 0) concepts.false += 1;
        }
      }
      for (const item of grade.suggestions) {
        suggestions.of += 1;
        if (covered.has(item.term)) suggestions.false += 1;
      }
    });
  }
  return { concepts, suggestions };
}
