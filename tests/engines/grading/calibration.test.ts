import { describe, expect, it } from 'vitest';
import { STEPS } from '../../../src/core/framework.ts';
import { loadLibrary } from '../../../src/services/content.ts';
import {
  ADVERSARIAL,
  agreement,
  type CalibrationSet,
  falseMissed,
  gradeCalibrationSets,
} from '../../helpers/calibration.ts';

/**
 * The grader against expert judgement and against answers built to game it (tests/fixtures/grading),
 * all written by people who had not read the grader.
 */
const library = loadLibrary();
const sets = gradeCalibrationSets(library);
const total = (set: CalibrationSet, kind: keyof CalibrationSet['grades']) => set.grades[kind].total;

describe('grader calibration', () => {
  it('has a calibration set for every case in the library', () => {
    expect(sets.map((set) => set.case).sort()).toEqual([...library.cases.keys()].sort());
  });

  describe.each(sets.map((set) => [set.case, set] as const))('%s', (_, set) => {
    it('ranks the excellent answer above the good one and its plain-words twin', () => {
      expect(total(set, 'excellent')).toBeGreaterThan(total(set, 'good'));
      expect(total(set, 'excellent')).toBeGreaterThan(total(set, 'plain'));
    });

    it('credits the plain-words answer close to the good one: ideas, not vocabulary', () => {
      expect(total(set, 'plain')).toBeGreaterThanOrEqual(total(set, 'good') * 0.65);
    });

    it('ranks the model-only answer above a keyword dump, another case’s answer and two lines', () => {
      for (const kind of ['keywordDump', 'otherCase', 'twoLine'] as const)
        expect(total(set, 'modelOnly'), kind).toBeGreaterThan(total(set, kind));
    });

    it.each(ADVERSARIAL)('scores the %s adversarial answer below the decent one', (kind) => {
      expect(total(set, kind)).toBeLessThan(total(set, 'good'));
    });

    it('scores an excellent answer to another case at most half of its score on its own case', () => {
      expect(set.otherExcellent.total).toBeLessThanOrEqual(set.ownExcellent / 2);
    });

    it('scores expert notes (abbreviations, units, slips) like an excellent answer', () => {
      expect(set.expertGrade.total).toBeGreaterThan(total(set, 'good'));
    });

    it('names the steps the good answer really leaves out', () => {
      const grade = set.grades.good;
      const suggested = new Set(grade.suggestions.map((item) => item.step));
      const lowest = [...STEPS]
        .sort((a, b) => grade.steps[a].coverage - grade.steps[b].coverage)
        .slice(0, set.goodMissing.length + 1);
      for (const step of set.goodMissing) {
        expect(lowest, step).toContain(step);
        expect(suggested, step).toContain(step);
      }
    });
  });

  it('ranks the good answer above the model-only answer in all cases but at most one', () => {
    // A model-only answer that also frames the target earns those steps honestly, so one case may tie.
    const inverted = sets
      .filter((set) => total(set, 'good') <= total(set, 'modelOnly'))
      .map((set) => set.case);
    expect(inverted.length, inverted.join(', ')).toBeLessThanOrEqual(1);
  });

  it('ranks the plain-words answer above the model-only answer in all cases but at most two', () => {
    const inverted = sets
      .filter((set) => total(set, 'plain') <= total(set, 'modelOnly'))
      .map((set) => set.case);
    expect(inverted.length, inverted.join(', ')).toBeLessThanOrEqual(2);
  });

  it('agrees with the intended order: Spearman >= 0.9 pooled over every calibration answer', () => {
    expect(agreement(sets).pooled).toBeGreaterThanOrEqual(0.9);
  });

  it('reports under 10 % of the ideas expert notes cover as missed, and rarely suggests adding to them', () => {
    const { concepts, suggestions } = falseMissed(sets);
    expect(concepts.false / concepts.of).toBeLessThan(0.1);
    // Strong answers get at most a suggestion each on average: their well-covered steps get none.
    expect(suggestions.of).toBeLessThanOrEqual(sets.length);
  });
});
