import { z } from 'zod';
import { answerForm, userErrorText } from '../content/messages.ts';
import { adminOnly, cooldown, defineCommand, subcommand } from '../src/core/define.ts';
import { DAYS_PATTERN, isTimeZone, parseDays, TIME_PATTERN } from '../src/services/schedule.ts';

const time = z
  .string()
  .regex(TIME_PATTERN, 'use 24-hour HH:MM, e.g. 09:00')
  .transform((value) => value.padStart(5, '0'))
  .meta({ description: 'Local time to post, 24-hour HH:MM (e.g. 09:00)' });

const timezone = z
  .string()
  .refine(isTimeZone, 'use an IANA time zone such as Europe/Berlin or America/New_York')
  .optional()
  .meta({ description: 'IANA time zone, e.g. Europe/Berlin (default: yours, or the channel’s)' });

const days = z
  .string()
  .regex(DAYS_PATTERN, 'use days like mon-fri, mon,wed,fri or daily')
  .refine((value) => parseDays(value) !== undefined, 'use days like mon-fri, mon,wed,fri or daily')
  .optional()
  .meta({ description: 'Days to post: mon-fri (default), daily, or a list like mon,wed,fri' });

export default defineCommand({
  name: 'daily',
  description: 'Today’s case study for this channel, and its schedule',
  default: 'show',
  subcommands: {
    show: subcommand({
      description: 'Show today’s case (posting it now if the channel has none yet)',
      options: z.object({}),
      guards: [cooldown(3_000)],
      examples: ['/mlsd daily'],
      async run({ services, invocation, reply }) {
        await reply(await services.daily.showToday(invocation.place), { private: true });
      },
    }),
    schedule: subcommand({
      description: 'Post a case here every day at a local time (admins)',
      options: z.object({ time, timezone, days }),
      guards: [adminOnly],
      examples: ['/mlsd daily schedule 09:00 Europe/Berlin mon-fri', '/mlsd daily schedule 18:30 daily'],
      async run({ services, invocation, args, reply }) {
        await reply(await services.daily.setSchedule(invocation.place, invocation.actor, args), {
          private: true,
        });
      },
    }),
    off: subcommand({
      description: 'Stop the daily posts in this channel (admins)',
      options: z.object({}),
      guards: [adminOnly],
      examples: ['/mlsd daily off'],
      async run({ services, invocation, reply }) {
        await reply(await services.daily.disableSchedule(invocation.place), { private: true });
      },
    }),
  },
  buttons: {
    async answer({ params, openForm, services, reply }) {
      const promptId = Number(params[0]);
      const prompt = Number.isInteger(promptId)
        ? await services.daily.findPromptForForm(promptId)
        : undefined;
      if (!prompt) {
        await reply(userErrorText('prompt-not-found', {}), { private: true });
        return;
      }
      if (prompt.closed) {
        await reply(userErrorText('prompt-closed', { closedAt: prompt.closesAt }), { private: true });
        return;
      }
      await openForm(answerForm(promptId, prompt.title));
    },
  },
  forms: {
    async answer({ params, values, services, invocation, reply }) {
      const outcome = await services.answers.answerByForm(Number(params[0]), {
        actor: invocation.actor,
        messageId: `form:${invocation.id}`,
        text: values.answer ?? '',
        sentAt: invocation.receivedAt,
        source: 'form',
      });
      if ('feedback' in outcome) await reply(outcome.feedback, { private: true });
      else await reply('Already received: your answer is saved.', { private: true });
    },
  },
});
