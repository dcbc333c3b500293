import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOPWORDS = new Set(eng);
const stemCache = new Map<string, string>();

/** Porter stem of a lower-case word, cached because answers repeat the same words a lot. */
export function stem(word: string): string {
  let value = stemCache.get(word);
  if (value === undefined) {
    value = stemmer(word);
    if (stemCache.size < 200_000) stemCache.set(word, value);
  }
  return value;
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

const WORD = /[a-z0-9]+/g;

/** Lower-case word tokens (letters and digits); "A/B-test" gives a, b, test. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Content words of `text`, stemmed, in order. */
export function contentStems(text: string): string[] {
  return words(text)
    .filter((word) => !isStopword(word))
    .map(stem);
}

/** Splits prose into sentences and list items. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+|;\s+|\s+[-–—]\s+(?=[A-Z])/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** Counts words the way a person would (for limits and minimum lengths). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
