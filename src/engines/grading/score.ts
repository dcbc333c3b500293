import { STEP_TITLES, STEPS, type StepKey } from '../../core/framework.ts';
import { GENERIC_AT, type Rubric } from './rubric.ts';
import type { ConceptResult, Judgments, StepGrade } from './types.ts';

/**
 * From judgments to a score, the same for every judge: each concept's credit times its weight (generic ideas
 * weigh less, and they and everyday-words matches count only as far as the answer is about this case), each
 * step saturating at 70 % of its weight and capped at its share of the total, minus red flags.
 */

/** How much each framework step counts towards the total (sums to 1). */
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
export const SATURATION = 0.7;

/** What a case-specific idea still earns in an answer that is about another case. */
const SPECIFIC_FLOOR = 0.4;

/** A red flag recommended: points off the total, and its step's coverage cut. */
export const RED_FLAG = { points: 5, maxPoints: 20, stepCut: 0.15, stepFloor: 0.5 } as const;

export type Scored = {
  total: number;
  steps: Record<StepKey, StepGrade>;
  concepts: ConceptResult[];
  penalty: number;
};

export function score(rubric: Rubric, judgments: Judgments, focus?: StepKey | null): Scored {
  const relevance = judgments.relevance;
  const concepts: ConceptResult[] = rubric.concepts.map((concept, index) => {
    const judgment = judgments.concepts[index] ?? { credit: 0, evidence: 'missed' as const };
    // An answer about another case does not earn this case's generic ideas, nor its everyday-words matches,
    // and earns its specific ones only in part (a phrase can appear in another context).
    const gated = concept.generality >= GENERIC_AT || judgment.evidence === 'plain';
    const gate = gated ? relevance : SPECIFIC_FLOOR + (1 - SPECIFIC_FLOOR) * relevance;
    return {
      step: concept.step,
      term: concept.term,
      weight: concept.effective,
      why: concept.why,
      card: concept.card,
      credit: Math.min(1, judgment.credit * gate),
      evidence: judgment.evidence,
      quote: judgment.quote,
    };
  });
  const flagsIn = (step: StepKey) => judgments.redFlags.filter((flag) => flag.step === step).length;
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
      plain: [],
      missed: [],
    };
    for (const concept of concepts) {
      if (concept.step !== step) continue;
      earned += concept.weight * concept.credit;
      if (concept.credit <= 0) grade.missed.push({ term: concept.term, weight: concept.weight });
      else if (concept.evidence === 'plain') {
        grade.matched.push(concept.term);
        grade.plain.push({ term: concept.term, quote: concept.quote ?? '' });
      } else if (concept.evidence === 'named' || concept.credit < 0.5) grade.namedOnly.push(concept.term);
      else grade.matched.push(concept.term);
    }
    const possible = rubric.stepWeight[step] * SATURATION;
    const cut = Math.max(RED_FLAG.stepFloor, 1 - RED_FLAG.stepCut * flagsIn(step));
    grade.coverage = possible > 0 ? Math.min(1, earned / possible) * cut : 0;
    grade.missed.sort((a, b) => b.weight - a.weight);
    steps[step] = grade;
    total += STEP_WEIGHTS[step] * grade.coverage;
  }
  const counted = focus ? judgments.redFlags.filter((flag) => flag.step === focus) : judgments.redFlags;
  const penalty = Math.min(RED_FLAG.maxPoints, RED_FLAG.points * counted.length);
  const raw = focus ? steps[focus].coverage : total;
  return { total: Math.max(0, Math.round(raw * 100) - penalty), steps, concepts, penalty };
}
