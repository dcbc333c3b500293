import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { commandKit } from '../helpers/commands.ts';

describe('/mlsd team', () => {
  it('creates a team with a quoted name and says who can join it', async () => {
    const kit = await commandKit({
      teams: { create: async (_actor, name) => ({ team: name, left: 'Owls' }) },
    });
    const created = await kit.run('team create "Gradient Descenders"');
    expect(created.text).toBe(
      'Team "Gradient Descenders" created, and you\'re in it (you left "Owls"). Others join with `/mlsd team join Gradient Descenders`.',
    );
    expect(created.said[0]?.public).toBe(false);
    expect(kit.calls[0]?.args[1]).toBe('Gradient Descenders');
  });

  it('joins with the team size, and words the refusals of the service', async () => {
    const kit = await commandKit({
      teams: {
        join: async (_actor, name) => {
          if (name === 'nope') throw new UserError('unknown-team', { name, known: 'Owls, Hawks' });
          return { team: 'Owls', size: 3 };
        },
        leave: async () => {
          throw new UserError('not-in-team');
        },
      },
    });
    expect((await kit.run('team join owls')).text).toBe('You joined "Owls" (3 members).');
    expect((await kit.run('team join nope')).text).toMatch(/There is no team "nope"\. Teams: Owls, Hawks\./);
    expect((await kit.run('team leave')).text).toMatch(/You're not in a team/);
  });

  it('checks the name before calling the service', async () => {
    const kit = await commandKit({});
    const short = await kit.run('team create x');
    expect(short.outcome).toBe('refused');
    expect(short.text).toMatch(/a team name has 2 to 40 characters/);
    expect((await kit.run('team')).text).toMatch(/I don't know `\/mlsd team`/);
    for (const name of ['"<!here>"', '@everyone', '"*bold* team"', '"<https://evil|click>"']) {
      expect((await kit.run(`team create ${name}`)).text).toMatch(/a team name uses letters, digits, spaces/);
    }
    expect(kit.calls).toEqual([]);
  });
});
