import { z } from 'zod';
import { drillMessage, drillStatsMessage, recallForm, revealMessage } from '../content/study-messages.ts';
import { defineCommand, subcommand } from '../src/kit.ts';

/** Button and form ids carry `<item key>:<reps>[:<rating>]`; an item key itself holds colons. */
function itemParams(params: string[], trailing: number) {
  const reps = Number(params.at(-1 - trailing));
  return { key: params.slice(0, params.length - 1 - trailing).join(':'), reps };
}

export default defineCommand({
  name: 'drill',
  description: 'Spaced-repetition drill: recall cards and case steps from memory when they are due',
  default: 'next',
  subcommands: {
    next: subcommand({
      description: 'The next item due: a card to recall, or a case step to write from memory',
      options: z.object({}),
      examples: ['/mlsd drill'],
      async run({ services, invocation, reply }) {
        await reply(drillMessage(await services.drill.nextDrill(invocation.actor)));
      },
    }),
    stats: subcommand({
      description: 'Your retention over 30 days and what comes due this week',
      options: z.object({}),
      examples: ['/mlsd drill stats'],
      async run({ services, invocation, reply }) {
        await reply(drillStatsMessage(await services.drill.drillStats(invocation.actor)));
      },
    }),
  },
  buttons: {
    async start({ services, invocation, reply }) {
      await reply(drillMessage(await services.drill.nextDrill(invocation.actor)));
    },
    async reveal({ params, services, invocation, reply }) {
      const { key, reps } = itemParams(params, 0);
      await reply(revealMessage(await services.drill.revealDrill(invocation.actor, key, reps)));
    },
    async rate({ params, services, invocation, reply }) {
      const { key, reps } = itemParams(params, 1);
      const rating = Number(params.at(-1));
      if (rating !== 1 && rating !== 2 && rating !== 3 && rating !== 4) return;
      await reply(drillMessage(await services.drill.rateDrill(invocation.actor, key, reps, rating)));
    },
    async answer({ params, services, invocation, openForm }) {
      const { key, reps } = itemParams(params, 0);
      await openForm(recallForm(await services.drill.recallItem(invocation.actor, key, reps)));
    },
  },
  forms: {
    async recall({ params, values, services, invocation, reply }) {
      const { key, reps } = itemParams(params, 0);
      await reply(
        drillMessage(await services.drill.recallDrill(invocation.actor, key, reps, values.answer ?? '')),
      );
    },
  },
});
