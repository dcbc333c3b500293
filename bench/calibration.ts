import { loadLibrary } from '../src/services/content.ts';
import {
  ADVERSARIAL,
  agreement,
  falseMissed,
  gradeCalibrationSets,
  KINDS,
} from '../tests/helpers/calibration.ts';

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

/**
 * The grader against the calibration set: a table of scores per case and kind of answer, the agreement with
 * the intended order (target Spearman >= 0.9), how each adversarial answer compares with the decent one,
 * answers to another case against their own case (target at most half), and false "missed" items.
 */
export async function benchCalibration(): Promise<void> {
  const sets = gradeCalibrationSets(loadLibrary());
  const result = agreement(sets);
  const columns = [...KINDS, 'expert', ...ADVERSARIAL, 'otherExcellent'] as const;
  const short: Record<(typeof columns)[number], string> = {
    excellent: 'exc',
    good: 'good',
    plain: 'plain',
    modelOnly: 'model',
    keywordDump: 'dump',
    otherCase: 'other',
    twoLine: '2line',
    expert: 'notes',
    padded: 'pad',
    template: 'tmpl',
    wrong: 'wrong',
    negated: 'neg',
    otherExcellent: 'xcase',
  };
  console.log(`grader calibration: ${sets.length} cases, ${columns.length} answers each`);
  console.log(`  ${'case'.padEnd(26)} ${columns.map((column) => short[column].padStart(5)).join(' ')}   rho`);
  let adversarialBelow = 0;
  let adversarialTotal = 0;
  let crossWithinHalf = 0;
  for (const set of sets) {
    const score = (column: (typeof columns)[number]) =>
      column === 'expert'
        ? set.expertGrade.total
        : column === 'otherExcellent'
          ? set.otherExcellent.total
          : set.grades[column].total;
    for (const kind of ADVERSARIAL) {
      adversarialTotal += 1;
      if (set.grades[kind].total < set.grades.good.total) adversarialBelow += 1;
    }
    if (set.otherExcellent.total <= set.ownExcellent / 2) crossWithinHalf += 1;
    console.log(
      `  ${set.case.padEnd(26)} ${columns.map((column) => String(score(column)).padStart(5)).join(' ')}  ${result.perCase[set.case]?.toFixed(2)}`,
    );
  }
  console.log(
    `  Spearman (pooled over the ${sets.length * 8} honest answers: the first eight columns) = ${result.pooled.toFixed(3)} (target >= 0.9, ${result.pooled >= 0.9 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  adversarial answers below the decent answer: ${adversarialBelow} of ${adversarialTotal}; another case's excellent answer at most half its own score: ${crossWithinHalf} of ${sets.length}`,
  );
  const missed = falseMissed(sets);
  console.log(
    `  false "missed" on expert notes: ${missed.concepts.false} of ${missed.concepts.of} covered ideas reported missed (${pct(missed.concepts.false, missed.concepts.of)}, target < 10 %); "worth adding" items already covered (expert notes and excellent answers): ${missed.suggestions.false} of ${missed.suggestions.of}`,
  );
}
