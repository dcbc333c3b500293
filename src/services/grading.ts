import { STEP_TITLES, STEPS, type StepKey } from '../core/framework.ts';
import type { CaseStudy } from './content-schema.ts';
import { contentStems, isStopword, sentences, stem, wordCount, words } from './text.ts';

/**
 * How much each framework step counts towards the total (sums to 1). Modelling and data carry the most
 * signal in real interviews; no single step can carry an answer, because each is capped at its share.
 */
export const STEP_WEIGHTS = {
  clarify: 0.12,
  frame: 0.12,
  data: 0.16,
  features: 0.14,
  model: 0.18,
  serving: 0.14,
  monitoring: 0.14,
} as const satisfies Record<StepKey, number>;

/** Share of a step's concept weight that earns full coverage: an excellent answer need not say everything. */
const SATURATION = 0.7;

/** Credit for a concept by how it is used: explained with reasons, described, or merely named. */
const CREDIT = { reasoned: 1, described: 0.75, named: 0.3 } as const;

/** Words that show a sentence gives a reason, a condition or a comparison rather than a label. */
const REASONING = new Set([
  'because',
  'so',
  'since',
  'therefore',
  'thus',
  'hence',
  'why',
  'to',
  'instead',
  'rather',
  'than',
  'otherwise',
  'avoid',
  'avoids',
  'prevent',
  'prevents',
  'means',
  'while',
  'whereas',
  'but',
  'however',
  'if',
  'when',
  'unless',
  'tradeoff',
  'trade',
  'cost',
  'costs',
  'risk',
  'given',
  'eg',
  'example',
  'which',
  'lets',
  'allows',
  'helps',
  'keeps',
  'reduce',
  'reduces',
  'improve',
  'improves',
  'ensure',
  'via',
  'by',
  'per',
  'within',
  'under',
  'until',
  'after',
  'before',
  'then',
  'versus',
  'vs',
]);

type Phrase = { stems: string[]; concept: number };
type CompiledConcept = { step: StepKey; term: string; weight: number };
type Rubric = {
  concepts: CompiledConcept[];
  phrases: Phrase[];
  /** stem -> phrases containing it, so a sentence only tests phrases whose every word it holds */
  index: Map<string, number[]>;
  stepWeight: Record<StepKey, number>;
};

const rubrics = new WeakMap<CaseStudy, Rubric>();

function compile(study: CaseStudy): Rubric {
  const concepts: CompiledConcept[] = [];
  const phrases: Phrase[] = [];
  const index = new Map<string, number[]>();
  const stepWeight = Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<StepKey, number>;
  for (const step of STEPS) {
    for (const concept of study.steps[step].concepts) {
      const position = concepts.push({ step, term: concept.term, weight: concept.weight }) - 1;
      stepWeight[step] += concept.weight;
      for (const text of [concept.term, ...concept.synonyms]) {
        const stems = [...new Set(contentStems(text))];
        if (stems.length === 0) continue;
        const id = phrases.push({ stems, concept: position }) - 1;
        for (const value of stems) {
          const list = index.get(value) ?? [];
          list.push(id);
          index.set(value, list);
        }
      }
    }
  }
  return { concepts, phrases, index, stepWeight };
}

function rubricFor(study: CaseStudy): Rubric {
  let rubric = rubrics.get(study);
  if (!rubric) {
    rubric = compile(study);
    rubrics.set(study, rubric);
  }
  return rubric;
}

type Sentence = { positions: Map<string, number[]>; contentCount: number; reasoned: boolean; commas: number };

function analyse(text: string): Sentence {
  const positions = new Map<string, number[]>();
  let contentCount = 0;
  let reasoned = false;
  for (const word of words(text)) {
    if (REASONING.has(word)) reasoned = true;
    if (isStopword(word)) continue;
    const value = stem(word);
    const list = positions.get(value);
    if (list) list.push(contentCount);
    else positions.set(value, [contentCount]);
    contentCount += 1;
  }
  return { positions, contentCount, reasoned, commas: (text.match(/,/g) ?? []).length };
}

/** The span of the tightest window holding every stem of `phrase`, or Infinity when one is absent. */
function phraseSpan(sentence: Sentence, phrase: Phrase): number {
  const [first, ...rest] = phrase.stems;
  const anchors = first === undefined ? undefined : sentence.positions.get(first);
  if (!anchors) return Number.POSITIVE_INFINITY;
  let best = Number.POSITIVE_INFINITY;
  for (const anchor of anchors) {
    let low = anchor;
    let high = anchor;
    for (const value of rest) {
      const list = sentence.positions.get(value);
      if (!list) return Number.POSITIVE_INFINITY;
      let nearest = list[0] as number;
      for (const position of list)
        if (Math.abs(position - anchor) < Math.abs(nearest - anchor)) nearest = position;
      low = Math.min(low, nearest);
      high = Math.max(high, nearest);
    }
    best = Math.min(best, high - low);
  }
  return best;
}

function matchesPhrase(sentence: Sentence, phrase: Phrase): boolean {
  return phraseSpan(sentence, phrase) <= phrase.stems.length + 4;
}

/**
 * How well a sentence explains what it names: a list of terms with no reasoning earns little, a sentence
 * that says why earns full credit. `covered` is how many of its words the matched concepts account for.
 */
function sentenceCredit(sentence: Sentence, covered: number): number {
  const other = sentence.contentCount - covered;
  const listLike = sentence.commas >= 2 && other < sentence.contentCount * 0.5;
  if (sentence.contentCount >= 6 && sentence.reasoned && !listLike && other >= 3) return CREDIT.reasoned;
  if (sentence.contentCount >= 6 && other >= 4 && !listLike) return CREDIT.described;
  return CREDIT.named;
}

export type StepGrade = {
  step: StepKey;
  title: string;
  coverage: number; // 0..1, capped
  matched: string[];
  /** Named without any reasoning around them. */
  namedOnly: string[];
  missed: Array<{ term: string; weight: number }>;
};

export type Grade = {
  caseId: string;
  total: number; // 0-100
  wordCount: number;
  steps: Record<StepKey, StepGrade>;
  strongest: StepKey | undefined;
  weakest: StepKey;
  /** Two or three concrete concepts worth studying next, heaviest first from the weakest steps. */
  suggestions: Array<{ step: StepKey; term: string }>;
};

/** Grades an answer against a case's rubric: deterministic, explainable coverage per framework step. */
export function gradeAnswer(study: CaseStudy, text: string): Grade {
  const rubric = rubricFor(study);
  const credit = new Float64Array(rubric.concepts.length);
  for (const raw of sentences(text)) {
    const sentence = analyse(raw);
    if (sentence.contentCount === 0) continue;
    // Count, per phrase, how many of its words the sentence holds; only complete ones are checked.
    const seen = new Map<number, number>();
    for (const value of sentence.positions.keys()) {
      for (const id of rubric.index.get(value) ?? []) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const hits = new Set<number>();
    const coveredStems = new Set<string>();
    for (const [id, found] of seen) {
      const phrase = rubric.phrases[id] as Phrase;
      if (found < phrase.stems.length || !matchesPhrase(sentence, phrase)) continue;
      hits.add(phrase.concept);
      for (const value of phrase.stems) coveredStems.add(value);
    }
    if (hits.size === 0) continue;
    let covered = 0;
    for (const value of coveredStems) covered += sentence.positions.get(value)?.length ?? 0;
    const value = sentenceCredit(sentence, covered);
    for (const position of hits) credit[position] = Math.max(credit[position] as number, value);
  }

  const steps = {} as Record<StepKey, StepGrade>;
  let total = 0;
  for (const step of STEPS) {
    let earned = 0;
    const grade: StepGrade = {
      step,
      title: STEP_TITLES[step],
      coverage: 0,
      matched: [],
      namedOnly: [],
      missed: [],
    };
    rubric.concepts.forEach((concept, position) => {
      if (concept.step !== step) return;
      const value = credit[position] as number;
      earned += concept.weight * value;
      if (value >= CREDIT.described) grade.matched.push(concept.term);
      else if (value > 0) grade.namedOnly.push(concept.term);
      else grade.missed.push({ term: concept.term, weight: concept.weight });
    });
    const possible = rubric.stepWeight[step] * SATURATION;
    grade.coverage = possible > 0 ? Math.min(1, earned / possible) : 0;
    grade.missed.sort((a, b) => b.weight - a.weight);
    steps[step] = grade;
    total += STEP_WEIGHTS[step] * grade.coverage;
  }

  const ranked = [...STEPS].sort((a, b) => steps[b].coverage - steps[a].coverage);
  const strongest = ranked[0] && steps[ranked[0]].coverage > 0 ? ranked[0] : undefined;
  const weakest = ranked.at(-1) as StepKey;
  const suggestions: Grade['suggestions'] = [];
  for (const step of [...ranked].reverse()) {
    for (const missed of steps[step].missed) {
      if (suggestions.length >= 3) break;
      if (suggestions.filter((item) => item.step === step).length >= 2) break;
      suggestions.push({ step, term: missed.term });
    }
  }
  return {
    caseId: study.id,
    total: Math.round(total * 100),
    wordCount: wordCount(text),
    steps,
    strongest,
    weakest,
    suggestions,
  };
}

/** The shape `mlsd grade` prints: total, coverage per step, concepts matched and missed. */
export function gradeToJson(grade: Grade) {
  return {
    case: grade.caseId,
    total: grade.total,
    wordCount: grade.wordCount,
    coverage: Object.fromEntries(
      STEPS.map((step) => [step, Math.round(grade.steps[step].coverage * 100) / 100]),
    ),
    steps: Object.fromEntries(
      STEPS.map((step) => [
        step,
        {
          coverage: Math.round(grade.steps[step].coverage * 100) / 100,
          matched: grade.steps[step].matched,
          namedOnly: grade.steps[step].namedOnly,
          missed: grade.steps[step].missed.map((item) => item.term),
        },
      ]),
    ),
    strongest: grade.strongest ?? null,
    weakest: grade.weakest,
    suggestions: grade.suggestions,
  };
}
