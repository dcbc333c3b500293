import { describe, expect, it } from 'vitest';
import { commandKit } from '../helpers/commands.ts';

describe('/mlsd help', () => {
  it('lists every command with usage and an example, in each platform’s spelling', async () => {
    const kit = await commandKit({});
    const slack = await kit.run('help');
    for (const name of [
      'daily',
      'pair',
      'leaderboard',
      'stats',
      'team',
      'case',
      'card',
      'framework',
      'timezone',
      'me',
      'admin',
    ])
      expect(slack.text).toContain(`/mlsd ${name}`);
    expect(slack.text).toMatch(/`\/mlsd daily schedule <time> \[timezone\] \[days\] \[deadline\]`/);
    expect(slack.text).toMatch(/`\/mlsd me export`: .*JSON file/);
    expect(slack.text).toMatch(/`\/mlsd me forget`: /);
    expect(slack.text).toMatch(
      /`\/mlsd admin purge <member>`: Admins: .*\(e\.g\. `\/mlsd admin purge @alex`\)/,
    );
    const discord = await kit.runWithOptions('help', {});
    // Discord names every option: time:09:00 rather than a bare 09:00.
    expect(discord.text).toMatch(/\/mlsd daily schedule time:09:00/);
    expect(discord.text).toMatch(/\/mlsd admin purge member:@alex/);
    expect(kit.calls).toEqual([]);
  });

  it('answers a mistyped command in one line with the closest ones', async () => {
    const kit = await commandKit({});
    const typo = await kit.run('leaderbord');
    expect(typo.said).toHaveLength(1);
    expect(typo.text).toMatch(/^I don't know `\/mlsd leaderbord`\. Did you mean `\/mlsd leaderboard/);
  });
});
