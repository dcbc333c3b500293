import { STEP_TITLES, STEPS, type StepKey } from '../core/framework.ts';
import type { Library } from './content.ts';
import type { CaseStudy } from './content-schema.ts';
import { contentStems, isStopword, sentences, stem, wordCount } from './text.ts';

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

/**
 * The second channel, for ideas said in plain words: how much of each reference-outline sentence an answer
 * sentence echoes, weighting words by rarity across the library (idf) and by how specific they are to that
 * step of the case. It can lift a step to at most `weight` of what the concept rubric would give, only on
 * answers that use the case's own vocabulary (`relevantWords` of its distinctive words), so an answer to a
 * different case gains nothing from it.
 */
export const OUTLINE_CHANNEL = {
  weight: 0.8,
  match: 0.3, // share of an outline sentence's weighted words that counts as saying it
  saturation: 0.6, // share of a step's outline sentences that earns full coverage
  relevantWords: 6, // distinctive case words an answer needs for full outline credit
  distinctiveIn: 2, // a word is distinctive when at most this many cases use it
} as const;

/** Credit for a concept by how it is used: explained with reasons, described, or merely named. */
const CREDIT = { reasoned: 1, described: 0.75, named: 0.2 } as const;

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

/** Credit for a concept found under another step's heading ("Serving: ... 200 ms budget" is not clarifying). */
const OTHER_SECTION = 0.5;

// Words that open a section label for a step: "Data:", "2) Feature engineering:", "## Monitoring".
const SECTION_WORDS: Array<[RegExp, StepKey]> = [
  [/^(clarif\w*|requirements?|scope|goals?|assumptions?|questions?|problem statement)\b/, 'clarify'],
  [/^(fram\w*|formulation|ml (problem|framing|task)|problem framing|task)\b/, 'frame'],
  [/^(data\b|labels?\b|label\w*|dataset|training data|sampling)/, 'data'],
  [/^(features?\b|feature engineering|signals?\b|inputs?\b)/, 'features'],
  [/^(model\w*|evaluation|metrics|training|offline eval\w*)\b/, 'model'],
  [/^(serv\w*|deploy\w*|inference|architecture|system design|production|rollout)\b/, 'serving'],
  [/^(monitor\w*|maintenance|operations|iteration|retrain\w*|after launch)\b/, 'monitoring'],
];
const LABEL =
  /^\s*(?:#{1,6}\s*)?(?:step\s*)?(?:\d+[.):]?\s*)?(?:[*_]{1,2})?([a-z][a-z &/()-]{1,40}?)(?:[*_]{1,2})?\s*(?::|$)/i;

/** The step a sentence's leading label names, if it has one. */
export function sectionOf(sentence: string): StepKey | undefined {
  const isHeading = sentence.trimStart().startsWith('#') || sentence.slice(0, 50).includes(':');
  if (!isHeading) return undefined;
  const label = LABEL.exec(sentence);
  if (!label?.[1]) return undefined;
  const text = label[1].trim().toLowerCase();
  return SECTION_WORDS.find(([pattern]) => pattern.test(text))?.[1];
}

type Phrase = { stems: string[]; concept: number };
type CompiledConcept = { step: StepKey; term: string; weight: number };
type Rubric = {
  concepts: CompiledConcept[];
  phrases: Phrase[];
  /** stem -> phrases containing it, so a sentence only tests phrases whose every word it holds */
  index: Map<string, number[]>;
  stepWeight: Record<StepKey, number>;
};

type OutlineUnit = { step: StepKey; total: number };
type OutlineModel = {
  units: OutlineUnit[];
  unitsPerStep: Record<StepKey, number>;
  /** stem -> postings (outline sentence, weight), so a sentence touches only the ones it shares words with */
  index: Map<string, { units: Int32Array; weights: Float64Array }>;
  distinctive: Set<string>;
};
type Corpus = {
  idf: (stem: string) => number;
  caseStems: Map<string, Set<string>>;
  caseCount: Map<string, number>;
};

const rubrics = new WeakMap<CaseStudy, Rubric>();
const corpora = new WeakMap<Library, Corpus>();
const outlines = new WeakMap<CaseStudy, OutlineModel>();

/** Word statistics over the whole library: rarity across outline sentences, and which cases use a word. */
function corpusOf(library: Library): Corpus {
  let corpus = corpora.get(library);
  if (corpus) return corpus;
  const documentFrequency = new Map<string, number>();
  let documents = 0;
  const caseStems = new Map<string, Set<string>>();
  const caseCount = new Map<string, number>();
  for (const study of library.cases.values()) {
    const own = new Set<string>();
    for (const step of STEPS) {
      for (const sentence of sentences(study.steps[step].outline)) {
        documents += 1;
        for (const value of new Set(contentStems(sentence))) {
          documentFrequency.set(value, (documentFrequency.get(value) ?? 0) + 1);
        }
      }
      for (const concept of study.steps[step].concepts) {
        for (const phrase of [concept.term, ...concept.synonyms])
          for (const value of contentStems(phrase)) own.add(value);
      }
      for (const value of contentStems(study.steps[step].outline)) own.add(value);
    }
    for (const value of contentStems(`${study.scenario} ${study.summary}`)) own.add(value);
    caseStems.set(study.id, own);
    for (const value of own) caseCount.set(value, (caseCount.get(value) ?? 0) + 1);
  }
  corpus = {
    idf: (value) => Math.log((documents + 1) / ((documentFrequency.get(value) ?? 0) + 1)),
    caseStems,
    caseCount,
  };
  corpora.set(library, corpus);
  return corpus;
}

/** Each outline sentence as weighted words: rare in the library and specific to its step of this case. */
function outlineModel(study: CaseStudy, corpus: Corpus): OutlineModel {
  let model = outlines.get(study);
  if (model) return model;
  const perStep = new Map<string, Record<string, number>>();
  for (const step of STEPS) {
    const texts = [
      study.steps[step].outline,
      ...study.steps[step].concepts.flatMap((concept) => [concept.term, ...concept.synonyms]),
    ];
    for (const text of texts) {
      for (const value of contentStems(text)) {
        const counts = perStep.get(value) ?? {};
        counts[step] = (counts[step] ?? 0) + 1;
        perStep.set(value, counts);
      }
    }
  }
  const specificity = (value: string, step: StepKey) => {
    const counts = perStep.get(value);
    if (!counts) return 0;
    const all = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return (counts[step] ?? 0) / all;
  };
  const units: OutlineUnit[] = [];
  const unitsPerStep = Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<StepKey, number>;
  const lists = new Map<string, Array<[number, number]>>();
  for (const step of STEPS) {
    for (const sentence of sentences(study.steps[step].outline)) {
      const weights = new Map<string, number>();
      for (const value of new Set(contentStems(sentence))) {
        const weight = corpus.idf(value) * specificity(value, step);
        if (weight > 0) weights.set(value, weight);
      }
      let total = 0;
      for (const weight of weights.values()) total += weight;
      if (weights.size < 3 || total <= 0) continue;
      const id = units.push({ step, total }) - 1;
      unitsPerStep[step] += 1;
      for (const [value, weight] of weights) {
        // Words carrying under 2 % of a sentence's weight cannot decide a match; leaving them out keeps
        // common words from touching every outline sentence.
        if (weight < total * 0.02) continue;
        const postings = lists.get(value) ?? [];
        postings.push([id, weight]);
        lists.set(value, postings);
      }
    }
  }
  const index = new Map(
    [...lists].map(([value, postings]) => [
      value,
      {
        units: Int32Array.from(postings, ([unit]) => unit),
        weights: Float64Array.from(postings, ([, weight]) => weight),
      },
    ]),
  );
  const distinctive = new Set(
    [...(corpus.caseStems.get(study.id) ?? [])].filter(
      (value) => (corpus.caseCount.get(value) ?? 0) <= OUTLINE_CHANNEL.distinctiveIn,
    ),
  );
  model = { units, unitsPerStep, index, distinctive };
  outlines.set(study, model);
  return model;
}

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
        if (stems.length > 0) phrases.push({ stems, concept: position });
      }
    }
  }
  // Index each phrase under its rarest word only: a sentence then looks at a phrase only when it holds
  // that word, instead of counting common words ("user", "model") against every phrase that has them.
  const frequency = new Map<string, number>();
  for (const phrase of phrases)
    for (const value of phrase.stems) frequency.set(value, (frequency.get(value) ?? 0) + 1);
  phrases.forEach((phrase, id) => {
    const anchor = phrase.stems.reduce((rarest, value) =>
      (frequency.get(value) ?? 0) < (frequency.get(rarest) ?? 0) ? value : rarest,
    );
    const list = index.get(anchor) ?? [];
    list.push(id);
    index.set(anchor, list);
  });
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

type Sentence = {
  positions: Map<string, number[]>;
  contentCount: number;
  reasoned: boolean;
  listLike: boolean;
};

const SEPARATORS = new Set([',', ';', '/', '|', '•', '·']);

type LexiconEntry = { stem: string | undefined; reasoning: boolean };
const lexicon = new Map<string, LexiconEntry>();

/** One cached lookup per word: its stem (undefined for a stop word) and whether it signals reasoning. */
function lexiconEntry(word: string): LexiconEntry {
  let entry = lexicon.get(word);
  if (!entry) {
    entry = { stem: isStopword(word) ? undefined : stem(word), reasoning: REASONING.has(word) };
    if (lexicon.size < 200_000) lexicon.set(word, entry);
  }
  return entry;
}

function analyse(text: string): Sentence {
  const positions = new Map<string, number[]>();
  let contentCount = 0;
  let reasoned = false;
  // A list reads as many short comma-separated items: "PR-AUC, GBDT, drift, canary".
  const segments: number[] = [];
  let segmentWords = 0;
  const lower = text.toLowerCase();
  let start = -1;
  for (let index = 0; index <= lower.length; index += 1) {
    const code = index < lower.length ? lower.charCodeAt(index) : 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (start < 0) start = index;
      continue;
    }
    if (start >= 0) {
      segmentWords = addWord(lower.slice(start, index), segmentWords);
      start = -1;
    }
    if (SEPARATORS.has(lower[index] as string)) {
      if (segmentWords > 0) segments.push(segmentWords);
      segmentWords = 0;
    }
  }
  if (segmentWords > 0) segments.push(segmentWords);
  segments.sort((a, b) => a - b);
  const median = segments[Math.floor(segments.length / 2)] ?? 0;
  return { positions, contentCount, reasoned, listLike: segments.length >= 3 && median <= 3 };

  function addWord(token: string, inSegment: number): number {
    const entry = lexiconEntry(token);
    if (entry.reasoning) reasoned = true;
    const value = entry.stem;
    if (value === undefined) return inSegment;
    const list = positions.get(value);
    if (list) list.push(contentCount);
    else positions.set(value, [contentCount]);
    contentCount += 1;
    return inSegment + 1;
  }
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
  if (sentence.listLike) return CREDIT.named;
  if (sentence.contentCount >= 5 && sentence.reasoned && other >= 2) return CREDIT.reasoned;
  if (sentence.contentCount >= 6 && other >= 3) return CREDIT.described;
  return CREDIT.named;
}

/** Coverage per step from echoes of the reference outline, gated by how much the answer is about this case. */
function outlineChannel(
  study: CaseStudy,
  analysed: Array<{ sentence: Sentence; credit: number; section: StepKey | undefined }>,
  corpus: Corpus,
): Record<StepKey, number> {
  const model = outlineModel(study, corpus);
  const found = new Set<string>();
  for (const { sentence } of analysed) {
    for (const value of sentence.positions.keys()) if (model.distinctive.has(value)) found.add(value);
  }
  const relevance = Math.min(1, found.size / OUTLINE_CHANNEL.relevantWords);
  if (relevance === 0) return Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<StepKey, number>;
  const best = new Float64Array(model.units.length);
  const hits = new Float64Array(model.units.length);
  for (const { sentence, credit, section } of analysed) {
    const touched: number[] = [];
    for (const value of sentence.positions.keys()) {
      const postings = model.index.get(value);
      if (!postings) continue;
      const { units, weights } = postings;
      for (let at = 0; at < units.length; at += 1) {
        const unit = units[at] as number;
        if (hits[unit] === 0) touched.push(unit);
        hits[unit] = (hits[unit] as number) + (weights[at] as number);
      }
    }
    for (const unit of touched) {
      const { step, total } = model.units[unit] as OutlineUnit;
      const placed = section === undefined || section === step ? credit : credit * OTHER_SECTION;
      const value = placed * Math.min(1, (hits[unit] as number) / total / OUTLINE_CHANNEL.match);
      if (value > (best[unit] as number)) best[unit] = value;
      hits[unit] = 0;
    }
  }
  const earned = Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<StepKey, number>;
  model.units.forEach((unit, id) => {
    earned[unit.step] += best[id] as number;
  });
  const coverage = {} as Record<StepKey, number>;
  for (const step of STEPS) {
    const count = model.unitsPerStep[step];
    coverage[step] =
      count > 0 ? relevance * Math.min(1, earned[step] / (OUTLINE_CHANNEL.saturation * count)) : 0;
  }
  return coverage;
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

/**
 * Grades an answer against a case's rubric: deterministic, explainable coverage per framework step. With
 * `focus`, the day drills one step: the total is that step's coverage and suggestions come from it alone.
 */
export function gradeAnswer(
  study: CaseStudy,
  text: string,
  options: { focus?: StepKey | null; library?: Library } = {},
): Grade {
  const rubric = rubricFor(study);
  const credit = new Float64Array(rubric.concepts.length);
  const analysed: Array<{ sentence: Sentence; credit: number; section: StepKey | undefined }> = [];
  // A section label ("Data:", "## Serving") holds until the paragraph ends.
  const labelled = text.split(/\n\s*\n/).flatMap((paragraph) => {
    let current: StepKey | undefined;
    return sentences(paragraph).map((raw) => {
      current = sectionOf(raw) ?? current;
      return { raw, section: current };
    });
  });
  for (const { raw, section } of labelled) {
    const sentence = analyse(raw);
    if (sentence.contentCount === 0) continue;
    analysed.push({ sentence, credit: sentenceCredit(sentence, 0), section });
    let hits: Set<number> | undefined;
    let coveredStems: Set<string> | undefined;
    for (const anchor of sentence.positions.keys()) {
      const postings = rubric.index.get(anchor);
      if (!postings) continue;
      for (const id of postings) {
        const phrase = rubric.phrases[id] as Phrase;
        if (!phrase.stems.every((value) => sentence.positions.has(value)) || !matchesPhrase(sentence, phrase))
          continue;
        hits ??= new Set<number>();
        coveredStems ??= new Set<string>();
        hits.add(phrase.concept);
        for (const value of phrase.stems) coveredStems.add(value);
      }
    }
    if (!hits || !coveredStems) continue;
    let covered = 0;
    for (const value of coveredStems) covered += sentence.positions.get(value)?.length ?? 0;
    const value = sentenceCredit(sentence, covered);
    for (const position of hits) {
      const step = (rubric.concepts[position] as CompiledConcept).step;
      const placed = section === undefined || section === step ? value : value * OTHER_SECTION;
      credit[position] = Math.max(credit[position] as number, placed);
    }
  }

  const outlineCoverage = options.library
    ? outlineChannel(study, analysed, corpusOf(options.library))
    : undefined;
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
    const concepts = possible > 0 ? Math.min(1, earned / possible) : 0;
    grade.coverage = Math.max(concepts, OUTLINE_CHANNEL.weight * (outlineCoverage?.[step] ?? 0));
    grade.missed.sort((a, b) => b.weight - a.weight);
    steps[step] = grade;
    total += STEP_WEIGHTS[step] * grade.coverage;
  }

  const focus = options.focus ?? undefined;
  if (focus) total = STEP_WEIGHTS[focus] > 0 ? steps[focus].coverage : 0;
  const ranked = focus ? [focus] : [...STEPS].sort((a, b) => steps[b].coverage - steps[a].coverage);
  const strongest = ranked[0] && steps[ranked[0]].coverage > 0 ? ranked[0] : undefined;
  const weakest = ranked.at(-1) as StepKey;
  const suggestions: Grade['suggestions'] = [];
  for (const step of [...ranked].reverse()) {
    for (const missed of steps[step].missed) {
      if (suggestions.length >= 3) break;
      if (!focus && suggestions.filter((item) => item.step === step).length >= 2) break;
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
