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
  // Five rounds of 2,000: a shared machine's noise shows as the spread between them; the median is judged.
  const rounds = 5;
  const perRound = 2_000;
  const rates: number[] = [];
  let cpuTotal = 0;
  let wallTotal = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let index = 0; index < perRound; index += 1) {
      const item = answers[index % answers.length] as (typeof answers)[number];
      gradeAnswer(library, item.study, item.text);
    }
    const used = process.cpuUsage(cpu);
    // CPU time is what one core spent; wall time also counts waiting for a core on a shared machine.
    const cpuSeconds = (used.user + used.system) / 1e6;
    cpuTotal += cpuSeconds;
    wallTotal += (performance.now() - started) / 1000;
    rates.push(perRound / cpuSeconds);
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rounds / 2)] as number;
  console.log(
    `grading: ${rounds * perRound} answers of 400 words in ${rounds} rounds: median ${Math.round(median)} answers/s per core-second of CPU (rounds: ${rates.map(Math.round).join(', ')}; ${cpuTotal.toFixed(2)} s CPU, ${wallTotal.toFixed(2)} s wall) (target >= 2000, ${median >= 2000 ? 'met' : 'MISSED'})`,
  );
}
