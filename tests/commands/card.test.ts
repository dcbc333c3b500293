import { beforeAll, describe, expect, it } from 'vitest';
import { type CommandKit, commandKit } from '../helpers/commands.ts';
import { libraryServices, studyContent } from '../helpers/library.ts';

let kit: CommandKit;
const content = studyContent();

beforeAll(async () => {
  kit = await commandKit({ library: libraryServices() });
});

describe('/mlsd card', () => {
  it('shows a named card, and a random one without an id', async () => {
    expect((await kit.run('card pr-auc-vs-roc-auc')).text).toMatch(/PR.AUC/i);
    const first = [...content.cards.values()][0];
    expect((await kit.run('card')).text).toContain(first?.title);
  });

  it('suggests cards whose ids share a word with a wrong one', async () => {
    const wrong = await kit.run('card auc');
    expect(wrong.outcome).toBe('refused');
    expect(wrong.text).toMatch(/no trade-off card "auc"\. Try one of: .*pr-auc-vs-roc-auc/);
  });
});
