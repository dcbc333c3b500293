import { z } from 'zod';
import { homeMessage, statsMessage } from '../content/stats-messages.ts';
import { defineCommand, subcommand, userOption } from '../src/kit.ts';

export default defineCommand({
  name: 'stats',
  description: 'Your (or a member’s) answers, coverage per step, mocks, streak and rank',
  subcommands: {
    show: subcommand({
      description: 'Your (or a member’s) answers, coverage per step, mocks, streak and rank',
      options: z.object({ member: userOption('Whose stats (default: yours)').optional() }),
      examples: ['/mlsd stats', '/mlsd stats @ana'],
      async run({ services, invocation, args, reply }) {
        await reply(
          statsMessage(await services.stats.memberStats(invocation.place, invocation.actor, args.member)),
        );
      },
    }),
  },
  on: {
    /** The platform's home surface (Slack's App Home): what /mlsd stats shows, and this week's boards. */
    async home({ services, invocation, reply }) {
      await reply(homeMessage(await services.stats.homeView(invocation.actor)));
    },
  },
});
