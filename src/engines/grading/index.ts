import { STEPS, type StepKey } from '../../core/framework.ts';
import { explain } from './explain.ts';
import { judgeByRules, topicRelevance } from './judge.ts';
import { corpusOf } from './rubric.ts';
import { score } from './score.ts';
import { contentStems, wordCount } from './tokenise.ts';
import type { Grade, GradingCase, GradingLibrary, Judgments } from './types.ts';

/**
 * The grading engine: pure, no I/O. tokenise (normalise words), rubric (compile a case against the library),
 * match (phrases, everyday words, negation, red flags), evidence (reasons, templates, density), judge (the
 * built-in rules), score (judgments to points), explain (what to learn next).
 */

export { CREDIT, PLAIN_CREDIT } from './evidence.ts';
export { SATURATION, STEP_WEIGHTS } from './score.ts';
export { contentStems, sentences, stem, wordCount } from './tokenise.ts';
export type * from './types.ts';

export type GradeOptions = { focus?: StepKey | null | undefined };

/** Grades an answer with the built-in rules: deterministic and explainable. */
export function gradeAnswer(
  library: GradingLibrary,
  study: GradingCase,
  text: string,
  options: GradeOptions = {},
): Grade {
  const corpus = corpusOf(library);
  return gradeFrom(library, study, text, judgeByRules(corpus, corpus.rubric(study), text), options);
}

/**
 * Scores judgments that any judge made (the rules, or a language model whose quotes were checked), so the
 * points always come from the same code; how much the answer is about this case is measured here.
 */
export function gradeFrom(
  library: GradingLibrary,
  study: GradingCase,
  text: string,
  judgments: Judgments,
  options: GradeOptions = {},
): Grade {
  const corpus = corpusOf(library);
  const rubric = corpus.rubric(study);
  const focus = options.focus ?? undefined;
  const stems = judgments.stems ?? new Set(contentStems(text));
  const checked = { ...judgments, relevance: topicRelevance(corpus, study, stems) };
  return explain(study, score(rubric, checked, focus), checked, { text, wordCount: wordCount(text), focus });
}

/** The built-in rules' judgments of an answer (what a model reviewer's silence falls back to). */
export function ruleJudgments(library: GradingLibrary, study: GradingCase, text: string): Judgments {
  const corpus = corpusOf(library);
  return judgeByRules(corpus, corpus.rubric(study), text);
}

/** The concept terms of a case in rubric order (what a judge must say something about). */
export function rubricConcepts(library: GradingLibrary, study: GradingCase) {
  return corpusOf(library).rubric(study).concepts;
}

/**
 * For an answer that reads as off-topic: the case it seems to answer instead, when one fits clearly
 * (at least twice this case's relevance and over one half).
 */
export function likelyCase(
  library: GradingLibrary,
  study: GradingCase,
  text: string,
): GradingCase | undefined {
  const corpus = corpusOf(library);
  const scores = corpus.topics(new Set(contentStems(text)));
  let best: GradingCase | undefined;
  let bestScore = 0;
  for (const other of library.cases.values()) {
    const value = scores.get(other.id) ?? 0;
    if (value > bestScore) {
      best = other;
      bestScore = value;
    }
  }
  const own = scores.get(study.id) ?? 0;
  return best && best.id !== study.id && own < bestScore * 0.6 ? best : undefined;
}

/** The shape `mlsd grade` prints: total, coverage per step, concepts matched and missed, red flags. */
export function gradeToJson(grade: Grade) {
  return {
    case: grade.caseId,
    total: grade.total,
    wordCount: grade.wordCount,
    judge: grade.judge,
    relevance: Math.round(grade.relevance * 100) / 100,
    penalty: grade.penalty,
    coverage: Object.fromEntries(
      STEPS.map((step) => [step, Math.round(grade.steps[step].coverage * 100) / 100]),
    ),
    steps: Object.fromEntries(
      STEPS.map((step) => [
        step,
        {
          coverage: Math.round(grade.steps[step].coverage * 100) / 100,
          matched: grade.steps[step].matched,
          plainWords: grade.steps[step].plain,
          namedOnly: grade.steps[step].namedOnly,
          missed: grade.steps[step].missed.map((item) => item.term),
        },
      ]),
    ),
    redFlags: grade.redFlags,
    strongest: grade.strongest ?? null,
    weakest: grade.weakest,
    suggestions: grade.suggestions,
    probe: grade.probe ?? null,
  };
}

export {
  judgmentsFromReview,
  quoteInAnswer,
  REVIEW_JSON_SCHEMA,
  type ReviewReply,
  reviewMessages,
} from './review.ts';

/**
 * Compiles the library's corpus and every case's rubric ahead of the first answer (about a second for the
 * whole library), so no answer waits for it and no process stalls its other work on the first one.
 */
export function warmUp(library: GradingLibrary): void {
  const corpus = corpusOf(library);
  for (const study of library.cases.values()) corpus.rubric(study);
}
