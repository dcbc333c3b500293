import { beforeAll, describe, expect, it } from 'vitest';
import { type CommandKit, commandKit } from '../helpers/commands.ts';
import { libraryServices, studyContent } from '../helpers/library.ts';

let kit: CommandKit;
const content = studyContent();

beforeAll(async () => {
  kit = await commandKit({ library: libraryServices() });
});

describe('/mlsd case', () => {
  it('lists every case without an id, and shows one case’s prompt (never its reference) with one', async () => {
    const list = await kit.run('case');
    for (const study of content.cases.values()) expect(list.text).toContain(study.id);
    const one = await kit.run('case ad-click-prediction');
    expect(one.text).toMatch(/Ad click/i);
    const study = content.cases.get('ad-click-prediction');
    expect(one.text).not.toContain(study?.steps.model.outline.slice(0, 60));
    expect(kit.calls.at(-1)).toEqual({ service: 'library.showCase', args: ['ad-click-prediction'] });
  });

  it('refuses an unknown case, listing the ids there are', async () => {
    const unknown = await kit.run('case tiktok');
    expect(unknown.outcome).toBe('refused');
    expect(unknown.text).toMatch(/There is no case "tiktok"\. Cases: .*ad-click-prediction/);
  });
});
