import { z } from 'zod';
import { STEPS } from '../src/core/framework.ts';

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case kebab-case, e.g. "ad-click-prediction"');

export const TAGS = [
  'recsys',
  'ranking',
  'retrieval',
  'search',
  'vision',
  'video',
  'nlp',
  'ads',
  'trust-safety',
  'graph',
  'forecasting',
  'classification',
  'marketplace',
  'anomaly',
  'notifications',
  'llm',
  'generative',
  'time-series',
] as const;

/** One idea the grader looks for: a canonical term, other ways to say it, and how much it counts. */
export const conceptSchema = z.strictObject({
  term: z.string().min(2),
  synonyms: z.array(z.string().min(2)).default([]),
  weight: z.number().min(1, 'weight must be between 1 and 3').max(3, 'weight must be between 1 and 3'),
  /** One line on why the idea matters here, shown when feedback suggests adding it. */
  why: z.string().min(15).max(220),
  /** The trade-off card that explains it (`/mlsd card <id>`). */
  card: id.optional(),
});

export const stepContentSchema = z.strictObject({
  concepts: z
    .array(conceptSchema)
    .min(4, 'each step needs 4 to 8 concepts')
    .max(8, 'each step needs 4 to 8 concepts'),
  outline: z.string().min(40, 'the reference outline is too short'),
  focus: z.string().min(20, 'the focus prompt is too short'),
  /** Follow-up questions an interviewer asks about this step; feedback picks one for the weakest step. */
  probes: z.array(z.string().min(10)).min(1, 'give at least one probe question per step').max(3),
});

/**
 * A mistake an interviewer would mark down. `phrasings` are short ways of recommending it ("random split",
 * "shuffle the trips before splitting"); the grader penalises one said as a recommendation, not negated.
 */
export const redFlagSchema = z.strictObject({
  flag: z.string().min(10),
  why: z.string().min(15).max(240),
  step: z.enum(STEPS),
  phrasings: z.array(z.string().min(3)).min(2).max(12),
});
export type RedFlag = z.infer<typeof redFlagSchema>;

const stepsShape = Object.fromEntries(STEPS.map((step) => [step, stepContentSchema])) as Record<
  (typeof STEPS)[number],
  typeof stepContentSchema
>;

/** Front matter of `content/case-studies/<id>.md`; the Markdown body is the scenario. */
export const caseFrontMatterSchema = z.strictObject({
  id,
  title: z.string().min(3).max(80),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  tags: z.array(z.enum(TAGS)).min(1),
  summary: z.string().min(10).max(200),
  ask: z.string().min(10),
  clarifying: z
    .array(z.strictObject({ q: z.string().min(5), a: z.string().min(2) }))
    .min(3, 'give at least 3 clarifying questions with answers'),
  steps: z.strictObject(stepsShape),
  followups: z.array(z.string().min(10)).min(3).max(5),
  redFlags: z.array(redFlagSchema).min(2),
  tradeoffs: z.array(id).default([]),
});

export type CaseFrontMatter = z.infer<typeof caseFrontMatterSchema>;
export type CaseStudy = CaseFrontMatter & { scenario: string; file: string };
export type Concept = z.infer<typeof conceptSchema>;

/** `content/tradeoffs/<id>.yaml`: a trade-off card. */
export const tradeoffCardSchema = z.strictObject({
  id,
  title: z.string().min(3).max(80),
  options: z
    .array(
      z.strictObject({
        name: z.string().min(2),
        facts: z.array(z.string().min(5)).min(1).max(3),
      }),
    )
    .min(2),
  when: z.string().min(20),
  question: z.string().min(10),
  answer: z.string().min(10),
  steps: z.array(z.enum(STEPS)).min(1),
  cases: z.array(id).default([]),
});

export type TradeoffCard = z.infer<typeof tradeoffCardSchema> & { file: string };

/** Front matter of `content/framework.md`: the seven steps in order with their time budgets. */
export const frameworkFrontMatterSchema = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        key: z.enum(STEPS),
        title: z.string().min(3),
        minutes: z.number().int().min(1).max(20),
      }),
    )
    .length(STEPS.length, `list all ${STEPS.length} steps`)
    .refine(
      (steps) => steps.every((step, index) => step.key === STEPS[index]),
      `list the steps in order: ${STEPS.join(', ')}`,
    )
    .refine(
      (steps) => steps.reduce((sum, step) => sum + step.minutes, 0) <= 45,
      'the time budgets must fit a 45-minute interview',
    ),
});

export const FRAMEWORK_PARTS = [
  'What a strong answer does',
  'Questions to ask',
  'Common mistakes',
  'Time budget',
  'Levels',
] as const;

export type FrameworkStep = z.infer<typeof frameworkFrontMatterSchema>['steps'][number] & {
  parts: Record<(typeof FRAMEWORK_PARTS)[number], string>;
};
export type Framework = { intro: string; steps: FrameworkStep[]; communication: string };
