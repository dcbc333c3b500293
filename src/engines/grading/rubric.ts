import { STEPS, type StepKey } from '../../core/framework.ts';
import { contentStems, normalise, sentences, words } from './tokenise.ts';
import type { GradingCase, GradingLibrary } from './types.ts';

/**
 * A case's rubric compiled for matching, and what the whole library says about each idea: how many other
 * cases share it (generic ideas such as A/B testing earn less, and only in answers that are about this
 * case), and which words characterise it (for ideas said in everyday words).
 */

/** A concept at or above this share of other cases using it is generic. */
export const GENERIC_AT = 0.3;
/** How much less a fully generic concept weighs than a case-specific one. */
const GENERIC_DISCOUNT = 0.5;
/** A profile word weighing under this share of its concept's bar cannot decide a match; it is not indexed. */
const PROFILE_FLOOR = 0.1;
/** Profile weight of a word from a concept's "why" line, against 1 for its term and synonyms. */
const WHY_WEIGHT = 0.5;

export type Phrase = { stems: string[]; concept: number };

/** Words a red flag's phrasing may leave out in an answer ("one global threshold across categories"). */
const OPTIONAL_IN_FLAGS = new Set(['across', 'us', 'make', 'simpli', 'realli']);

export type CompiledConcept = {
  step: StepKey;
  term: string;
  weight: number;
  why?: string | undefined;
  card?: string | undefined;
  /** Share of the other cases that have this idea too (0 = only this case). */
  generality: number;
  /** The weight that counts: generic ideas weigh less. */
  effective: number;
};

export type Rubric = {
  study: GradingCase;
  concepts: CompiledConcept[];
  phrases: Phrase[];
  /** stem -> phrases anchored on it (their rarest word), so a sentence only tests phrases it can hold */
  phraseIndex: Map<string, number[]>;
  /** stem -> (concept, weight) for matching ideas said in other words */
  profile: Map<string, Array<[number, number]>>;
  /** What a typical phrase of each concept weighs in the profile: the bar for an everyday-words match. */
  profileBar: Float64Array;
  stepWeight: Record<StepKey, number>;
  specificWeight: Record<StepKey, number>;
  redFlags: Array<{ flag: number; phrases: string[][] }>;
  flagIndex: Map<string, Array<[number, number]>>;
};

export type Corpus = {
  /** How much an answer's words are about each case (cosine against each case's own words), by case id. */
  topics(stems: Iterable<string>): Map<string, number>;
  /** Rarity of a stem across every concept of every case (log-scaled). */
  idf(stem: string): number;
  /** Every word the library uses (for catching slips in long words), by first letter and length. */
  vocabulary: Map<string, string[]>;
  known: Set<string>;
  rubric(study: GradingCase): Rubric;
};

const corpora = new WeakMap<GradingLibrary, Corpus>();

function phraseStems(text: string): string[] {
  return [...new Set(contentStems(text))];
}

/** Per case, the stem sets it uses: each phrase of each concept, and each outline sentence. */
function caseUnits(study: GradingCase): Array<Set<string>> {
  const units: Array<Set<string>> = [];
  for (const step of STEPS) {
    for (const concept of study.steps[step].concepts)
      for (const text of [concept.term, ...concept.synonyms]) units.push(new Set(phraseStems(text)));
    for (const sentence of sentences(study.steps[step].outline)) units.push(new Set(phraseStems(sentence)));
  }
  return units;
}

function contains(unit: Set<string>, stems: string[]): boolean {
  for (const value of stems) if (!unit.has(value)) return false;
  return true;
}

/** The library's statistics and each case's compiled rubric, built once per library. */
export function corpusOf(library: GradingLibrary): Corpus {
  const cached = corpora.get(library);
  if (cached) return cached;
  const documents: Array<Set<string>> = [];
  const known = new Set<string>();
  const unitsByCase = new Map<string, Array<Set<string>>>();
  for (const study of library.cases.values()) {
    unitsByCase.set(study.id, caseUnits(study));
    for (const step of STEPS) {
      for (const concept of study.steps[step].concepts) {
        documents.push(
          new Set(phraseStems([concept.term, ...concept.synonyms, concept.why ?? ''].join(' . '))),
        );
        for (const text of [concept.term, ...concept.synonyms, concept.why ?? ''])
          for (const word of words(normalise(text))) known.add(word);
      }
      for (const word of words(normalise(study.steps[step].outline))) known.add(word);
    }
    for (const flag of study.redFlags)
      for (const word of words(normalise([flag.flag, flag.why, ...flag.phrasings].join(' '))))
        known.add(word);
  }
  const frequency = new Map<string, number>();
  for (const document of documents)
    for (const value of document) frequency.set(value, (frequency.get(value) ?? 0) + 1);
  const idf = (value: string) => Math.log((documents.length + 1) / ((frequency.get(value) ?? 0) + 1));
  const vocabulary = new Map<string, string[]>();
  for (const word of known) {
    if (word.length < 5 || /\d/.test(word)) continue;
    const key = `${word[0]}${word.length}`;
    const list = vocabulary.get(key) ?? [];
    list.push(word);
    vocabulary.set(key, list);
  }
  const rubrics = new WeakMap<GradingCase, Rubric>();
  const topics = topicModel(library);
  const corpus: Corpus = {
    topics,
    idf,
    vocabulary,
    known,
    rubric(study) {
      let rubric = rubrics.get(study);
      if (!rubric) {
        rubric = compile(study, library, unitsByCase, idf);
        rubrics.set(study, rubric);
      }
      return rubric;
    },
  };
  corpora.set(library, corpus);
  return corpus;
}

function compile(
  study: GradingCase,
  library: GradingLibrary,
  unitsByCase: Map<string, Array<Set<string>>>,
  idf: (stem: string) => number,
): Rubric {
  const concepts: CompiledConcept[] = [];
  const phrases: Phrase[] = [];
  const zero = () => Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<StepKey, number>;
  const stepWeight = zero();
  const specificWeight = zero();
  const others = [...library.cases.values()].filter((other) => other.id !== study.id);

  // Single words shared by several ideas of this case cannot tell them apart ("city" in "city by city").
  const stemConcepts = new Map<string, Set<number>>();
  let position = 0;
  for (const step of STEPS) {
    for (const concept of study.steps[step].concepts) {
      for (const text of [concept.term, ...concept.synonyms])
        for (const value of phraseStems(text)) {
          const set = stemConcepts.get(value) ?? new Set<number>();
          set.add(position);
          stemConcepts.set(value, set);
        }
      position += 1;
    }
  }

  for (const step of STEPS) {
    for (const concept of study.steps[step].concepts) {
      const index = concepts.length;
      const own = [concept.term, ...concept.synonyms]
        .map((text, at) => ({ stems: phraseStems(text), isTerm: at === 0 }))
        .filter(({ stems, isTerm }) => {
          if (stems.length === 0) return false;
          if (stems.length > 1 || isTerm) return true;
          return (stemConcepts.get(stems[0] as string)?.size ?? 0) <= 2;
        });
      for (const { stems } of own) phrases.push({ stems, concept: index });
      const shared = others.filter((other) =>
        (unitsByCase.get(other.id) ?? []).some((unit) =>
          own.some(({ stems }) => (stems.length > 1 || idf(stems[0] as string) > 3) && contains(unit, stems)),
        ),
      ).length;
      const generality = others.length > 0 ? shared / others.length : 0;
      const effective = concept.weight * (1 - GENERIC_DISCOUNT * Math.min(1, generality / 0.6));
      concepts.push({
        step,
        term: concept.term,
        weight: concept.weight,
        why: concept.why,
        card: concept.card,
        generality,
        effective,
      });
      stepWeight[step] += effective;
      if (generality < GENERIC_AT) specificWeight[step] += effective;
    }
  }

  const phraseIndex = anchorIndex(phrases.map((phrase) => phrase.stems));
  const { profile, profileBar } = profiles(study, concepts.length, idf);
  // A red flag's phrasing matches when all its words are there, but for quantifiers an answer may leave out.
  const redFlags = study.redFlags.map((flag, at) => ({
    flag: at,
    phrases: flag.phrasings
      .map((text) => phraseStems(text).filter((value) => !OPTIONAL_IN_FLAGS.has(value)))
      .filter((stems) => stems.length >= 2),
  }));
  const flagIndex = new Map<string, Array<[number, number]>>();
  redFlags.forEach(({ phrases: list }, flag) => {
    list.forEach((stems, at) => {
      const anchor = stems[0] as string;
      const entries = flagIndex.get(anchor) ?? [];
      entries.push([flag, at]);
      flagIndex.set(anchor, entries);
    });
  });
  return {
    study,
    concepts,
    phrases,
    phraseIndex,
    profile,
    profileBar,
    stepWeight,
    specificWeight,
    redFlags,
    flagIndex,
  };
}

/** Index each phrase under its rarest word, so a sentence looks only at phrases it may hold. */
function anchorIndex(list: string[][]): Map<string, number[]> {
  const frequency = new Map<string, number>();
  for (const stems of list) for (const value of stems) frequency.set(value, (frequency.get(value) ?? 0) + 1);
  const index = new Map<string, number[]>();
  list.forEach((stems, id) => {
    const anchor = stems.reduce((rarest, value) =>
      (frequency.get(value) ?? 0) < (frequency.get(rarest) ?? 0) ? value : rarest,
    );
    const entries = index.get(anchor) ?? [];
    entries.push(id);
    index.set(anchor, entries);
  });
  return index;
}

/**
 * Each concept as weighted words: its term and synonyms (and, less, its why line), each word weighted by
 * how much it belongs to this concept rather than the case's other concepts, and by its rarity.
 */
function profiles(study: GradingCase, count: number, idf: (stem: string) => number) {
  const counts: Array<Map<string, number>> = [];
  const phraseLists: string[][][] = [];
  const total = new Map<string, number>();
  for (const step of STEPS) {
    for (const concept of study.steps[step].concepts) {
      const own = new Map<string, number>();
      const lists = [concept.term, ...concept.synonyms].map(phraseStems);
      for (const stems of lists) for (const value of stems) own.set(value, (own.get(value) ?? 0) + 1);
      for (const value of phraseStems(concept.why ?? '')) own.set(value, (own.get(value) ?? 0) + WHY_WEIGHT);
      for (const [value, amount] of own) total.set(value, (total.get(value) ?? 0) + amount);
      counts.push(own);
      phraseLists.push(lists);
    }
  }
  const weightOf = counts.map((own) => {
    const weights = new Map<string, number>();
    for (const [value, amount] of own) {
      const weight = (amount / (total.get(value) ?? amount)) * idf(value);
      if (weight > 0) weights.set(value, weight);
    }
    return weights;
  });
  const profileBar = new Float64Array(count);
  phraseLists.forEach((lists, concept) => {
    const sums = lists
      .map((stems) => stems.reduce((sum, value) => sum + (weightOf[concept]?.get(value) ?? 0), 0))
      .filter((sum) => sum > 0)
      .sort((a, b) => a - b);
    profileBar[concept] = sums[Math.floor(sums.length / 2)] ?? Number.POSITIVE_INFINITY;
  });
  // Words too faint to move a concept's sum are left out of the index: fewer lookups per sentence.
  const profile = new Map<string, Array<[number, number]>>();
  weightOf.forEach((weights, concept) => {
    const floor = (profileBar[concept] ?? 0) * PROFILE_FLOOR;
    for (const [value, weight] of weights) {
      if (weight < floor) continue;
      const entries = profile.get(value) ?? [];
      entries.push([concept, weight]);
      profile.set(value, entries);
    }
  });
  return { profile, profileBar };
}

/**
 * Each case's own vocabulary as tf-idf weights over the library's cases (title, summary, scenario,
 * clarifying facts, outlines, rubric phrases). An answer's closeness to a case is the weight of the case's
 * words it uses, over the case's vector length; comparing cases tells which case an answer is about,
 * whatever words it uses for the ideas.
 */
function topicModel(library: GradingLibrary): (stems: Iterable<string>) => Map<string, number> {
  const counts = new Map<string, Map<string, number>>();
  const documentFrequency = new Map<string, number>();
  for (const study of library.cases.values()) {
    const parts = [study.title, study.summary ?? '', study.scenario ?? ''];
    for (const item of study.clarifying ?? []) parts.push(item.q, item.a);
    for (const step of STEPS) {
      parts.push(study.steps[step].outline);
      for (const concept of study.steps[step].concepts) parts.push(concept.term, ...concept.synonyms);
    }
    const own = new Map<string, number>();
    for (const value of contentStems(parts.join(' . '))) own.set(value, (own.get(value) ?? 0) + 1);
    counts.set(study.id, own);
    for (const value of own.keys()) documentFrequency.set(value, (documentFrequency.get(value) ?? 0) + 1);
  }
  const total = library.cases.size;
  const ids = [...counts.keys()];
  const lists = new Map<string, Array<[number, number]>>();
  const norms = new Float64Array(ids.length);
  ids.forEach((id, position) => {
    let norm = 0;
    for (const [value, count] of counts.get(id) ?? []) {
      const weight =
        Math.log(1 + count) * Math.log((total + 1) / ((documentFrequency.get(value) ?? 0) + 0.5));
      if (weight <= 0) continue;
      norm += weight * weight;
      const entries = lists.get(value) ?? [];
      entries.push([position, weight]);
      lists.set(value, entries);
    }
    norms[position] = Math.sqrt(norm) || 1;
  });
  const index = new Map(
    [...lists].map(([value, entries]) => [
      value,
      {
        cases: Int32Array.from(entries, ([at]) => at),
        weights: Float64Array.from(entries, ([, weight]) => weight),
      },
    ]),
  );
  const sums = new Float64Array(ids.length);
  return (stems) => {
    sums.fill(0);
    for (const value of stems) {
      const entry = index.get(value);
      if (!entry) continue;
      for (let at = 0; at < entry.cases.length; at += 1)
        sums[entry.cases[at] as number] =
          (sums[entry.cases[at] as number] as number) + (entry.weights[at] as number);
    }
    const scores = new Map<string, number>();
    ids.forEach((id, position) => {
      if ((sums[position] as number) > 0)
        scores.set(id, (sums[position] as number) / (norms[position] as number));
    });
    return scores;
  };
}
