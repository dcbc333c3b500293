import { z } from 'zod';
import { frameworkMessage } from '../content/messages.ts';
import { STEPS } from '../src/core/framework.ts';
import { defineCommand, subcommand } from '../src/kit.ts';

export default defineCommand({
  name: 'framework',
  description: 'The 7-step framework with time budgets, or one step in depth',
  subcommands: {
    show: subcommand({
      description: 'The 7-step framework with time budgets, or one step in depth',
      options: z.object({
        step: z
          .enum(STEPS, { error: `use one of: ${STEPS.join(', ')}` })
          .optional()
          .meta({ description: 'One step in depth (empty: all seven with time budgets)' }),
      }),
      examples: ['/mlsd framework', '/mlsd framework data'],
      async run({ services, args, reply }) {
        await reply(frameworkMessage(services.library.showFramework(args.step)));
      },
    }),
  },
});
