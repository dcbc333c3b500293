import { z } from 'zod';
import { teamCreatedText, teamJoinedText, teamLeftText } from '../content/board-messages.ts';
import { defineCommand, subcommand } from '../src/kit.ts';

const name = z
  .string()
  .trim()
  .min(2, 'a team name has 2 to 40 characters')
  .max(40, 'a team name has 2 to 40 characters')
  // Names are shown to everyone: no markup, mentions or links, only words.
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} .'&+-]*$/u, "a team name uses letters, digits, spaces and . ' & + -")
  .meta({ description: 'Team name (quote it if it has spaces)' });

export default defineCommand({
  name: 'team',
  description: 'Teams for the team leaderboard: create, join, leave',
  subcommands: {
    create: subcommand({
      description: 'Create a team in this workspace and join it',
      options: z.object({ name }),
      examples: ['/mlsd team create "Gradient Descenders"'],
      async run({ services, invocation, args, reply }) {
        await reply(teamCreatedText(await services.teams.create(invocation.actor, args.name)));
      },
    }),
    join: subcommand({
      description: 'Join a team (leaving your current one)',
      options: z.object({ name }),
      examples: ['/mlsd team join "Gradient Descenders"'],
      async run({ services, invocation, args, reply }) {
        await reply(teamJoinedText(await services.teams.join(invocation.actor, args.name)));
      },
    }),
    leave: subcommand({
      description: 'Leave your team',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        await reply(teamLeftText(await services.teams.leave(invocation.actor)));
      },
    }),
  },
});
