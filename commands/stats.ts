import { z } from 'zod';
import { userOption } from '../src/core/args.ts';
import { defineCommand, subcommand } from '../src/core/define.ts';

export default defineCommand({
  name: 'stats',
  description: 'Your (or a member’s) answers, coverage per step, mocks, streak and rank',
  subcommands: {
    show: subcommand({
      description: 'Your (or a member’s) answers, coverage per step, mocks, streak and rank',
      options: z.object({ member: userOption('Whose stats (default: yours)').optional() }),
      examples: ['/mlsd stats', '/mlsd stats @ana'],
      async run({ services, invocation, args, reply }) {
        await reply(await services.stats.memberStats(invocation.place, invocation.actor, args.member), {
          private: true,
        });
      },
    }),
  },
});
