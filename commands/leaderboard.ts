import { z } from 'zod';
import {
  boardVisibilityText,
  leaderboardMessage,
  streakBoardMessage,
  teamBoardMessage,
} from '../content/board-messages.ts';
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
        const view = await services.leaderboard.channelLeaderboard(
          invocation.place,
          invocation.actor,
          args.period,
        );
        await reply(leaderboardMessage(view));
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
        await reply(teamBoardMessage(await services.teams.teamBoard(invocation.place, args.period)));
      },
    }),
    streaks: subcommand({
      description: 'This channel’s longest current streaks, and yours',
      options: z.object({}),
      examples: ['/mlsd leaderboard streaks'],
      async run({ services, invocation, reply }) {
        await reply(
          streakBoardMessage(
            await services.leaderboard.streakLeaderboard(invocation.place, invocation.actor),
          ),
        );
      },
    }),
    'hide-me': subcommand({
      description: 'Leave public leaderboards (your own stats stay)',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        const { hidden } = await services.leaderboard.setBoardVisibility(invocation.actor, true);
        await reply(boardVisibilityText(hidden));
      },
    }),
    'show-me': subcommand({
      description: 'Rejoin public leaderboards',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        const { hidden } = await services.leaderboard.setBoardVisibility(invocation.actor, false);
        await reply(boardVisibilityText(hidden));
      },
    }),
  },
});
