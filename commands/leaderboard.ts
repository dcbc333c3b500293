import { z } from 'zod';
import { defineCommand, subcommand } from '../src/kit.ts';

export default defineCommand({
  name: 'leaderboard',
  description: 'This channel’s top 10 and your rank; leave or rejoin public boards',
  default: 'show',
  subcommands: {
    show: subcommand({
      description: 'This channel’s top 10 and your rank',
      options: z.object({
        period: z
          .enum(['week', 'month', 'all'], { error: 'use week, month or all' })
          .default('week')
          .meta({ description: 'week (default), month or all time, in the channel’s time zone' }),
      }),
      examples: ['/mlsd leaderboard', '/mlsd leaderboard month'],
      async run({ services, invocation, args, reply }) {
        await reply(
          await services.leaderboard.channelLeaderboard(invocation.place, invocation.actor, args.period),
          {
            private: true,
          },
        );
      },
    }),
    teams: subcommand({
      description: 'Teams and study channels ranked by points per active member',
      options: z.object({
        period: z
          .enum(['week', 'month', 'all'], { error: 'use week, month or all' })
          .default('week')
          .meta({ description: 'week (default), month or all time' }),
      }),
      examples: ['/mlsd leaderboard teams', '/mlsd leaderboard teams month'],
      async run({ services, invocation, args, reply }) {
        await reply(await services.teams.teamBoard(invocation.place, args.period), { private: true });
      },
    }),
    streaks: subcommand({
      description: 'This channel’s longest current streaks, and yours',
      options: z.object({}),
      examples: ['/mlsd leaderboard streaks'],
      async run({ services, invocation, reply }) {
        await reply(await services.leaderboard.streakLeaderboard(invocation.place, invocation.actor), {
          private: true,
        });
      },
    }),
    'hide-me': subcommand({
      description: 'Leave public leaderboards (your own stats stay)',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        await reply(await services.leaderboard.setBoardVisibility(invocation.actor, true), { private: true });
      },
    }),
    'show-me': subcommand({
      description: 'Rejoin public leaderboards',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        await reply(await services.leaderboard.setBoardVisibility(invocation.actor, false), {
          private: true,
        });
      },
    }),
  },
});
