/** The seven framework steps, in interview order: the spine of all content and grading. */
export const STEPS = ['clarify', 'frame', 'data', 'features', 'model', 'serving', 'monitoring'] as const;

export type StepKey = (typeof STEPS)[number];

export const STEP_TITLES = {
  clarify: 'Clarify requirements',
  frame: 'Frame as an ML problem',
  data: 'Data preparation',
  features: 'Feature engineering',
  model: 'Model development and evaluation',
  serving: 'Deployment and serving',
  monitoring: 'Monitoring and maintenance',
} as const satisfies Record<StepKey, string>;

export const STEP_SHORT = {
  clarify: 'Clarify',
  frame: 'Frame',
  data: 'Data',
  features: 'Features',
  model: 'Model & eval',
  serving: 'Serving',
  monitoring: 'Monitoring',
} as const satisfies Record<StepKey, string>;
