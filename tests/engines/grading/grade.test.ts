import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../../src/core/framework.ts';
import { gradeAnswer, gradeToJson, STEP_WEIGHTS } from '../../../src/engines/grading/index.ts';
import { loadLibrary } from '../../../src/services/content.ts';

const library = loadLibrary();
const fraud = library.cases.get('fraud-detection') as NonNullable<ReturnType<typeof library.cases.get>>;
const eta = library.cases.get('eta-prediction') as NonNullable<ReturnType<typeof library.cases.get>>;
const grade = (text: string, study = fraud, focus?: (typeof STEPS)[number]) =>
  gradeAnswer(library, study, text, { focus });
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/answers/${name}`, import.meta.url), 'utf8');
const concept = (text: string, term: string, study = fraud) =>
  grade(text, study).concepts.find((item) => item.term === term);

describe('gradeAnswer', () => {
  it('scores a reasoned answer covering every step highly', () => {
    const graded = grade(fixture('fraud-reasoned.md'));
    expect(graded.total).toBeGreaterThanOrEqual(70);
    for (const step of STEPS) expect(graded.steps[step].coverage, step).toBeGreaterThan(0.4);
  });

  it('scores a bare keyword list clearly below a reasoned answer with the same ideas', () => {
    const reasoned = grade(fixture('fraud-reasoned.md'));
    const dump = grade(fixture('fraud-keywords.md'));
    expect(dump.total).toBeLessThan(reasoned.total * 0.6);
    expect(STEPS.flatMap((step) => dump.steps[step].namedOnly).length).toBeGreaterThan(10);
  });

  it('matches plural, stem and case variants of a concept', () => {
    expect(
      concept(
        'We monitor adversarial drift because the fraudster adapts to every new model.',
        'adversarial drift',
      )?.credit,
    ).toBeGreaterThan(0.5);
    expect(
      concept(
        'We monitor ADVERSARIAL DRIFTS, because fraudsters adapt to every new model.',
        'adversarial drift',
      )?.credit,
    ).toBeGreaterThan(0.5);
  });

  it('credits a synonym phrased in another order inside one sentence', () => {
    const graded = concept(
      'Labels need a window: before a payment counts as legitimate we wait until the label matures.',
      'label maturity',
    );
    expect(graded?.credit).toBeGreaterThan(0.5);
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
    const graded = grade(modelOnly);
    expect(graded.steps.model.coverage).toBeGreaterThan(0.9);
    expect(graded.steps.model.coverage * STEP_WEIGHTS.model * 100).toBeLessThanOrEqual(18);
    expect(graded.total).toBeLessThan(grade(fixture('fraud-reasoned.md')).total / 2);
  });

  it('is deterministic and reports JSON with total, coverage, matched, plain words, missed and red flags', () => {
    const text = fixture('fraud-reasoned.md');
    const json = gradeToJson(grade(text));
    expect(gradeToJson(grade(text))).toEqual(json);
    expect(Object.keys(json.coverage)).toEqual([...STEPS]);
    expect(json.steps.model?.matched.length).toBeGreaterThan(0);
    expect(Array.isArray(json.steps.model?.missed)).toBe(true);
    expect(Array.isArray(json.redFlags)).toBe(true);
  });

  it('gives an empty answer zero', () => {
    expect(grade('').total).toBe(0);
  });
});

describe('evidence, not vocabulary', () => {
  it('does not count a "because" that restates the claim as a reason', () => {
    const padded = concept(
      'We use a time-based split because time-based splits are important.',
      'time-based split',
    );
    const reasoned = concept(
      'We split by time because fraud patterns shift month to month, so a random split would leak the future.',
      'time-based split',
    );
    expect(padded?.evidence).toBe('named');
    expect(reasoned?.evidence).toBe('reasoned');
    expect((reasoned?.credit ?? 0) > (padded?.credit ?? 0) * 3).toBe(true);
  });

  it('does not count a generic benefit as a reason ("to help the model")', () => {
    expect(concept('We use velocity features to help the model.', 'velocity features')?.evidence).toBe(
      'named',
    );
  });

  it('treats a sentence template repeated around different terms as naming, not explaining', () => {
    const lines = [
      'velocity features',
      'device fingerprinting',
      'PR-AUC',
      'a time-based split',
      'shadow mode',
    ]
      .map((term) => `We use ${term} to improve the fraud model for our users and the business.`)
      .join('\n');
    const graded = grade(lines);
    expect(graded.concepts.filter((item) => item.credit > 0).every((item) => item.evidence === 'named')).toBe(
      true,
    );
  });

  it('shares one sentence between the ideas it packs, when it has no words to explain them', () => {
    const packed = grade(
      'Velocity features, device fingerprints, graph features, PR-AUC, shadow mode and drift monitoring because fraud.',
    );
    const credited = packed.concepts.filter((item) => item.credit > 0);
    expect(credited.length).toBeGreaterThan(3);
    expect(credited.every((item) => item.credit <= 0.2)).toBe(true);
  });

  it('does not credit an idea the answer declines ("we would not use a time split")', () => {
    const declined = concept(
      'We would not use a time-based split; a random split is fine here.',
      'time-based split',
    );
    expect(declined?.credit).toBe(0);
    expect(declined?.evidence).toBe('negated');
    expect(
      concept(
        'Rather than a random split, split by time so the test month follows training.',
        'time-based split',
      )?.credit,
    ).toBeGreaterThan(0);
  });

  it('reads a negation across a short list ("no review queue, demotion tier or appeals")', () => {
    const graded = grade(
      'We would not have manual review, a decision engine or shadow mode, because the model is accurate.',
    );
    for (const term of ['manual review queue', 'decision engine', 'safe rollout'])
      expect(graded.concepts.find((item) => item.term === term)?.credit ?? 0, term).toBe(0);
  });

  it('normalises units, frequencies and short forms: "200msec", "every week", "A/B", "ANN"', () => {
    const study = eta;
    expect(
      concept('Latency requirements - p99 under 10msec per call?', 'latency and throughput', study)?.credit,
    ).toBeGreaterThan(0);
    expect(
      concept(
        'Retrain every week on the latest trips, gated on an offline check against the current model.',
        'retraining cadence',
        study,
      )?.credit,
    ).toBeGreaterThan(0.5);
    expect(
      concept('Roll out with an A/B by city and watch cancellations and on-time rate.', 'online test', study)
        ?.credit,
    ).toBeGreaterThan(0.5);
  });

  it('tolerates a slip in a long word ("Gradiant Boosting")', () => {
    expect(
      concept(
        'Gradiant Boosting on the residual, since it is fast on tabular inputs and easy to debug.',
        'gbdt',
        eta,
      )?.credit,
    ).toBeGreaterThan(0.5);
  });

  it('does not read "A/B" or "(CTR, dwell time, likes)" as a list of bare terms', () => {
    const graded = concept(
      'Online, an A/B test by rider (on-time rate, cancellations, bookings) decides the launch.',
      'online test',
      eta,
    );
    expect(graded?.evidence).not.toBe('named');
  });

  it('credits an idea said in everyday words, and says so', () => {
    const graded = grade(
      'Rather than predicting the trip time from nothing, learn how far off the map routing estimate usually is and add that correction to it.',
      eta,
    );
    const residual = graded.concepts.find((item) => item.term === 'residual on routing eta');
    expect(residual?.credit).toBeGreaterThan(0);
    expect(graded.suggestions.map((item) => item.term)).not.toContain('residual on routing eta');
  });
});

describe('red flags', () => {
  it('costs points and names a red flag said as a recommendation, with the reason', () => {
    const graded = grade(
      'Data: shuffle all trips and use a random 80/20 train test split for the biggest test set.',
      eta,
    );
    expect(graded.redFlags.length).toBeGreaterThan(0);
    expect(graded.redFlags[0]?.why.length).toBeGreaterThan(15);
    expect(graded.penalty).toBeGreaterThan(0);
  });

  it('does not flag a mistake the answer warns against or rejects', () => {
    for (const text of [
      'A random split would leak the future into training, so split by time.',
      'We would never use a random split here.',
      'Instead of a random split, train on eight weeks and test on the next one.',
      'Should we use a random split? No: traffic changes over time.',
    ])
      expect(grade(text, eta).redFlags, text).toEqual([]);
  });

  it('reads a negation inside the flagged words, and "cannot" or "impossible" around them', () => {
    expect(grade('Report ROC AUC alone and ship it.', fraud).redFlags).toHaveLength(1);
    for (const text of [
      'ROC AUC alone is not enough at this fraud rate; report PR-AUC.',
      'We cannot use a random split: fraud rings recur.',
      'A random split is impossible to defend here, since tactics change weekly.',
    ])
      expect(grade(text, fraud).redFlags, text).toEqual([]);
  });
});

describe('relevance to the case', () => {
  it('scores an excellent answer to another case at most half of its score on its own case', () => {
    const own = grade(fixture('fraud-reasoned.md'));
    const elsewhere = grade(fixture('fraud-reasoned.md'), eta);
    expect(elsewhere.total).toBeLessThanOrEqual(own.total / 2);
    expect(elsewhere.relevance).toBeLessThan(0.5);
  });
});

describe('gradeAnswer on a focus day', () => {
  it('scores only the focused step and suggests concepts from it alone', () => {
    const text =
      'Chargebacks are the labels, but they arrive weeks later, so I wait for label maturity before calling anything a clean negative, and I split by time to avoid leakage.';
    const graded = grade(text, fraud, 'data');
    expect(graded.total).toBe(Math.round(graded.steps.data.coverage * 100) - graded.penalty);
    expect(graded.total).toBeGreaterThan(30);
    for (const suggestion of graded.suggestions) expect(suggestion.step).toBe('data');
  });
});
