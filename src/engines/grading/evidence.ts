import { ADOPTING, FILLER } from './filler.ts';
import type { Sentence } from './match.ts';

/**
 * How well a sentence supports the ideas it names. A real reason is a cause, a trade-off, a condition or a
 * number tied to the choice; a "because" clause that restates the claim ("embeddings, because embeddings
 * are important") or says nothing in particular ("because it helps the model") is not one. A line that
 * repeats the answer's own template, a list of terms, or a sentence packing more ideas than its words can
 * explain earns only what naming earns.
 */

export type SentenceEvidence = 'reasoned' | 'described' | 'named';

/** Credit of an idea by how it is supported: explained, described specifically, or merely named. */
export const CREDIT = { reasoned: 1, described: 0.75, named: 0.2 } as const;
/** Credit of an idea said in everyday words instead of the usual term. */
export const PLAIN_CREDIT = { reasoned: 0.9, described: 0.75, named: 0 } as const;

/** Words that open a reason, a trade-off, a condition or a consequence. */
const REASON_MARKERS = new Set([
  'because',
  'since',
  'so',
  'therefore',
  'thus',
  'hence',
  'to',
  'which',
  'otherwise',
  'avoid',
  'avoids',
  'prevent',
  'prevents',
  'means',
  'leads',
  'while',
  'whereas',
  'but',
  'however',
  'instead',
  'rather',
  'than',
  'tradeoff',
  'given',
  'eg',
  'ie',
  'if',
  'when',
  'unless',
  'vs',
  'versus',
  'although',
  'though',
  'despite',
  'until',
]);

/** Two stems are one word for tautology's sake when they share their first five letters (define/definition). */
function sameWord(a: string, b: string): boolean {
  const length = Math.min(5, a.length, b.length);
  return length >= 4 && a.slice(0, length) === b.slice(0, length);
}

function inClaim(claim: string[], value: string): boolean {
  for (const other of claim) if (other === value || sameWord(other, value)) return true;
  return false;
}

/** Connectives that introduce a cause or a consequence; they win over weaker markers in the same sentence. */
const CAUSAL = new Set(['because', 'since', 'so', 'therefore', 'thus', 'hence', 'otherwise']);

/**
 * Reads the reason a sentence gives for its claim, if it gives a real one: after the connective, at least
 * two words that are not the claim's, not the ideas' own names and not filler (or one and a number).
 */
function realReason(sentence: Sentence, covered: Set<string>): boolean {
  let marker = -1;
  for (let at = 1; at < sentence.tokens.length - 1; at += 1) {
    const token = sentence.tokens[at] as string;
    if (CAUSAL.has(token)) {
      marker = at;
      break;
    }
    if (marker < 0 && REASON_MARKERS.has(token)) marker = at;
  }
  if (marker < 0) return false;
  const claim: string[] = [...covered];
  for (let at = 0; at < marker; at += 1) {
    const value = sentence.stems[at];
    if (value) claim.push(value);
  }
  let novel = 0;
  let numbers = 0;
  const seen: string[] = [];
  for (let at = marker + 1; at < sentence.tokens.length; at += 1) {
    const token = sentence.tokens[at] as string;
    const value = sentence.stems[at];
    if (/^\d/.test(token)) numbers += 1;
    if (!value || FILLER.has(token) || inClaim(claim, value) || inClaim(seen, value)) continue;
    seen.push(value);
    novel += 1;
  }
  return novel >= 2 || (novel >= 1 && numbers > 0);
}

/**
 * Words that say something particular about the ideas: not their own words, not filler and not the verb
 * that adopts them ("we use", "we monitor").
 */
function substantive(sentence: Sentence, covered: Set<string>): number {
  const seen: string[] = [];
  for (let at = 0; at < sentence.tokens.length; at += 1) {
    const value = sentence.stems[at];
    const token = sentence.tokens[at] as string;
    if (!value || /^\d/.test(token) || FILLER.has(token) || ADOPTING.has(token)) continue;
    if (covered.has(value) || inClaim(seen, value)) continue;
    let own = false;
    for (const word of covered) if (sameWord(word, value)) own = true;
    if (own) continue;
    seen.push(value);
  }
  return seen.length;
}

/**
 * The evidence of one sentence for the ideas it holds. `covered` counts its words that the matched phrases
 * account for; the rest is what the sentence says about them.
 */
export function sentenceEvidence(sentence: Sentence, covered: Set<string>): SentenceEvidence {
  const length = sentence.tokens.length;
  // A fragment ("100 ms p95 latency", "time-based split") names; a number makes a short one specific.
  if (length < 4 || (length < 6 && sentence.numbers === 0)) return 'named';
  const particular = substantive(sentence, covered);
  if (sentence.listLike)
    return particular >= 3 || (particular >= 1 && sentence.numbers > 0) ? 'described' : 'named';
  if (length >= 8 && particular >= 1 && realReason(sentence, covered)) return 'reasoned';
  if (particular >= 2 || (particular >= 1 && sentence.numbers > 0)) return 'described';
  return 'named';
}

/**
 * A sentence can explain only so many ideas: one, plus one for every four words it spends beyond their
 * names. Packed past that, each idea's credit shrinks in proportion.
 */
export function densityFactor(sentence: Sentence, covered: number, ideas: number): number {
  if (ideas <= 1) return 1;
  const budget = 1 + Math.floor(Math.max(0, sentence.contentCount - covered) / 4);
  return ideas <= budget ? 1 : budget / ideas;
}

/**
 * Sentences built on one template ("We use X to help the model." thirty times): the sentence with its
 * ideas blanked out. A template used three or more times marks its sentences as naming, not explaining.
 */
export function templateKey(
  sentence: Sentence,
  spans: Array<{ low: number; high: number }>,
): string | undefined {
  const blank = new Uint8Array(sentence.tokens.length);
  for (const span of spans) for (let at = span.low; at <= span.high; at += 1) blank[at] = 1;
  const out: string[] = [];
  let kept = 0;
  for (let at = 0; at < sentence.tokens.length; at += 1) {
    if (blank[at]) {
      if (out.at(-1) !== '_') out.push('_');
    } else {
      out.push(sentence.tokens[at] as string);
      kept += 1;
    }
  }
  return kept >= 3 ? out.join(' ') : undefined;
}
