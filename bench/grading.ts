import { gradeAnswer } from '../src/engines/grading/index.ts';
import { loadLibrary } from '../src/services/content.ts';
import { gradeCalibrationSets } from '../tests/helpers/calibration.ts';

/** Cuts or repeats an answer to exactly `count` words, keeping its sentences and paragraphs. */
function toWords(text: string, count: number): string {
  const words = text.split(/(\s+)/);
  const out: string[] = [];
  let taken = 0;
  while (taken < count) {
    for (const token of words) {
      if (taken >= count) break;
      out.push(token);
      if (/\S/.test(token)) taken += 1;
    }
    out.push('\n\n');
  }
  return out.join('');
}

/** Grading throughput for 400-word answers on one core (the calibration sets' excellent answers); target >= 2,000/s. */
export async function benchGrading(): Promise<void> {
  const library = loadLibrary();
  const answers = gradeCalibrationSets(library).map((set) => ({
    study: library.cases.get(set.case) as NonNullable<ReturnType<typeof library.cases.get>>,
    text: toWords(set.answers.excellent, 400),
  }));
  for (const { study, text } of answers) gradeAnswer(library, study, text); // warm up
  const iterations = 10_000;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let index = 0; index < iterations; index += 1) {
    const item = answers[index % answers.length] as (typeof answers)[number];
    gradeAnswer(library, item.study, item.text);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // CPU time is what one core spent; wall time also counts waiting for a core on a shared machine.
  const cpuSeconds = (used.user + used.system) / 1e6;
  const rate = iterations / cpuSeconds;
  console.log(
    `grading: ${iterations} answers of 400 words: ${Math.round(rate)} answers/s per core-second of CPU (${cpuSeconds.toFixed(2)} s CPU, ${seconds.toFixed(2)} s wall = ${Math.round(iterations / seconds)}/s) (target >= 2000, ${rate >= 2000 ? 'met' : 'MISSED'})`,
  );
}
