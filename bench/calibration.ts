import { loadLibrary } from '../src/services/content.ts';
import { agreement, gradeCalibrationSets, KINDS } from '../tests/helpers/calibration.ts';

/** Grader agreement with expert order on the calibration sets; target Spearman >= 0.9. */
export async function benchCalibration(): Promise<void> {
  const sets = gradeCalibrationSets(loadLibrary());
  const result = agreement(sets);
  console.log(`grader agreement: ${sets.length} cases x ${KINDS.length} answers`);
  for (const set of sets) {
    console.log(
      `  ${set.case.padEnd(27)} ${KINDS.map((kind) => `${kind}=${set.grades[kind].total}`).join(' ')}  rho=${result.perCase[set.case]?.toFixed(2)}`,
    );
  }
  console.log(
    `  Spearman (pooled) = ${result.pooled.toFixed(3)} (target >= 0.9, ${result.pooled >= 0.9 ? 'met' : 'MISSED'})`,
  );
}
