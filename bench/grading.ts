import { loadLibrary } from '../src/services/content.ts';
import { gradeAnswer } from '../src/services/grading.ts';

/** Grading throughput for 400-word answers on one core; target >= 2,000 answers/s. */
export async function benchGrading(): Promise<void> {
  const library = loadLibrary();
  const studies = [...library.cases.values()];
  const answers = studies.map((study) => {
    const outline = Object.values(study.steps)
      .map((step) => step.outline)
      .join(' ');
    const words = outline.split(/\s+/);
    while (words.length < 400) words.push(...words);
    return { study, text: words.slice(0, 400).join(' ') };
  });
  for (const { study, text } of answers) gradeAnswer(study, text); // warm up
  const iterations = 10_000;
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    const item = answers[index % answers.length] as (typeof answers)[number];
    gradeAnswer(item.study, item.text);
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = iterations / seconds;
  console.log(
    `grading: ${iterations} answers of 400 words in ${seconds.toFixed(2)} s = ${Math.round(rate)} answers/s (target >= 2000, ${rate >= 2000 ? 'met' : 'MISSED'})`,
  );
}
