import { DateTime } from 'luxon';
import { z } from 'zod';
import { pairJoinedText } from '../content/pairing-messages.ts';
import { planMessage, planOffText, planTimeText } from '../content/study-messages.ts';
import { defineCommand, subcommand } from '../src/kit.ts';
import { LEVELS } from '../src/services/pairing/index.ts';
import { TIME_PATTERN } from '../src/services/schedule.ts';

const date = z
  .string()
  .trim()
  .regex(
    /^(\d{4}-\d{2}-\d{2}|\d{1,3}\s*(d|w))$/i,
    'use the interview date like 2026-12-20, or how far away it is like 14d or 3w',
  )
  .refine(
    (value) => !/^\d{4}/.test(value) || DateTime.fromISO(value).isValid,
    'use a real date like 2026-12-20',
  )
  .optional()
  .meta({ description: 'Your interview date, YYYY-MM-DD, or how far away: 14d, 3w (empty: show your plan)' });

const level = z
  .enum(LEVELS, { error: `use one of: ${LEVELS.join(', ')}` })
  .optional()
  .meta({ description: 'The level you interview for: junior, mid, senior or staff' });

export default defineCommand({
  name: 'plan',
  description: 'A dated study plan to your interview: learn, drill from memory, then mocks',
  default: 'set',
  subcommands: {
    set: subcommand({
      description: 'Plan to an interview date (your time zone); without a date, show your plan',
      options: z.object({ date, level }),
      examples: ['/mlsd plan 2026-12-20 senior', '/mlsd plan 3w', '/mlsd plan'],
      async run({ services, invocation, args, reply }) {
        const { view, set } = await services.plan.setPlan(invocation.place, invocation.actor, args);
        await reply(planMessage(view, set));
      },
    }),
    show: subcommand({
      description: 'Your plan: days to go, phase, what is due',
      options: z.object({}),
      examples: ['/mlsd plan show'],
      async run({ services, invocation, reply }) {
        await reply(planMessage(await services.plan.showPlan(invocation.actor)));
      },
    }),
    time: subcommand({
      description: 'When your morning DM comes, local time (default 08:00)',
      options: z.object({
        time: z
          .string()
          .regex(TIME_PATTERN, 'use 24-hour HH:MM, e.g. 07:30')
          .transform((value) => value.padStart(5, '0'))
          .meta({ description: 'Local time, HH:MM' }),
      }),
      examples: ['/mlsd plan time 07:30'],
      async run({ services, invocation, args, reply }) {
        const moved = await services.plan.movePlanTime(invocation.actor, args.time);
        await reply(planTimeText(moved.time, moved.zone));
      },
    }),
    off: subcommand({
      description: 'Remove your plan (no more morning DMs)',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        await services.plan.removePlan(invocation.actor);
        await reply(planOffText());
      },
    }),
  },
  buttons: {
    /** The morning DM's button in the mock phase: join the rounds where the plan was made. */
    async join({ params, services, invocation, reply }) {
      await reply(pairJoinedText(await services.plan.joinMocks(invocation.actor, Number(params[0]))));
    },
  },
});
