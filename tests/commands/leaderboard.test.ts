import { describe, expect, it } from 'vitest';
import { commandKit } from '../helpers/commands.ts';

describe('/mlsd leaderboard', () => {
  it('shows this week’s board by default, with streaks and the caller’s rank', async () => {
    const kit = await commandKit({
      leaderboard: {
        channelLeaderboard: async (_place, _actor, period) => ({
          period,
          top: [
            { rank: 1, userId: 'U2', points: 30, streak: 4 },
            { rank: 2, userId: 'U1', points: 12, streak: 0 },
          ],
          shown: 2,
          me: { rank: 2, points: 12, hidden: false },
        }),
      },
    });
    const board = await kit.run('leaderboard');
    expect(kit.calls[0]?.args[2]).toBe('week');
    expect(board.text).toMatch(/1\. <@U2>: 30 pts · 🔥 4-day streak\n2\. <@U1>: 12 pts\n/);
    expect(board.text).toMatch(/You are #2 of 2 with 12 pts\./);
    await kit.run('leaderboard show month');
    expect(kit.calls[1]?.args[2]).toBe('month');
    expect((await kit.run('leaderboard show year')).text).toMatch(/use week, month or all/);
  });

  it('says how to start an empty board, and reminds a hidden member how to return', async () => {
    const kit = await commandKit({
      leaderboard: {
        channelLeaderboard: async (_place, _actor, period) => ({
          period,
          top: [],
          shown: 0,
          me: { rank: 0, points: 5, hidden: true },
        }),
        setBoardVisibility: async (_actor, hidden) => ({ hidden }),
      },
    });
    const empty = await kit.run('leaderboard show all');
    expect(empty.text).toMatch(/No points yet all time\. Answer today's case/);
    expect(empty.text).toMatch(/You are hidden from this board \(5 pts\)/);
    expect((await kit.run('leaderboard hide-me')).text).toMatch(/hidden from public leaderboards/);
    expect((await kit.run('leaderboard show-me')).text).toBe("You're back on the public leaderboards.");
    expect(kit.calls.slice(1).map((call) => call.args[1])).toEqual([true, false]);
  });

  it('ranks teams and channels per active member, and lists current streaks', async () => {
    const kit = await commandKit({
      teams: {
        teamBoard: async (_place, period) => ({
          period,
          teams: [{ name: 'Owls', perActive: 12.5, points: 25, active: 2 }],
          channels: [],
        }),
      },
      leaderboard: {
        streakLeaderboard: async () => ({
          top: [{ userId: 'U3', current: 9, best: 12 }],
          mine: { current: 1, best: 3, freezeLeft: true },
        }),
      },
    });
    const teams = await kit.run('leaderboard teams');
    expect(teams.text).toMatch(/1\. Owls: 12\.5 pts per active member \(25 pts, 2 active\)/);
    expect(teams.text).toMatch(/No channel has points yet/);
    const streaks = await kit.run('leaderboard streaks');
    expect(streaks.text).toMatch(/1\. <@U3>: 🔥 9 days \(best 12\)/);
    expect(streaks.text).toMatch(/Your streak: 1 day \(best 3\), freeze left this week\./);
  });
});
