import { STEPS, type StepKey } from '../../core/framework.ts';
import type { Scored } from './score.ts';
import type { Grade, GradingCase, Judgments, Suggestion } from './types.ts';

/**
 * What a member learns from a grade: the strongest and weakest steps, at most three ideas worth adding
 * (only ideas truly missing: one said in plain words or only named is not "missed"), each with why and the
 * card that explains it, and one follow-up question for the weakest step.
 */

export const MAX_SUGGESTIONS = 3;
/** A step covered this well has nothing worth adding: what it lacks was most likely said in other words. */
const WELL_COVERED = 0.8;

/** A stable choice among a step's probes, so the same answer gets the same question. */
function pick<T>(items: T[], seed: string): T | undefined {
  let hash = 0;
  for (let index = 0; index < seed.length; index += 1) hash = (hash * 31 + seed.charCodeAt(index)) | 0;
  return items[Math.abs(hash) % Math.max(1, items.length)];
}

export function explain(
  study: GradingCase,
  scored: Scored,
  judgments: Judgments,
  context: { text: string; wordCount: number; focus?: StepKey | null | undefined },
): Grade {
  const { steps } = scored;
  const focus = context.focus ?? undefined;
  const ranked = focus ? [focus] : [...STEPS].sort((a, b) => steps[b].coverage - steps[a].coverage);
  const strongest = ranked[0] && steps[ranked[0]].coverage > 0 ? ranked[0] : undefined;
  const weakest = ranked.at(-1) as StepKey;
  const suggestions: Suggestion[] = [];
  for (const step of [...ranked].reverse()) {
    if (!focus && steps[step].coverage >= WELL_COVERED) continue;
    const missed = scored.concepts
      .filter((concept) => concept.step === step && concept.credit <= 0)
      .sort((a, b) => b.weight - a.weight);
    for (const concept of missed) {
      if (suggestions.length >= MAX_SUGGESTIONS) break;
      if (!focus && suggestions.filter((item) => item.step === step).length >= 2) break;
      suggestions.push({ step, term: concept.term, why: concept.why, card: concept.card });
    }
  }
  const probes = study.steps[weakest].probes ?? [];
  const question = pick(probes, context.text.slice(0, 200));
  return {
    caseId: study.id,
    total: scored.total,
    wordCount: context.wordCount,
    steps,
    strongest,
    weakest,
    suggestions,
    redFlags: judgments.redFlags,
    penalty: scored.penalty,
    relevance: judgments.relevance,
    probe: question ? { step: weakest, question } : undefined,
    concepts: scored.concepts,
    judge: judgments.judge,
    note: judgments.note,
  };
}
