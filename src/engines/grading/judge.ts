import { STEPS, type StepKey } from '../../core/framework.ts';
import {
  CREDIT,
  densityFactor,
  PLAIN_CREDIT,
  type SentenceEvidence,
  sentenceEvidence,
  templateKey,
} from './evidence.ts';
import { analyse, matchConcepts, matchProfiles, matchRedFlags, type Sentence } from './match.ts';
import type { Corpus, Rubric } from './rubric.ts';
import { normaliseAll, sentences } from './tokenise.ts';
import type { ConceptJudgment, GradingCase, Judgments, RedFlagHit } from './types.ts';
import { sectionOf } from './words.ts';

/**
 * The built-in judge: reads an answer sentence by sentence and decides, for every rubric concept, how well
 * the answer shows it, and which red flags it recommends. A language model can stand in for it (same
 * output); either way score.ts turns the judgments into the grade.
 */

/** Credit for an idea found under another step's heading ("Serving: ... 200 ms" is not clarifying). */
const OTHER_SECTION = 0.6;
/** A template line repeated this often is a template, however it reads. */
const TEMPLATE_REPEATS = 3;

const QUOTE_LIMIT = 220; // characters of the answer's sentence kept as evidence

/**
 * The share of an answer's ideas that come with a real reason, at or above which nothing is discounted;
 * below it credit falls linearly towards `floor` (an answer that explains none of what it names).
 */
export const EXPLAINED = { share: 0.15, floor: 0.55, minIdeas: 6 } as const;

/** Sentences with the step their heading or leading label puts them under. */
function labelled(text: string): Array<{ raw: string; section: StepKey | undefined }> {
  const out: Array<{ raw: string; section: StepKey | undefined }> = [];
  let heading: StepKey | undefined;
  for (const paragraph of text.split(/\n\s*\n/)) {
    let label: StepKey | undefined;
    for (const raw of sentences(paragraph)) {
      const named = sectionOf(raw);
      if (raw.trimStart().startsWith('#')) {
        heading = named;
        label = undefined;
      } else if (named) label = named;
      out.push({ raw, section: label ?? heading });
    }
  }
  return out;
}

export function quoteOf(sentence: Sentence): string {
  const text = sentence.text.replace(/^[\s#>*\-•\d.)]+/, '').trim();
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text;
}

type Candidate = { credit: number; evidence: ConceptJudgment['evidence']; quote: string };

/** Where the relevance ramp starts and ends: the answer's closeness to this case over its closest case. */
export const TOPIC = { floor: 0.45, full: 0.8 } as const;

/**
 * How clearly an answer is about this case (0..1): its closeness to this case's own words, relative to the
 * case it is closest to. An answer to another case (a fraud design graded as video recommendation) is far
 * closer to its own case, whatever ideas the two share.
 */
export function topicRelevance(corpus: Corpus, study: GradingCase, stems: ReadonlySet<string>): number {
  const scores = corpus.topics(stems);
  let best = 0;
  for (const value of scores.values()) best = Math.max(best, value);
  if (best <= 0) return 0;
  const ratio = (scores.get(study.id) ?? 0) / best;
  return Math.max(0, Math.min(1, (ratio - TOPIC.floor) / (TOPIC.full - TOPIC.floor)));
}

/** Judges an answer against a case's rubric with the built-in rules. */
export function judgeByRules(corpus: Corpus, rubric: Rubric, text: string): Judgments {
  const best: Array<Candidate | undefined> = new Array(rubric.concepts.length);
  const negated = new Set<number>();
  const flags = new Map<number, string>();
  const parts = labelled(text);
  const normalised = normaliseAll(parts.map((part) => part.raw));
  const analysed = parts.map(({ raw, section }, index) => {
    const sentence = analyse(corpus, raw, section, normalised[index]);
    const hits = matchConcepts(rubric, sentence);
    const exact = new Set(hits.filter((hit) => !hit.negated).map((hit) => hit.concept));
    for (const hit of hits) if (hit.negated) negated.add(hit.concept);
    const plain = matchProfiles(rubric, sentence, new Set(hits.map((hit) => hit.concept)));
    for (const flag of matchRedFlags(rubric, sentence))
      if (!flags.has(flag)) flags.set(flag, quoteOf(sentence));
    const positive = [...hits.filter((hit) => !hit.negated), ...plain];
    return { sentence, hits, exact, plain, positive };
  });

  // Templates: the same sentence skeleton around different ideas, three times or more.
  const keys = analysed.map(({ sentence, positive }) =>
    positive.length > 0
      ? templateKey(
          sentence,
          positive.map((hit) => hit.span),
        )
      : undefined,
  );
  const repeats = new Map<string, number>();
  for (const key of keys) if (key) repeats.set(key, (repeats.get(key) ?? 0) + 1);

  analysed.forEach(({ sentence, hits, exact, plain }, index) => {
    if (exact.size === 0 && plain.length === 0) return;
    const covered = new Set(hits.filter((hit) => !hit.negated).flatMap((hit) => hit.stems));
    let coveredWords = 0;
    for (const value of covered) coveredWords += sentence.positions.get(value)?.length ?? 0;
    const key = keys[index];
    const evidence: SentenceEvidence =
      key && (repeats.get(key) ?? 0) >= TEMPLATE_REPEATS ? 'named' : sentenceEvidence(sentence, covered);
    const density = densityFactor(sentence, coveredWords, exact.size + plain.length);
    const quote = quoteOf(sentence);
    const offer = (concept: number, credit: number, kind: ConceptJudgment['evidence']) => {
      const step = rubric.concepts[concept]?.step;
      const placed =
        sentence.section === undefined || sentence.section === step ? credit : credit * OTHER_SECTION;
      const value = placed * density;
      const previous = best[concept];
      if (value > 0 && (!previous || value > previous.credit))
        best[concept] = { credit: value, evidence: kind, quote };
    };
    for (const concept of exact) offer(concept, CREDIT[evidence], evidence);
    for (const hit of plain) offer(hit.concept, PLAIN_CREDIT[evidence], 'plain');
  });

  // An answer that explains almost nothing it names (a keyword list in sentences) earns less for all of it.
  const found = best.filter((item): item is Candidate => item !== undefined);
  const explained = found.filter((item) => item.evidence === 'reasoned').length / Math.max(1, found.length);
  const density =
    found.length < EXPLAINED.minIdeas
      ? 1
      : Math.min(1, EXPLAINED.floor + ((1 - EXPLAINED.floor) * explained) / EXPLAINED.share);
  const concepts: ConceptJudgment[] = rubric.concepts.map((_, index) => {
    const item = best[index];
    if (item) return { ...item, credit: item.credit * density };
    return { credit: 0, evidence: negated.has(index) ? 'negated' : 'missed' };
  });
  const redFlags: RedFlagHit[] = [...flags].map(([flag, quote]) => {
    const rule = rubric.study.redFlags[flag];
    return {
      flag: rule?.flag ?? '',
      why: rule?.why ?? '',
      step: rule?.step ?? STEPS[0],
      quote,
    };
  });
  // Relevance is measured where every judge's output is scored (index.ts), from these stems.
  const stems = new Set<string>();
  for (const { sentence } of analysed) for (const value of sentence.positions.keys()) stems.add(value);
  return { judge: 'rules', concepts, redFlags, relevance: 1, stems };
}
