import { describe, expect, it } from 'vitest';
import { americanSpelling, contentStems, sentences, stem } from '../../../src/engines/grading/tokenise.ts';

describe('text normalisation', () => {
  it('stems British and American spellings alike', () => {
    for (const [british, american] of [
      ['normalise', 'normalize'],
      ['normalised', 'normalized'],
      ['personalisation', 'personalization'],
      ['quantisation', 'quantization'],
      ['behaviour', 'behavior'],
      ['neighbours', 'neighbors'],
      ['catalogue', 'catalog'],
      ['modelling', 'modeling'],
      ['labelled', 'labeled'],
    ]) {
      expect(stem(british as string), `${british}`).toBe(stem(american as string));
    }
  });

  it('leaves words alone whose -ise or -our is American too', () => {
    for (const word of ['advertise', 'supervised', 'precise', 'otherwise', 'hour', 'your', 'noise']) {
      expect(americanSpelling(word)).toBe(word);
    }
  });

  it('drops stop words and stems the rest', () => {
    expect(contentStems('The labels are delayed by the chargebacks')).toEqual([
      'label',
      'delai',
      'chargeback',
    ]);
  });

  it('splits sentences on punctuation, new lines and bullets', () => {
    expect(sentences('First point. Second one!\n- third item; fourth')).toEqual([
      'First point.',
      'Second one!',
      '- third item',
      'fourth',
    ]);
  });
});
