import { distance } from 'fastest-levenshtein';
import type { StepKey } from '../../core/framework.ts';
import type { Corpus, Rubric } from './rubric.ts';
import { isStopword, normalise, stem } from './tokenise.ts';
import {
  CLAUSE_WORDS,
  CONTRASTING,
  CRITICISM,
  HYPOTHETICAL,
  INNER_NEGATORS,
  NEGATORS,
  REJECTED_AFTER,
} from './words.ts';

/**
 * Finding ideas in sentences: a concept's phrase matches when all its words occur close together in one
 * sentence; an idea said in everyday words matches the concept's word profile; a match inside a negation
 * ("we would not use a time split") does not count; a red flag counts only when recommended.
 */

/** One sentence of an answer, as words with their stems, clauses and positions. */
export type Sentence = {
  text: string;
  section: StepKey | undefined;
  question: boolean;
  tokens: string[];
  stems: Array<string | undefined>;
  /** Per token: its index among content words (-1 for a stop word). */
  content: Int32Array;
  /** Per token: its clause (split at ; : ( ) and at but, because, instead ...). */
  clause: Int32Array;
  /** Per token: its comma-separated segment; a short one continues a list ("not A, B or C"). */
  segment: Int32Array;
  /** Tokens in each segment. */
  segmentLength: number[];
  positions: Map<string, number[]>;
  contentCount: number;
  listLike: boolean;
  numbers: number;
};

type Lexical = { stem: string | undefined; opensClause: boolean; number: boolean };
const lexicons = new WeakMap<Corpus, Map<string, Lexical>>();

/** One cached lookup per word: its stem (after catching slips; none for a stop word), and its role. */
function lexical(corpus: Corpus, word: string): Lexical {
  let lexicon = lexicons.get(corpus);
  if (!lexicon) {
    lexicon = new Map();
    lexicons.set(corpus, lexicon);
  }
  let entry = lexicon.get(word);
  if (!entry) {
    const code = word.charCodeAt(0);
    entry = {
      stem: isStopword(word) ? undefined : stem(corrected(corpus, word)),
      opensClause: CLAUSE_WORDS.has(word),
      number: code >= 48 && code <= 57,
    };
    if (lexicon.size < 200_000) lexicon.set(word, entry);
  }
  return entry;
}

const corrections = new WeakMap<Corpus, Map<string, string>>();

/**
 * A slip in a long word ("gradiant", "recomendation") read as the library word it almost is: the same first
 * two letters, one edit away (two for words of nine letters or more), and only one such word.
 */
function corrected(corpus: Corpus, word: string): string {
  if (word.length < 6 || corpus.known.has(word) || /\d/.test(word)) return word;
  let cache = corrections.get(corpus);
  if (!cache) {
    cache = new Map();
    corrections.set(corpus, cache);
  }
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const allowed = word.length >= 9 ? 2 : 1;
  let best = word;
  let bestDistance = allowed + 1;
  let ties = 0;
  for (let length = word.length - allowed; length <= word.length + allowed; length += 1) {
    for (const candidate of corpus.vocabulary.get(`${word[0]}${length}`) ?? []) {
      if (candidate[1] !== word[1]) continue;
      const edits = distance(word, candidate);
      if (edits < bestDistance) {
        best = candidate;
        bestDistance = edits;
        ties = 0;
      } else if (edits === bestDistance) ties += 1;
    }
  }
  const result = bestDistance <= allowed && ties === 0 ? best : word;
  if (cache.size < 100_000) cache.set(word, result);
  return result;
}

const isLetter = (code: number) => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
const SEPARATORS = new Set([',', ';', '/', '|', '•', '·']);
const CLAUSE_MARKS = new Set([';', ':', '(', ')', '[', ']', '"', '?', '!']);

/** Reads one sentence into words, stems, clauses and positions. */
export function analyse(
  corpus: Corpus,
  raw: string,
  section: StepKey | undefined,
  normalised = normalise(raw),
): Sentence {
  const text = normalised;
  const tokens: string[] = [];
  const clauseOf: number[] = [];
  const segmentOf: number[] = [];
  const segmentLength: number[] = [0];
  let clause = 0;
  let comma = 0;
  let depth = 0;
  const segments: number[] = [];
  let segment = 0;
  let start = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : 32;
    if (isLetter(code)) {
      if (start < 0) start = index;
      continue;
    }
    if (start >= 0) {
      const word = text.slice(start, index);
      const entry = lexical(corpus, word);
      if (entry.opensClause) {
        clause += 1;
        comma += 1;
        segmentLength.push(0);
      }
      tokens.push(word);
      clauseOf.push(clause);
      segmentOf.push(comma);
      segmentLength[comma] = (segmentLength[comma] ?? 0) + 1;
      if (depth === 0 && entry.stem !== undefined) segment += 1;
      start = -1;
    }
    const char = text[index] as string;
    if (CLAUSE_MARKS.has(char) || char === ',') {
      if (CLAUSE_MARKS.has(char)) clause += 1;
      comma += 1;
      segmentLength.push(0);
    }
    if (char === '(' || char === '[') depth += 1;
    if ((char === ')' || char === ']') && depth > 0) depth -= 1;
    // Parenthesised examples are not list items of the sentence: "(CTR, dwell time, likes)".
    if (depth === 0 && SEPARATORS.has(char)) {
      if (segment > 0) segments.push(segment);
      segment = 0;
    }
  }
  if (segment > 0) segments.push(segment);
  segments.sort((a, b) => a - b);
  const median = segments[Math.floor(segments.length / 2)] ?? 0;

  const stems: Array<string | undefined> = [];
  const content = new Int32Array(tokens.length);
  const positions = new Map<string, number[]>();
  let contentCount = 0;
  let numbers = 0;
  tokens.forEach((token, index) => {
    const entry = lexical(corpus, token);
    if (entry.number) numbers += 1;
    const value = entry.stem;
    if (value === undefined) {
      stems.push(undefined);
      content[index] = -1;
      return;
    }
    stems.push(value);
    content[index] = contentCount;
    contentCount += 1;
    const list = positions.get(value);
    if (list) list.push(index);
    else positions.set(value, [index]);
  });
  return {
    text: raw,
    section,
    question: raw.trimEnd().endsWith('?'),
    tokens,
    stems,
    content,
    clause: Int32Array.from(clauseOf),
    segment: Int32Array.from(segmentOf),
    segmentLength,
    positions,
    contentCount,
    listLike: segments.length >= 3 && median <= 3,
    numbers,
  };
}

export type Span = { low: number; high: number };

/** The tightest span (token indices) holding every stem, within a window that grows with the phrase. */
export function phraseSpan(sentence: Sentence, stems: string[]): Span | undefined {
  const [first, ...rest] = stems;
  const anchors = first === undefined ? undefined : sentence.positions.get(first);
  if (!anchors) return undefined;
  let best: Span | undefined;
  let bestWidth = Number.POSITIVE_INFINITY;
  for (const anchor of anchors) {
    let low = anchor;
    let high = anchor;
    for (const value of rest) {
      const list = sentence.positions.get(value);
      if (!list) return undefined;
      let nearest = list[0] as number;
      for (const position of list)
        if (Math.abs(position - anchor) < Math.abs(nearest - anchor)) nearest = position;
      low = Math.min(low, nearest);
      high = Math.max(high, nearest);
    }
    const width = (sentence.content[high] as number) - (sentence.content[low] as number);
    if (width < bestWidth) {
      bestWidth = width;
      best = { low, high };
    }
  }
  return best && bestWidth <= stems.length + 4 ? best : undefined;
}

/**
 * Whether a span sits in a negated clause ("not X", "instead of X", "no X", "X is not needed"). A negation
 * reaches over commas only through a list of short items ("no review queue, demotion tier or appeals").
 */
export function isNegated(sentence: Sentence, span: Span, phrase: readonly string[] = []): boolean {
  const clause = sentence.clause[span.low] as number;
  // A negation inside the words matched ("AUC alone is not enough" against "auc alone is enough").
  for (let at = span.low + 1; at < span.high; at += 1) {
    const token = sentence.tokens[at] as string;
    if (INNER_NEGATORS.has(token) && !phrase.includes(sentence.stems[at] ?? token)) return true;
  }
  const home = sentence.segment[span.low] as number;
  let left = home;
  for (let at = span.low - 1; at >= 0 && at >= span.low - 12; at -= 1) {
    if (sentence.clause[at] !== clause) break;
    const segment = sentence.segment[at] as number;
    if (segment !== left) {
      // Entering an earlier comma segment: only across short list items.
      if (left !== home && (sentence.segmentLength[left] ?? 0) > 5) break;
      if (left === home && at < span.low - 7) break;
      left = segment;
    }
    const token = sentence.tokens[at] as string;
    // "not only X", "not just X" praise X.
    if (token === 'not' && ['only', 'just', 'merely'].includes(sentence.tokens[at + 1] ?? '')) continue;
    // "Rather than X, Y" and "instead of X, Y" negate X only; "no A, B or C" negates the whole list.
    if (left !== home && CONTRASTING.has(token)) break;
    if (NEGATORS.has(token)) return true;
  }
  for (let at = span.high + 1; at < sentence.tokens.length && at <= span.high + 6; at += 1) {
    if (sentence.clause[at] !== clause || sentence.segment[at] !== sentence.segment[span.high]) break;
    if (REJECTED_AFTER.has(sentence.tokens[at] as string)) return true;
  }
  return false;
}

/** Whether a span is judged a mistake, or only supposed, rather than recommended. */
function isCriticised(sentence: Sentence, span: Span, phrase: readonly string[]): boolean {
  if (sentence.question || isNegated(sentence, span, phrase)) return true;
  const clause = sentence.clause[span.low] as number;
  const judged = (at: number) => {
    const token = sentence.tokens[at] as string;
    return HYPOTHETICAL.has(token) || CRITICISM.has(sentence.stems[at] ?? token) || REJECTED_AFTER.has(token);
  };
  for (let at = span.low - 1; at >= 0 && at >= span.low - 8; at -= 1) {
    if (judged(at)) return true;
    if (sentence.clause[at] !== clause && at < span.low - 3) break;
  }
  for (let at = span.high + 1; at < sentence.tokens.length && at <= span.high + 14; at += 1)
    if (judged(at)) return true;
  return false;
}

export type ConceptHit = { concept: number; span: Span; negated: boolean; stems: string[] };

/** Every rubric phrase a sentence holds, one hit per concept (an affirmed one preferred). */
export function matchConcepts(rubric: Rubric, sentence: Sentence): ConceptHit[] {
  const hits = new Map<number, ConceptHit>();
  for (const anchor of sentence.positions.keys()) {
    const ids = rubric.phraseIndex.get(anchor);
    if (!ids) continue;
    for (const id of ids) {
      const phrase = rubric.phrases[id];
      if (!phrase) continue;
      let all = true;
      for (const value of phrase.stems)
        if (!sentence.positions.has(value)) {
          all = false;
          break;
        }
      if (!all) continue;
      const span = phraseSpan(sentence, phrase.stems);
      if (!span) continue;
      const negated = isNegated(sentence, span, phrase.stems);
      const previous = hits.get(phrase.concept);
      if (
        !previous ||
        (previous.negated && !negated) ||
        (previous.negated === negated && phrase.stems.length > previous.stems.length)
      )
        hits.set(phrase.concept, { concept: phrase.concept, span, negated, stems: phrase.stems });
    }
  }
  return [...hits.values()];
}

/** How far above its bar a sentence's words reach into a concept's profile, for ideas in other words. */
export const PLAIN_MATCH = { bar: 1, minWords: 2, perSentence: 2 } as const;

export type PlainHit = { concept: number; span: Span; strength: number };

/** Concepts a sentence describes in other words: enough of their characteristic words, together. */
export function matchProfiles(rubric: Rubric, sentence: Sentence, exact: Set<number>): PlainHit[] {
  const scratch = scratchFor(rubric);
  const { sum, best, count, at } = scratch;
  const touched: number[] = [];
  for (const [value, list] of sentence.positions) {
    const entries = rubric.profile.get(value);
    if (!entries) continue;
    for (const [concept, weight] of entries) {
      if (exact.has(concept)) continue;
      if (count[concept] === 0) touched.push(concept);
      sum[concept] = (sum[concept] as number) + weight;
      count[concept] = (count[concept] as number) + 1;
      if (weight > (best[concept] as number)) {
        best[concept] = weight;
        at[concept] = list[0] as number;
      }
    }
  }
  const hits: PlainHit[] = [];
  for (const concept of touched) {
    const total = sum[concept] as number;
    const strongest = best[concept] as number;
    const words = count[concept] as number;
    const where = at[concept] as number;
    sum[concept] = 0;
    best[concept] = 0;
    count[concept] = 0;
    const bar = rubric.profileBar[concept] ?? Number.POSITIVE_INFINITY;
    // One strong word alone is a keyword, not a description.
    if (words < PLAIN_MATCH.minWords || total - strongest < bar * 0.35) continue;
    const strength = total / bar;
    if (strength < PLAIN_MATCH.bar) continue;
    const span = { low: where, high: where };
    if (isNegated(sentence, span)) continue;
    hits.push({ concept, span, strength });
  }
  // A sentence in everyday words describes one or two ideas, not every idea that shares its words.
  return hits.sort((a, b) => b.strength - a.strength).slice(0, PLAIN_MATCH.perSentence);
}

type Scratch = { sum: Float64Array; best: Float64Array; count: Uint16Array; at: Int32Array };
const scratches = new WeakMap<Rubric, Scratch>();

/** Per-concept accumulators, reused from sentence to sentence (left zeroed after each). */
function scratchFor(rubric: Rubric): Scratch {
  let scratch = scratches.get(rubric);
  if (!scratch) {
    const size = rubric.concepts.length;
    scratch = {
      sum: new Float64Array(size),
      best: new Float64Array(size),
      count: new Uint16Array(size),
      at: new Int32Array(size),
    };
    scratches.set(rubric, scratch);
  }
  return scratch;
}

/** Red flags the sentence recommends (not negated, criticised, supposed or asked about). */
export function matchRedFlags(rubric: Rubric, sentence: Sentence): number[] {
  const found = new Set<number>();
  for (const anchor of sentence.positions.keys()) {
    const entries = rubric.flagIndex.get(anchor);
    if (!entries) continue;
    for (const [flag, at] of entries) {
      if (found.has(flag)) continue;
      const stems = rubric.redFlags[flag]?.phrases[at];
      if (!stems) continue;
      const span = phraseSpan(sentence, stems);
      // A recommendation is said in one breath: no clause or comma break inside it.
      if (!span || sentence.segment[span.low] !== sentence.segment[span.high]) continue;
      if (!isCriticised(sentence, span, stems)) found.add(flag);
    }
  }
  return [...found];
}
