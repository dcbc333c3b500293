import type { StepKey } from '../../core/framework.ts';

/**
 * The small vocabulary the matcher reads structure with: clause openers, negators and their kinds, words
 * of criticism and supposition, and the section labels answers use ("Data:", "## Serving").
 */

/** Words that open a new clause; the negation of one clause does not reach into the next. */
export const CLAUSE_WORDS = new Set([
  'but',
  'however',
  'although',
  'though',
  'whereas',
  'while',
  'so',
  'because',
  'since',
  'instead',
  'rather',
  'unless',
  'except',
  'then',
  'which',
  'otherwise',
  'yet',
]);

/** Words that put what follows them (in the same clause) in the negative. */
export const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'without',
  'nor',
  'neither',
  'cannot',
  'avoid',
  'avoiding',
  'avoids',
  'skip',
  'skipping',
  'instead',
  'rather',
]);

/** Negators that undo a phrase from inside it ("X is not enough" against "X is enough"). */
export const INNER_NEGATORS = new Set(['not', 'no', 'never', 'nor', 'neither', 'cannot']);

/** Negators that reach only to the next comma ("rather than X, Y" affirms Y). */
export const CONTRASTING = new Set(['instead', 'rather', 'avoid', 'avoiding', 'avoids', 'skip', 'skipping']);

/** After a phrase, words saying it is not wanted ("X is overkill", "X is not needed"). */
export const REJECTED_AFTER = new Set([
  'not',
  'cannot',
  'impossible',
  'infeasible',
  'impractical',
  'unrealistic',
  'prohibitive',
  'unnecessary',
  'overkill',
  'pointless',
  'useless',
  'needless',
  'redundant',
  'negligible',
  'minor',
  'irrelevant',
  'rare',
  'unlikely',
]);

/** After (or before) a phrase, words (as stems) judging it a mistake: a red flag said this way is not recommended. */
export const CRITICISM = new Set([
  'leak',
  'mistak',
  'wrong',
  'bad',
  'mislead',
  'inflat',
  'overst',
  'hide',
  'hurt',
  'fail',
  'break',
  'slow',
  'danger',
  'riski',
  'trap',
  'pitfal',
  'flaw',
  'problem',
  'domin',
  'bia',
  'cheat',
  'peek',
  'wast',
  'naiv',
  'weak',
  'ignor',
  'poor',
  'wors',
  'lose',
  'blind',
  'fool',
  'noisi',
  'unstabl',
  'brittl',
  'overfit',
  'flatter',
  'optimist',
  'contamin',
  'invalid',
  'unfair',
  'penal',
  'backfir',
  'suffer',
  'collaps',
  'drown',
  'swamp',
  'skew',
  'distort',
  'confound',
  'costli',
  'expens',
  'useless',
  'harm',
  'avoid',
  'instead',
  'rather',
  'too',
  'trick',
  'reward',
]);

/** Words that make a red flag hypothetical rather than recommended. */
export const HYPOTHETICAL = new Set(['if', 'whether', 'why', 'unless']);

export const SECTION_WORDS: Array<[RegExp, StepKey]> = [
  [
    /^(clarif\w*|requirements?|scope|goals?|assumptions?|questions?|problem statement|business (goal|objective)s?|objectives?)\b/,
    'clarify',
  ],
  [
    /^(fram\w*|formulation|ml (problem|framing|task|objective)|problem (framing|formulation)|task)\b/,
    'frame',
  ],
  [/^(data\b|labels?\b|label\w*|dataset|training data|sampling)/, 'data'],
  [/^(features?\b|feature engineering|signals?\b|inputs?\b)/, 'features'],
  [/^(model\w*|evaluation|metrics|training|offline eval\w*)\b/, 'model'],
  [/^(serv\w*|deploy\w*|inference|architecture|system design|production|rollout|infra\w*)\b/, 'serving'],
  [/^(monitor\w*|maintenance|operations|iteration|retrain\w*|after launch)\b/, 'monitoring'],
];
const LABEL =
  /^\s*(?:#{1,6}\s*)?(?:step\s*)?(?:\d+[.):]?\s*)?(?:[*_]{1,2})?([a-z][a-z &/()-]{1,40}?)(?:[*_]{1,2})?\s*(?::|$)/i;

/** The step a sentence's leading label names ("Data:", "## Serving", "3) Feature engineering"), if any. */
export function sectionOf(sentence: string): StepKey | undefined {
  const isHeading = sentence.trimStart().startsWith('#') || sentence.slice(0, 50).includes(':');
  if (!isHeading) return undefined;
  const label = LABEL.exec(sentence);
  if (!label?.[1]) return undefined;
  const text = label[1].trim().toLowerCase();
  return SECTION_WORDS.find(([pattern]) => pattern.test(text))?.[1];
}
