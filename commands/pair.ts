import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  avoidText,
  feedbackSentText,
  mockFeedbackForm,
  pairJoinedText,
  pairLeftText,
  pairPausedText,
  pairScheduleOffText,
  pairScheduleText,
  pairStatusText,
  roundSkippedText,
  roundStartText,
  statusPressText,
} from '../content/pairing-messages.ts';
import {
  adminOnly,
  defineCommand,
  subcommand,
  tagListOption,
  timeZoneOption,
  userOption,
} from '../src/kit.ts';
import { LEVELS } from '../src/services/pairing/index.ts';
import { parseDays, TIME_PATTERN } from '../src/services/schedule.ts';

const level = z
  .enum(LEVELS, { error: `use one of: ${LEVELS.join(', ')}` })
  .optional()
  .meta({ description: 'Your level: junior, mid, senior or staff' });

const topics = tagListOption('topics', 'Comma-separated topics you want to practise, e.g. recsys,ranking');

const timezone = timeZoneOption('Your IANA time zone, e.g. Europe/Berlin');

const member = userOption('The member (mention them)');

/** "2026-12-01", "2w", "3 weeks", "10d": when a pause ends. */
const until = z
  .string()
  .min(1)
  .transform((value, context) => {
    const relative = /^(\d{1,2})\s*(w|wk|wks|week|weeks|d|day|days)$/i.exec(value.trim());
    if (relative) {
      const amount = Number(relative[1]);
      return { days: relative[2]?.toLowerCase().startsWith('w') ? amount * 7 : amount };
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) && DateTime.fromISO(value.trim()).isValid)
      return { date: value.trim() };
    context.addIssue({ code: 'custom', message: 'use a date like 2026-12-01 or a length like 2w or 10d' });
    return z.NEVER;
  })
  .meta({ description: 'Until a date (2026-12-01) or for a while (2w, 10d)' });

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export default defineCommand({
  name: 'pair',
  description: 'Peer mock interviews: opt in, see your partner, schedule rounds',
  default: 'status',
  subcommands: {
    join: subcommand({
      description: 'Opt in to this channel’s mock rounds (or update your settings)',
      options: z.object({ level, topics, timezone }),
      examples: ['/mlsd pair join senior recsys,ranking Europe/Berlin', '/mlsd pair join'],
      async run({ services, invocation, args, reply }) {
        await reply(pairJoinedText(await services.pairing.join(invocation.place, invocation.actor, args)));
      },
    }),
    leave: subcommand({
      description: 'Stop taking part in mock rounds here',
      options: z.object({}),
      async run({ services, invocation, reply }) {
        await services.pairing.leave(invocation.place, invocation.actor);
        await reply(pairLeftText());
      },
    }),
    pause: subcommand({
      description: 'Sit out rounds until a date or for a while',
      options: z.object({ until }),
      examples: ['/mlsd pair pause 2w', '/mlsd pair pause 2026-12-01'],
      async run({ services, invocation, args, reply }) {
        await reply(
          pairPausedText(await services.pairing.pause(invocation.place, invocation.actor, args.until)),
        );
      },
    }),
    status: subcommand({
      description: 'Your next round, current partner and history',
      options: z.object({}),
      examples: ['/mlsd pair status'],
      async run({ services, invocation, reply }) {
        await reply(pairStatusText(await services.pairing.status(invocation.place, invocation.actor)));
      },
    }),
    avoid: subcommand({
      description: 'Never be paired with someone (private: they are never told)',
      options: z.object({ member }),
      examples: ['/mlsd pair avoid @alex'],
      async run({ services, invocation, args, reply }) {
        await services.pairing.avoid(invocation.place, invocation.actor, args.member, true);
        await reply(avoidText(args.member, true));
      },
    }),
    unavoid: subcommand({
      description: 'Allow someone as a partner again',
      options: z.object({ member }),
      examples: ['/mlsd pair unavoid @alex'],
      async run({ services, invocation, args, reply }) {
        await services.pairing.avoid(invocation.place, invocation.actor, args.member, false);
        await reply(avoidText(args.member, false));
      },
    }),
    schedule: subcommand({
      description: 'Run rounds weekly or every other week at a local time (admins)',
      options: z.object({
        cadence: z
          .enum(['weekly', 'biweekly'], { error: 'use weekly or biweekly' })
          .meta({ description: 'weekly or biweekly' }),
        day: z
          .string()
          .transform((value) => value.trim().toLowerCase().slice(0, 3))
          .pipe(z.enum(DAY_NAMES, { error: 'use a day like mon or thursday' }))
          .meta({ description: 'Day of the round: mon ... sun' }),
        time: z
          .string()
          .regex(TIME_PATTERN, 'use 24-hour HH:MM, e.g. 10:00')
          .meta({ description: 'Local time, HH:MM' }),
        timezone,
      }),
      guards: [adminOnly],
      examples: [
        '/mlsd pair schedule weekly mon 10:00 Europe/Berlin',
        '/mlsd pair schedule biweekly thu 17:30',
      ],
      async run({ services, invocation, args, reply }) {
        const day = parseDays(args.day)?.[0] ?? 1;
        const schedule = await services.pairing.setPairSchedule(invocation.place, invocation.actor, {
          cadence: args.cadence,
          day,
          time: args.time.padStart(5, '0'),
          timezone: args.timezone,
        });
        await reply(pairScheduleText(schedule));
      },
    }),
    off: subcommand({
      description: 'Stop scheduled mock rounds here (admins)',
      options: z.object({}),
      guards: [adminOnly],
      async run({ services, invocation, reply }) {
        await services.pairing.disablePairSchedule(invocation.place);
        await reply(pairScheduleOffText());
      },
    }),
    now: subcommand({
      description: 'Run a round now, with or without a schedule (admins)',
      options: z.object({}),
      guards: [adminOnly],
      examples: ['/mlsd pair now'],
      async run({ services, invocation, reply }) {
        await reply(roundStartText(await services.pairing.runNow(invocation.place)));
      },
    }),
  },
  buttons: {
    async status({ params, services, invocation, reply, openForm }) {
      const press = await services.pairing.pressStatus(invocation.actor, Number(params[0]), params[1] ?? '');
      // Done opens the feedback form straight away (a form has to be the first answer to a press).
      if ('form' in press && press.form) await openForm(mockFeedbackForm(press.form));
      await reply(statusPressText(press));
    },
    async feedback({ params, services, invocation, openForm }) {
      await openForm(
        mockFeedbackForm(await services.pairing.feedbackFormFor(invocation.actor, Number(params[0]))),
      );
    },
    async skip({ params, services, invocation, reply }) {
      await reply(
        roundSkippedText(
          await services.pairing.skipRound(invocation.actor, Number(params[0]), Number(params[1])),
        ),
      );
    },
  },
  forms: {
    async feedback({ params, values, services, invocation, reply }) {
      await reply(
        feedbackSentText(await services.pairing.submitFeedback(invocation.actor, Number(params[0]), values)),
      );
    },
  },
});
