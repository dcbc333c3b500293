import { describe, expect, it } from 'vitest';
import type { DrillItemView } from '../../content/study-messages.ts';
import { UserError } from '../../src/core/errors.ts';
import { commandKit } from '../helpers/commands.ts';

const card: DrillItemView = {
  kind: 'card',
  key: 'card:pr-auc-vs-roc-auc',
  reps: 0,
  title: 'PR-AUC vs ROC-AUC',
  question: 'Fraud at 1 in 1,000: which curve?',
  answer: 'PR-AUC, because it shows precision at the rare positive.',
  when: 'When positives are rare.',
};
const recall: DrillItemView = {
  kind: 'recall',
  key: 'recall:video-recommendation:serving',
  reps: 2,
  step: 'serving',
  caseTitle: 'Video recommendation',
  scenario: 'A home feed of videos.',
};

describe('/mlsd drill', () => {
  it('shows the next due card with a reveal button carrying its key and reps', async () => {
    const kit = await commandKit({ drill: { nextDrill: async () => ({ item: card, left: 3 }) } });
    const shown = await kit.run('drill');
    expect(shown.text).toMatch(/Fraud at 1 in 1,000: which curve\?/);
    expect(shown.said[0]?.public).toBe(false);
    expect(shown.said[0]?.message.buttons?.[0]?.id).toBe('drill:reveal:card:pr-auc-vs-roc-auc:0');
  });

  it('reveals the back with the four ratings, and rates once, then serves the next', async () => {
    const kit = await commandKit({
      drill: {
        revealDrill: async () => card,
        rateDrill: async (_actor, _key, reps, rating) => {
          if (reps !== 0) throw new UserError('drill-item-gone');
          return { saved: { rating, nextIn: 'in 3 days' }, item: recall, left: 2 };
        },
      },
    });
    const back = await kit.press('drill:reveal:card:pr-auc-vs-roc-auc:0');
    expect(back.text).toMatch(/PR-AUC, because/);
    expect(back.said[0]?.message.buttons?.map((button) => button.id)).toEqual([
      'drill:rate:card:pr-auc-vs-roc-auc:0:1',
      'drill:rate:card:pr-auc-vs-roc-auc:0:2',
      'drill:rate:card:pr-auc-vs-roc-auc:0:3',
      'drill:rate:card:pr-auc-vs-roc-auc:0:4',
    ]);
    const rated = await kit.press('drill:rate:card:pr-auc-vs-roc-auc:0:3');
    expect(kit.calls.at(-1)?.args.slice(1)).toEqual(['card:pr-auc-vs-roc-auc', 0, 3]);
    expect(rated.text).toMatch(/Good, back in 3 days/);
    expect(rated.said[0]?.message.buttons?.[0]?.id).toBe(
      'drill:answer:recall:video-recommendation:serving:2',
    );
    expect((await kit.press('drill:rate:card:pr-auc-vs-roc-auc:1:3')).text).toMatch(/already rated/);
  });

  it('opens the recall form and grades what was written, with the outline after', async () => {
    const kit = await commandKit({
      drill: {
        recallItem: async () => recall as Extract<DrillItemView, { kind: 'recall' }>,
        recallDrill: async (_actor, _key, _reps, text) => {
          if (!text.trim()) throw new UserError('answer-empty', {}, 'answer');
          return {
            saved: {
              rating: 2,
              nextIn: 'tomorrow',
              coverage: 0.5,
              missed: ['feature store'],
              outline: 'Two stages.',
            },
            left: 0,
            doneToday: 4,
          };
        },
      },
    });
    const form = await kit.press('drill:answer:recall:video-recommendation:serving:2');
    expect(form.forms[0]?.id).toBe('drill:recall:recall:video-recommendation:serving:2');
    const graded = await kit.submit('drill:recall:recall:video-recommendation:serving:2', {
      answer: 'A two-tower retrieval.',
    });
    expect(kit.calls.at(-1)?.args.slice(1)).toEqual([
      'recall:video-recommendation:serving',
      2,
      'A two-tower retrieval.',
    ]);
    expect(graded.text).toMatch(
      /You covered 50% of the step: Hard, back tomorrow\. Missing: feature store\./,
    );
    expect(graded.text).toMatch(/Two stages\./);
    expect(
      (await kit.submit('drill:recall:recall:video-recommendation:serving:2', { answer: ' ' })).rejected,
    ).toMatchObject({
      answer: expect.stringMatching(/empty/),
    });
  });

  it('shows retention and the week’s forecast', async () => {
    const kit = await commandKit({
      drill: {
        drillStats: async () => ({
          items: 40,
          unseen: 5,
          dueToday: 7,
          reviews30: 20,
          recalled30: 17,
          forecast: [7, 3, 0, 2, 0, 1, 4],
        }),
      },
    });
    const stats = await kit.run('drill stats');
    expect(stats.text).toMatch(/retention 85% over 30 days/);
    expect(stats.text).toMatch(/tomorrow: 3/);
  });
});
