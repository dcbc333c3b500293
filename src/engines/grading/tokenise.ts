import { stemmer } from 'stemmer';
import { eng } from 'stopword';

/**
 * Tokenise and normalise: the same rewriting for answers and for rubric phrases, so "A/B testing",
 * "ab test" and "a b tests" meet; "200msec", "200 ms" and "200 milliseconds" meet; "every week" and
 * "weekly" meet; British and American spellings meet; and a common slip in a long word still matches.
 */

const STOPWORDS = new Set(eng);
// Words that carry meaning in system design prose although general stop-word lists drop them.
for (const keep of ['not', 'no', 'never', 'without', 'nor', 'against', 'only', 'first', 'top', 'new', 'old'])
  STOPWORDS.delete(keep);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

// Words whose -ise or -our ending is the American spelling too, so they must not be rewritten.
const KEEP_ISE = new Set(
  'advertise advertised advertiser advertisers advertising supervise supervised supervising supervision exercise exercises exercised expertise enterprise enterprises compromise compromised revise revised devise advise advised comprise comprises comprised surprise surprised surprising franchise otherwise promise promised precise concise premise premises despise disguise disguised televise improvise merchandise raise raised raises raising noise praise cruise rise rises likewise clockwise paradise'.split(
    ' ',
  ),
);
const KEEP_OUR = new Set(
  'hour hours four your yours pour tour tours flour sour contour detour devour our ours'.split(' '),
);

/** British spellings to the American ones the stemmer treats alike (normalise, behaviour, catalogue). */
export function americanSpelling(word: string): string {
  if (word.length >= 6 && !KEEP_ISE.has(word)) {
    const ise = /^(.{3,})is(e|es|ed|ing|er|ers|ation|ations)$/.exec(word);
    if (ise) return `${ise[1]}iz${ise[2]}`;
  }
  if (word.length >= 6 && !KEEP_OUR.has(word)) {
    const our = /^(.{2,})our(s|ed|ing|ite|ites|able|hood|hoods)?$/.exec(word);
    if (our) return `${our[1]}or${our[2] ?? ''}`;
  }
  if (word.endsWith('logue') || word.endsWith('logues')) return word.replace(/logue(s?)$/, 'log$1');
  if (/^(cent|met|fib|theat)re(s?)$/.test(word)) return word.replace(/re(s?)$/, 'er$1');
  return word;
}

const stemCache = new Map<string, string>();

/** Porter stem of a lower-case word (after spelling normalisation), cached: answers repeat words a lot. */
export function stem(word: string): string {
  let value = stemCache.get(word);
  if (value === undefined) {
    value = stemmer(americanSpelling(word));
    if (stemCache.size < 200_000) stemCache.set(word, value);
  }
  return value;
}

/**
 * Rewrites applied to lower-cased text before splitting into words, in order. Each joins the usual ways of
 * writing one thing into one canonical form; answers and rubric phrases go through the same list.
 */
const REWRITES: Array<[RegExp, string]> = [
  // Abbreviations with full stops would end sentences early.
  [/\be\.g\.?,?/g, 'eg'],
  [/\bi\.e\.?,?/g, 'ie'],
  [/\betc\./g, 'etc'],
  [/\bvs\.?(?=\s)/g, 'vs'],
  [/\bapprox\./g, 'approx'],
  [/\bw\/o\b/g, 'without'],
  [/\bw\//g, 'with '],
  [/\bb\/c\b/g, 'because'],
  // Contractions: the negation must survive tokenising.
  [/\bcan['’]?t\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/\bshan['’]t\b/g, 'shall not'],
  [/n['’]t\b/g, ' not'],
  // Arrows read as consequences.
  [/\s*(?:->|=>|→|⇒)\s*/g, ' leads to '],
  // Plain-language amounts of time and rarity.
  [/\ba tenth of a second\b/g, '100 ms'],
  [/\ba fifth of a second\b/g, '200 ms'],
  [/\ba quarter of a second\b/g, '250 ms'],
  [/\bhalf a second\b/g, '500 ms'],
  [/\bone in (?:a|one) thousand\b/g, '0.1 percent'],
  [/\bone in (?:a|one) hundred\b/g, '1 percent'],
  [/\bone in (?:a|one) million\b/g, '0.0001 percent'],
  // Numbers: thousands separators, and magnitudes written as suffixes.
  [/(\d),(?=\d{3}\b)/g, '$1'],
  [/(\d)\s*(?:k|thousand)\b/g, '$1 thousand'],
  [/(\d)\s*(?:bn|b|billion)\b/g, '$1 billion'],
  [/(\d)\s*(?:mn|mil|million)\b/g, '$1 million'],
  [/(\d)\s*(?:%|percent|pct)/g, '$1 percent'],
  // Units of time and size.
  [/(\d)\s*(?:ms|msec|msecs|millis|milliseconds?)\b/g, '$1 ms'],
  [/\b(?:msec|msecs|millis|milliseconds?)\b/g, 'ms'],
  [/(\d)\s*(?:s|sec|secs|seconds?)\b/g, '$1 sec'],
  [/(\d)\s*(?:mins?|minutes?)\b/g, '$1 minute'],
  [/(\d)\s*(?:h|hrs?|hours?)\b/g, '$1 hour'],
  [/(\d)\s*(?:-d|-?dims?|dimensions?|-dimensional)\b/g, '$1 dim'],
  [/\bdims?\b/g, 'dimension'],
  [/\b(?:queries|requests|calls|lookups) (?:per|a|\/) ?(?:second|sec|s)\b|\brps\b/g, 'qps'],
  [/\b(\d\d(?:\.\d)?)(?:th)? percentile\b/g, 'p$1'],
  // How often.
  [/\b(?:every|each|once an?|once per) (?:day|night)\b|\bnightly\b/g, 'daily'],
  [/\b(?:every|each|once an?|once per) week\b/g, 'weekly'],
  [/\b(?:every|each|once an?|once per) month\b/g, 'monthly'],
  [/\b(?:every|each|once an?|once per) hour\b/g, 'hourly'],
  [/\b(?:every|each|once an?|once per) quarter\b/g, 'quarterly'],
  // Common short forms and the long forms they stand for.
  [/\ba\s*\/\s*b(?:\s*\/\s*n)?(?:[- ]?test(?:s|ing|ed)?)?\b/g, 'abtest'],
  [/\ba[- ]b test(?:s|ing|ed)?\b|\bab[- ]?test(?:s|ing|ed)?\b/g, 'abtest'],
  [/\bapproximate(?:d)?[- ]nearest[- ]neighbou?r(?:s|hood)?(?: search)?\b/g, 'ann'],
  [/\bk[- ]?nearest[- ]neighbou?rs?\b|\bk-?nn\b/g, 'knn'],
  [
    /\bgradient[- ]boost(?:ed|ing)?(?: decision)?(?: trees?| machines?)?\b|\bgbdts?\b|\bgbms?\b|\bgbrt\b/g,
    'gbdt',
  ],
  [/\bboosted (?:decision )?trees\b/g, 'gbdt'],
  [/\bclick[- ]?through[- ]?rates?\b/g, 'ctr'],
  [/\bkey[- ]?value\b/g, 'kv'],
  [/\btime[- ]?to[- ]?live\b/g, 'ttl'],
  [/\bmean reciprocal rank\b/g, 'mrr'],
  [/\bnormali[sz]ed discounted cumulative gain\b/g, 'ndcg'],
  [/\bdiscounted cumulative gain\b/g, 'dcg'],
  [/\bmean average precision\b/g, 'meanap'],
  [/\barea under (?:the )?(?:roc )?curve\b/g, 'auc'],
  [/\broc[- ]?auc\b|\bauc[- ]?roc\b/g, 'rocauc'],
  [/\bpr[- ]?auc\b|\bauc[- ]?pr\b|\bprecision[- ]recall auc\b/g, 'prauc'],
  [/\blogistic regression\b/g, 'logreg'],
  [/\bdeep neural net(?:work)?s?\b|\bdnns?\b/g, 'dnn'],
  [/\bneural net(?:work)?s?\b|\bnns?\b/g, 'neuralnet'],
  [/\bfriends?[- ]of[- ]friends?\b|\bfofs?\b/g, 'fof'],
  [/\bpeople you may know\b/g, 'pymk'],
  [/\bretrieval[- ]augmented generation\b/g, 'rag'],
  [/\blarge language models?\b|\bllms\b/g, 'llm'],
  [/\bdaily active users\b/g, 'dau'],
  [/\bmonthly active users\b/g, 'mau'],
  // Compounds written with or without a hyphen or space.
  [/\breal[- ]time\b/g, 'realtime'],
  [/\bcold[- ]start(s|ed|ing)?\b/g, 'coldstart'],
  [/\btwo[- ]tower(s|ed)?\b/g, 'twotower'],
  [/\btrade[- ]offs?\b/g, 'tradeoff'],
  [/\bre[- ]?rank(s|ed|er|ers|ing)?\b/g, 'rerank$1'],
  [/\bfine[- ]?tun(e|es|ed|ing)\b/g, 'finetun$1'],
  [/\bon[- ]line\b/g, 'online'],
  [/\boff[- ]line\b/g, 'offline'],
  [/\bend[- ]to[- ]end\b/g, 'endtoend'],
  [
    /\b(pre|re|multi|sub|down|up|over|under|non|co|cross|self|semi|auto|post|bi|inter|intra|hyper|micro)-(?=[a-z])/g,
    '$1',
  ],
];

/**
 * Normalises many sentences in one pass (the rewrites cost per call, not per character): joined with a
 * separator no rewrite reads across, then split again.
 */
export function normaliseAll(parts: string[]): string[] {
  return normalise(parts.join(SEPARATOR)).split(SEPARATOR);
}
const SEPARATOR = '\u0001';

/**
 * Every rewrite in one regular expression, so the text is scanned once: each rule is an alternative, and
 * the first that matches at a position wins (as it would in turn). The rule is then re-read at that spot
 * for its own groups.
 */
const COMBINED = new RegExp(REWRITES.map(([pattern]) => `(${pattern.source})`).join('|'), 'g');
const STICKY = REWRITES.map(([pattern, replacement]) => ({
  pattern: new RegExp(pattern.source, 'y'),
  replacement,
  groups: new RegExp(`${pattern.source}|`).exec('')?.length ?? 1,
}));

/** Lower-cases and rewrites text into canonical forms (see REWRITES); keeps sentence punctuation. */
export function normalise(text: string): string {
  const lower = text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\bmAP\b/g, 'meanap')
    .toLowerCase();
  return lower.replace(COMBINED, (match: string, ...rest: unknown[]) => {
    const offset = rest.at(-2) as number;
    let group = 0;
    for (const rule of STICKY) {
      if (rest[group] !== undefined) {
        rule.pattern.lastIndex = offset;
        const found = rule.pattern.exec(lower);
        return found ? rule.replacement.replace(/\$(\d)/g, (_, n: string) => found[Number(n)] ?? '') : match;
      }
      group += rule.groups;
    }
    return match;
  });
}

const WORD = /[a-z0-9]+/g;

/** Lower-case word tokens (letters and digits) of normalised text. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Content words of `text`, normalised and stemmed, in order. */
export function contentStems(text: string): string[] {
  return words(normalise(text))
    .filter((word) => !isStopword(word))
    .map(stem);
}

const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || code === 160;
const isUpper = (code: number) => code >= 65 && code <= 90;
const DASHES = new Set(['-', '–', '—']);

/**
 * Splits prose into sentences and list items: after . ! or ? followed by a space, at line breaks, at
 * "; ", and at a spaced dash before a capital ("retrain weekly - Alert on drift"). A hot path of grading,
 * hence a scanner rather than a regular expression with look-behind.
 */
export function sentences(input: string): string[] {
  // "e.g. CTR" and "vs. MSE" do not end a sentence.
  const text = input.replace(/\b(e\.g|i\.e|etc|vs|approx|incl|esp)\.(?=\s)/gi, '$1');
  const out: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const sentence = text.slice(start, end).trim();
    if (sentence) out.push(sentence);
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    const next = text.charCodeAt(index + 1);
    if (char === '\n' || char === '\r') {
      push(index);
      start = index + 1;
    } else if ((char === '.' || char === '!' || char === '?') && isSpace(next)) {
      push(index + 1);
      start = index + 1;
    } else if (char === ';' && isSpace(next)) {
      push(index);
      start = index + 1;
    } else if (
      DASHES.has(char) &&
      isSpace(text.charCodeAt(index - 1)) &&
      isSpace(next) &&
      isUpper(text.charCodeAt(index + 2))
    ) {
      push(index);
      start = index + 1;
    }
  }
  push(text.length);
  return out;
}

/** Counts words the way a person would (runs of non-space characters), for limits and minimum lengths. */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 160;
    if (!space && !inWord) count += 1;
    inWord = !space;
  }
  return count;
}
