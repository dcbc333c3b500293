import { z } from 'zod';
import { clarifyingFacts } from '../content/grading-messages.ts';
import {
  alreadyReceivedText,
  answerForm,
  filterSet,
  followUpForm,
  modeSet,
  revisionForm,
  scheduleOff,
  scheduleSet,
  todayPointer,
  upvoteText,
} from '../content/messages.ts';
import { TAGS } from '../content/schema.ts';
import { UserError } from '../src/core/errors.ts';
import { STEPS } from '../src/core/framework.ts';
import { adminOnly, cooldown, defineCommand, subcommand, tagListOption, timeZoneOption } from '../src/kit.ts';
import { DAYS_PATTERN, parseDays, TIME_PATTERN } from '../src/services/schedule.ts';

const time = z
  .string()
  .regex(TIME_PATTERN, 'use 24-hour HH:MM, e.g. 09:00')
  .transform((value) => value.padStart(5, '0'))
  .meta({ description: 'Local time to post, 24-hour HH:MM (e.g. 09:00)' });

const timezone = timeZoneOption('IANA time zone, e.g. Europe/Berlin (default: yours, or the channel’s)');

const days = z
  .string()
  .regex(DAYS_PATTERN, 'use days like mon-fri, mon,wed,fri or daily')
  .refine((value) => parseDays(value) !== undefined, 'use days like mon-fri, mon,wed,fri or daily')
  .optional()
  .meta({ description: 'Days to post: mon-fri (default), daily, or a list like mon,wed,fri' });

const deadline = z.coerce
  .number()
  .int()
  .min(1, 'the deadline is 1 to 72 hours after the post')
  .max(72, 'the deadline is 1 to 72 hours after the post')
  .optional()
  .meta({ description: 'Hours after the post that answers close (default 24)' });

const difficulty = z
  .string()
  .regex(/^[1-3](\s*[-,]\s*[1-3])*$/, 'use difficulties 1 (easy) to 3 (hard), e.g. 1-2 or 2,3')
  .transform((value) => {
    const [from, to] = value.split('-').map((part) => Number(part.trim()));
    if (to !== undefined && from !== undefined)
      return [1, 2, 3].filter((level) => level >= from && level <= to);
    return value.split(',').map((part) => Number(part.trim()));
  })
  .optional()
  .meta({ description: 'Difficulties to draw from: 1 easy, 2 medium, 3 hard (e.g. 1-2)' });

const tags = tagListOption('tags', `Comma-separated tags, e.g. recsys,ranking (${TAGS.length} tags)`);

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
        await reply(todayPointer(await services.daily.showToday(invocation.place)));
      },
    }),
    facts: subcommand({
      description: 'The clarifying facts of today’s case: the numbers an interviewer gives when asked',
      options: z.object({}),
      examples: ['/mlsd daily facts'],
      async run({ services, invocation, reply }) {
        await reply(clarifyingFacts(await services.daily.todayFacts(invocation.place)));
      },
    }),
    schedule: subcommand({
      description: 'Post a case here every day at a local time (admins)',
      options: z.object({ time, timezone, days, deadline }),
      guards: [adminOnly],
      examples: ['/mlsd daily schedule 09:00 Europe/Berlin mon-fri', '/mlsd daily schedule 18:30 daily'],
      async run({ services, invocation, args, reply }) {
        await reply(scheduleSet(await services.daily.setSchedule(invocation.place, invocation.actor, args)));
      },
    }),
    filter: subcommand({
      description: 'Limit this channel’s cases by difficulty and tags; no options clears it (admins)',
      options: z.object({ difficulty, tags }),
      guards: [adminOnly],
      examples: ['/mlsd daily filter tags:recsys,ranking', '/mlsd daily filter difficulty:1-2'],
      async run({ services, invocation, args, reply }) {
        await reply(filterSet(await services.daily.setFilter(invocation.place, args)));
      },
    }),
    mode: subcommand({
      description: 'Whole cases, one-step focus drills, or both (default: mixed) (admins)',
      options: z.object({
        mode: z.enum(['full', 'focus', 'mixed']).meta({
          description: 'full: whole cases; focus: one step a day; mixed: whole cases first, then both',
        }),
      }),
      guards: [adminOnly],
      examples: ['/mlsd daily mode mixed', '/mlsd daily mode focus'],
      async run({ services, invocation, args, reply }) {
        await services.daily.setMode(invocation.place, args.mode);
        await reply(modeSet(args.mode));
      },
    }),
    off: subcommand({
      description: 'Stop the daily posts in this channel (admins)',
      options: z.object({}),
      guards: [adminOnly],
      examples: ['/mlsd daily off'],
      async run({ services, invocation, reply }) {
        await services.daily.disableSchedule(invocation.place);
        await reply(scheduleOff());
      },
    }),
  },
  buttons: {
    /** The daily post's answer button; after the deadline it opens a revision, starting from the answer. */
    async answer({ params, openForm, services, invocation }) {
      const promptId = Number(params[0]);
      const prompt = Number.isInteger(promptId)
        ? await services.daily.findPromptForForm(promptId, invocation.actor)
        : undefined;
      if (!prompt) throw new UserError('prompt-not-found');
      await openForm(
        prompt.closed
          ? revisionForm(promptId, prompt.title, prompt.answer)
          : answerForm(promptId, prompt.title),
      );
    },
    /** The case's clarifying facts, privately: what a candidate would be told by asking. */
    async facts({ params, services, invocation, reply }) {
      await reply(clarifyingFacts(await services.daily.promptFacts(Number(params[0]), invocation.actor)));
    },
    /** The follow-up question of the feedback, answered in a form; graded as a revision of that step. */
    async followup({ params, openForm, services, invocation }) {
      const promptId = Number(params[0]);
      const step = STEPS.find((key) => key === params[1]);
      const prompt = step ? await services.daily.findPromptForForm(promptId, invocation.actor) : undefined;
      if (!prompt || !step) throw new UserError('prompt-not-found');
      await openForm(followUpForm(promptId, step, prompt.probes[step]));
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
      await reply('feedback' in outcome ? outcome.feedback : alreadyReceivedText());
    },
    async followup({ params, values, services, invocation, reply }) {
      const step = STEPS.find((key) => key === params[1]);
      const outcome = await services.answers.answerByForm(Number(params[0]), {
        actor: invocation.actor,
        messageId: `form:${invocation.id}`,
        text: values.answer ?? '',
        sentAt: invocation.receivedAt,
        source: 'form',
        step,
      });
      await reply('feedback' in outcome ? outcome.feedback : alreadyReceivedText());
    },
  },
  on: {
    /** A reply in a prompt's thread is an answer (or, after the deadline, a revision), graded privately. */
    async message({ services, invocation, message, reply }) {
      const outcome = await services.answers.answerInThread(invocation.place, {
        actor: invocation.actor,
        messageId: message.messageId,
        text: message.text,
        sentAt: invocation.receivedAt,
        source: 'thread',
      });
      if ('feedback' in outcome) await reply(outcome.feedback);
    },
    /** A 👍 on a daily answer in its thread is an upvote for its author. */
    async reaction({ services, invocation, reaction, reply, log }) {
      const upvote = await services.upvotes.upvoteAnswer({
        voter: invocation.actor,
        channelId: invocation.place.channelId,
        messageId: reaction.messageId,
      });
      if (upvote.outcome === 'not-an-answer') return;
      log.info({ message: reaction.messageId, outcome: upvote.outcome }, 'upvote');
      await reply(upvoteText(upvote.outcome, upvote));
    },
  },
});
