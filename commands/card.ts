import { z } from 'zod';
import { cardMessage } from '../content/messages.ts';
import { defineCommand, subcommand } from '../src/kit.ts';

export default defineCommand({
  name: 'card',
  description: 'Show a trade-off card to recall (a random one without an id)',
  subcommands: {
    show: subcommand({
      description: 'Show a trade-off card to recall (a random one without an id)',
      options: z.object({
        id: z
          .string()
          .min(1)
          .optional()
          .meta({ description: 'Card id, e.g. pr-auc-vs-roc-auc (empty: a random card)' }),
      }),
      examples: ['/mlsd card pr-auc-vs-roc-auc', '/mlsd card'],
      async run({ services, args, reply }) {
        await reply(cardMessage(services.library.showCard(args.id)));
      },
    }),
  },
});
