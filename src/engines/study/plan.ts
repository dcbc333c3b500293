import { STEPS, type StepKey } from '../../core/framework.ts';

/**
 * The study plan: three phases (learn the framework and the trade-off cards, rebuild cases from memory,
 * mock interviews) scaled to the days left before the interview, and the order in which a member meets the
 * items that spaced repetition then brings back. Pure: no clock, no database.
 */

export type Phase = 'learn' | 'drill' | 'mock';

/** The standard plan: learn on days 1-3, drill on days 4-10, mocks from day 11. */
export const STANDARD = { learn: 3, drill: 7 } as const;

export type PlanShape = {
  /** Days from today to the interview (the interview day itself not counted). */
  days: number;
  learn: number;
  drill: number;
  mock: number;
  /** How the standard plan was changed to fit: compressed to fit few days, or repeated to fill many. */
  fit: 'standard' | 'compressed' | 'repeated';
  /** How many times each case is rebuilt from memory in the drill phase (more with more time). */
  passes: number;
};

/** Scales the phases to `days` left: compressed below 11 days, the drill phase repeated beyond 3 weeks. */
export function planShape(days: number): PlanShape {
  const left = Math.max(1, Math.floor(days));
  if (left < STANDARD.learn + STANDARD.drill + 1) {
    // Keep every phase when there is room for it, in the standard proportions (3 : 7 : the rest).
    const learn = Math.max(1, Math.round(left * 0.25));
    const drill = Math.max(left >= 3 ? 1 : 0, Math.round(left * 0.5));
    const mock = Math.max(0, left - learn - drill);
    return { days: left, learn, drill: Math.min(drill, left - learn), mock, fit: 'compressed', passes: 1 };
  }
  const mock = left - STANDARD.learn - STANDARD.drill;
  const passes = left >= 21 ? 2 : 1;
  return {
    days: left,
    learn: STANDARD.learn,
    drill: STANDARD.drill,
    mock,
    fit: passes > 1 ? 'repeated' : 'standard',
    passes,
  };
}

/** The phase of a plan's day (0 = the first day of the plan). */
export function phaseOn(shape: PlanShape, day: number): Phase {
  if (day < shape.learn) return 'learn';
  if (day < shape.learn + shape.drill) return 'drill';
  return 'mock';
}

/** What the curriculum is made of: the framework's steps, trade-off cards and cases with their difficulty. */
export type CurriculumInput = {
  cards: Array<{ id: string; steps: readonly StepKey[] }>;
  cases: Array<{ id: string; difficulty: 1 | 2 | 3 }>;
};

export type Level = 'junior' | 'mid' | 'senior' | 'staff';

/** Drill item keys: a framework step, a trade-off card, or one step of a case rebuilt from memory. */
export const itemKey = {
  step: (step: StepKey) => `step:${step}`,
  card: (id: string) => `card:${id}`,
  recall: (caseId: string, step: StepKey) => `recall:${caseId}:${step}`,
} as const;

export type ItemRef =
  | { kind: 'step'; step: StepKey }
  | { kind: 'card'; id: string }
  | { kind: 'recall'; caseId: string; step: StepKey };

export function parseItemKey(key: string): ItemRef | undefined {
  const [kind, first, second] = key.split(':');
  const step = (value: string | undefined) => STEPS.find((item) => item === value);
  if (kind === 'step' && step(first)) return { kind, step: step(first) as StepKey };
  if (kind === 'card' && first) return { kind, id: first };
  if (kind === 'recall' && first && step(second))
    return { kind, caseId: first, step: step(second) as StepKey };
  return undefined;
}

/** Cases a level rebuilds, easiest first for juniors and hardest first for staff. */
function caseOrder(cases: CurriculumInput['cases'], level: Level): string[] {
  const direction = level === 'junior' || level === 'mid' ? 1 : -1;
  return [...cases]
    .sort((a, b) => direction * (a.difficulty - b.difficulty) || a.id.localeCompare(b.id))
    .map((item) => item.id);
}

/**
 * The items a plan introduces, in order, with the phase that introduces them: in the learn phase the seven
 * steps and the cards (the cards of the framework's early steps first); in the drill phase the cases, each
 * as its seven step recalls, as many as the phase has room for.
 */
export function curriculum(
  input: CurriculumInput,
  shape: PlanShape,
  level: Level,
): Array<{ key: string; phase: Phase }> {
  const stepRank = (steps: readonly StepKey[]) => Math.min(...steps.map((step) => STEPS.indexOf(step)));
  const cards = [...input.cards].sort(
    (a, b) => stepRank(a.steps) - stepRank(b.steps) || a.id.localeCompare(b.id),
  );
  const learn = [...STEPS.map((step) => itemKey.step(step)), ...cards.map((card) => itemKey.card(card.id))];
  // About one case a drill day; the recalls of a case come in step order.
  const caseCount = Math.max(1, Math.min(input.cases.length, shape.drill));
  const drill = caseOrder(input.cases, level)
    .slice(0, caseCount)
    .flatMap((caseId) => STEPS.map((step) => itemKey.recall(caseId, step)));
  return [
    ...learn.map((key) => ({ key, phase: 'learn' as const })),
    ...drill.map((key) => ({ key, phase: 'drill' as const })),
  ];
}

/**
 * How many new items a day of each phase introduces, so the phase's items fit its days. A day the member
 * skipped does not add to the next: new items come only once the day's earlier ones have been seen.
 */
export function newPerDay(items: Array<{ phase: Phase }>, shape: PlanShape): Record<Phase, number> {
  const count = (phase: Phase) => items.filter((item) => item.phase === phase).length;
  return {
    learn: Math.ceil(count('learn') / Math.max(1, shape.learn)),
    drill: Math.ceil(count('drill') / Math.max(1, shape.drill)),
    mock: 0,
  };
}

/** The rating a case-step recall earns from the coverage the grader gave it (0..1). */
export function ratingFromCoverage(coverage: number): 1 | 2 | 3 | 4 {
  if (coverage < 0.35) return 1; // Again
  if (coverage < 0.55) return 2; // Hard
  if (coverage < 0.8) return 3; // Good
  return 4; // Easy
}
