import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/core/framework.ts';
import { loadLibrary } from '../../src/services/content.ts';
import type { CaseStudy } from '../../src/services/content-schema.ts';
import { gradeAnswer, gradeToJson, STEP_WEIGHTS } from '../../src/services/grading.ts';

const library = loadLibrary();
const fraud = library.cases.get('fraud-detection') as CaseStudy;
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/answers/${name}`, import.meta.url), 'utf8');

describe('gradeAnswer', () => {
  it('scores a reasoned answer covering every step highly', () => {
    const grade = gradeAnswer(fraud, fixture('fraud-reasoned.md'));
    expect(grade.total).toBeGreaterThanOrEqual(70);
    for (const step of STEPS) expect(grade.steps[step].coverage, step).toBeGreaterThan(0.4);
  });

  it('scores a bare keyword list clearly below a reasoned answer with the same ideas', () => {
    const reasoned = gradeAnswer(fraud, fixture('fraud-reasoned.md'));
    const dump = gradeAnswer(fraud, fixture('fraud-keywords.md'));
    expect(dump.total).toBeLessThan(reasoned.total * 0.6);
    expect(STEPS.flatMap((step) => dump.steps[step].namedOnly).length).toBeGreaterThan(10);
  });

  it('matches plural, stem and case variants of a concept', () => {
    const singular = gradeAnswer(
      fraud,
      'We monitor adversarial drift because the fraudster adapts to every new model.',
    );
    const plural = gradeAnswer(
      fraud,
      'We monitor ADVERSARIAL DRIFTS, because fraudsters adapt to every new model.',
    );
    expect(singular.steps.monitoring.matched).toContain('adversarial drift');
    expect(plural.steps.monitoring.matched).toContain('adversarial drift');
  });

  it('credits a synonym phrased in another order inside one sentence', () => {
    const grade = gradeAnswer(
      fraud,
      'Downsampling is fine, but we must always wait for the labels to mature because chargebacks arrive late.',
    );
    expect(grade.steps.data.matched).toContain('label maturity');
  });

  it('caps each step, so one step cannot carry the answer', () => {
    const modelOnly = [
      'I would start with a logistic regression baseline because it is simple and gives a reference point.',
      'Then gradient boosted trees such as XGBoost, because they handle tabular features with little tuning.',
      'A deep neural network could later learn sequence patterns, which trees miss across many transactions.',
      'Offline I track PR-AUC because positives are rare, and dollar-weighted evaluation of fraud dollars caught.',
      'Calibrated probabilities matter because thresholds map to expected cost for each transaction.',
      'Online I run an A/B test on fraud loss rate and false decline rate to confirm the offline gain.',
    ].join(' ');
    const grade = gradeAnswer(fraud, modelOnly);
    expect(grade.steps.model.coverage).toBe(1);
    // Full marks on modelling are worth at most its share; what else it earns comes from real overlap.
    expect(grade.steps.model.coverage * STEP_WEIGHTS.model * 100).toBeLessThanOrEqual(18);
    expect(grade.total).toBeLessThan(gradeAnswer(fraud, fixture('fraud-reasoned.md')).total / 2);
  });

  it('names the weakest steps and two or three concrete concepts that were missed', () => {
    const grade = gradeAnswer(
      fraud,
      'I would use gradient boosted trees because they work well on tabular fraud data with many features.',
    );
    expect(grade.suggestions.length).toBeGreaterThanOrEqual(2);
    expect(grade.suggestions.length).toBeLessThanOrEqual(3);
    expect(grade.strongest).toBe('model');
    expect(grade.steps[grade.weakest].coverage).toBe(0);
  });

  it('is deterministic and reports JSON with total, coverage, matched and missed', () => {
    const text = fixture('fraud-reasoned.md');
    const json = gradeToJson(gradeAnswer(fraud, text));
    expect(gradeToJson(gradeAnswer(fraud, text))).toEqual(json);
    expect(json.total).toBeGreaterThan(0);
    expect(Object.keys(json.coverage)).toEqual([...STEPS]);
    expect(json.steps.model?.matched.length).toBeGreaterThan(0);
    expect(Array.isArray(json.steps.model?.missed)).toBe(true);
  });

  it('gives an empty answer zero', () => {
    expect(gradeAnswer(fraud, '').total).toBe(0);
  });
});

describe('gradeAnswer on a focus day', () => {
  it('scores only the focused step and suggests concepts from it alone', () => {
    const text =
      'Chargebacks are the labels, but they arrive weeks later, so I wait for label maturity before calling anything a clean negative, and I split by time to avoid leakage.';
    const grade = gradeAnswer(fraud, text, { focus: 'data' });
    expect(grade.total).toBe(Math.round(grade.steps.data.coverage * 100));
    expect(grade.total).toBeGreaterThan(30);
    for (const suggestion of grade.suggestions) expect(suggestion.step).toBe('data');
  });
});
