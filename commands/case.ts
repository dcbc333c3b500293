import { z } from 'zod';
import { caseMessage } from '../content/messages.ts';
import { defineCommand, subcommand } from '../src/kit.ts';

export default defineCommand({
  name: 'case',
  description: 'Show a case study’s prompt (never its reference), or list them all',
  subcommands: {
    show: subcommand({
      description: 'Show a case study’s prompt (never its reference), or list them all',
      options: z.object({
        id: z
          .string()
          .min(1)
          .optional()
          .meta({ description: 'Case id, e.g. ad-click-prediction (empty: list all)' }),
      }),
      examples: ['/mlsd case ad-click-prediction', '/mlsd case'],
      async run({ services, args, reply }) {
        await reply(caseMessage(services.library.showCase(args.id)));
      },
    }),
  },
});
