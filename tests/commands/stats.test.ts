import { describe, expect, it } from 'vitest';
import type { PracticeSummary } from '../../content/stats-messages.ts';
import { UserError } from '../../src/core/errors.ts';
import { commandKit } from '../helpers/commands.ts';

const summary: PracticeSummary = {
  coverage: { answers: 3, revisions: 1, coverage: { clarify: 0.8, data: 0.2 } },
  mocks: { done: 2, asCandidate: 1, feedbackReceived: 1 },
  streak: { current: 4, best: 6, freezeLeft: false },
  weakest: { step: 'data', cards: [{ id: 'label-delay', title: 'Label delay' }] },
};

describe('/mlsd stats', () => {
  it('shows coverage per step, the weakest step with cards, the streak, mocks and rank', async () => {
    const kit = await commandKit({
      stats: {
        memberStats: async () => ({
          ...summary,
          self: true,
          member: { userId: 'U1', displayName: 'Ana', hiddenFromBoards: false },
          rank: { rank: 2, points: 40 },
          awards: [{ points: 10, reason: 'answer to "Ad click prediction"' }],
          png: new Uint8Array([137, 80]),
        }),
      },
    });
    const stats = await kit.run('stats');
    expect(stats.said[0]?.public).toBe(false);
    expect(stats.text).toMatch(/^You: 3 answers, streak 4 \(best 6\), 2 mocks done, rank #2 here\./);
    expect(stats.text).toMatch(/Coverage per step \(3 answers, 1 revision as practice\)/);
    expect(stats.text).toMatch(
      /Weakest step: Data.*\nCards that help: Label delay \(`\/mlsd card label-delay`\)/,
    );
    expect(stats.text).toMatch(/4 days \(best 6\), freeze used this week/);
    expect(stats.text).toMatch(/\+10: answer to "Ad click prediction"/);
    expect(stats.said[0]?.message.image?.name).toBe('mlsd-stats.png');
  });

  it('looks up another member by mention, and says when there is nothing to show', async () => {
    const kit = await commandKit({
      stats: {
        memberStats: async (_place, _actor, userId) => {
          throw new UserError('no-stats', { userId: userId ?? '' });
        },
      },
    });
    const other = await kit.run('stats <@U9|bo>');
    expect(kit.calls[0]?.args[2]).toBe('U9');
    expect(other.text).toBe('I have no stats for <@U9> yet: they have not answered or done a mock here.');
  });

  it('renders the home view with each channel’s board of the week', async () => {
    const kit = await commandKit({
      stats: {
        homeView: async () => ({
          ...summary,
          boards: [
            {
              channel: 'study',
              top: [{ rank: 1, userId: 'U1', points: 9 }],
              week: 1,
              all: { rank: 3, of: 8 },
            },
          ],
        }),
      },
    });
    const home = await kit.home();
    expect(home.text).toMatch(/#study: this week\n1\. <@U1>: 9 pts\nYou: #1 this week, #3 of 8 all time/);
  });
});
