import type { StepKey } from '../../core/framework.ts';

/** What the grader needs of a case study: its rubric per step and its red flags (content/ provides it). */
export type RubricConcept = {
  term: string;
  synonyms: string[];
  weight: number;
  why?: string | undefined;
  card?: string | undefined;
};

export type RubricStep = {
  concepts: RubricConcept[];
  outline: string;
  probes?: string[] | undefined;
};

export type RubricRedFlag = { flag: string; why: string; step: StepKey; phrasings: string[] };

export type GradingCase = {
  id: string;
  title: string;
  /** The case's own words (summary, scenario, clarifying facts) tell what an answer about it talks about. */
  summary?: string | undefined;
  scenario?: string | undefined;
  clarifying?: Array<{ q: string; a: string }> | undefined;
  steps: Record<StepKey, RubricStep>;
  redFlags: RubricRedFlag[];
  tradeoffs?: string[] | undefined;
};

/** Every case, so the grader can tell what is specific to one case from what all of them share. */
export type GradingLibrary = { cases: ReadonlyMap<string, GradingCase> };

/** How an idea showed up in an answer. */
export type Evidence =
  | 'reasoned' // said with a real reason, trade-off or number tied to the choice
  | 'described' // said specifically, without a reason
  | 'named' // only named (a list item, a template line, a reason that restates the claim)
  | 'plain' // said in everyday words rather than the usual term
  | 'negated' // mentioned only as something not to do
  | 'missed';

/** One judgment per rubric concept: how much it earns and the sentence that shows it. */
export type ConceptJudgment = {
  credit: number; // 0..1 before the step and relevance rules of scoring
  evidence: Evidence;
  quote?: string | undefined;
};

export type RedFlagHit = { flag: string; why: string; step: StepKey; quote: string };

/**
 * What a judge decides about an answer; the score is computed from it by code (score.ts), whichever judge
 * made it: the built-in rules, or a language model whose quotes are checked against the answer.
 */
export type Judgments = {
  judge: 'rules' | 'llm';
  concepts: ConceptJudgment[]; // in rubric order
  redFlags: RedFlagHit[];
  /** How clearly the answer is about this case (0..1), from the case-specific ideas it contains. */
  relevance: number;
  /** A short note from the judge, when it writes one (the model's own words). */
  note?: string | undefined;
  /** The answer's word stems, when the judge has them already (saves reading the answer again). */
  stems?: ReadonlySet<string> | undefined;
};

export type ConceptResult = {
  step: StepKey;
  term: string;
  weight: number;
  why?: string | undefined;
  card?: string | undefined;
  credit: number;
  evidence: Evidence;
  quote?: string | undefined;
};

export type StepGrade = {
  step: StepKey;
  title: string;
  coverage: number; // 0..1, capped
  /** Explained (with reasons or specifics), or described in plain words. */
  matched: string[];
  /** Named without any reasoning around them. */
  namedOnly: string[];
  /** Described in everyday words: the answer's sentence and the usual term. */
  plain: Array<{ term: string; quote: string }>;
  missed: Array<{ term: string; weight: number }>;
};

export type Suggestion = {
  step: StepKey;
  term: string;
  why?: string | undefined;
  card?: string | undefined;
};

export type Grade = {
  caseId: string;
  total: number; // 0-100
  wordCount: number;
  steps: Record<StepKey, StepGrade>;
  strongest: StepKey | undefined;
  weakest: StepKey;
  /** At most three ideas worth adding, weakest steps first, each with why and where to learn it. */
  suggestions: Suggestion[];
  redFlags: RedFlagHit[];
  /** Points taken off for red flags said as recommendations. */
  penalty: number;
  relevance: number;
  /** A follow-up question for the weakest step, from the case's probes. */
  probe?: { step: StepKey; question: string } | undefined;
  concepts: ConceptResult[];
  judge: 'rules' | 'llm';
  note?: string | undefined;
};
