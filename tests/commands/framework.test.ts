import { beforeAll, describe, expect, it } from 'vitest';
import { type CommandKit, commandKit } from '../helpers/commands.ts';
import { libraryServices } from '../helpers/library.ts';

let kit: CommandKit;

beforeAll(async () => {
  kit = await commandKit({ library: libraryServices() });
});

describe('/mlsd framework', () => {
  it('shows the seven steps with their minutes, or one step in depth', async () => {
    const all = await kit.run('framework');
    expect(all.text.match(/\d+ min/g)?.length).toBeGreaterThanOrEqual(7);
    expect((await kit.run('framework serving')).text).toMatch(/Step 6: .*Serving/i);
  });

  it('names the steps there are when the step is not one of them', async () => {
    const wrong = await kit.run('framework deployment');
    expect(wrong.outcome).toBe('refused');
    expect(wrong.text).toMatch(/use one of: clarify, frame, data, features, model, serving, monitoring/);
  });
});
