import { describe, expect, it } from 'vitest';
import { feedbackProblems, ratingField } from '../../content/pairing-messages.ts';
import { FormError, UserError } from '../../src/core/errors.ts';
import { STEPS } from '../../src/core/framework.ts';
import { commandKit } from '../helpers/commands.ts';

const NEXT = 'Mon 30 Nov, 10:00 CET';

describe('/mlsd pair', () => {
  it('joins with level, topics and time zone in any order, or with nothing at all', async () => {
    const kit = await commandKit({
      pairing: {
        join: async (_place, _actor, input) => ({
          level: input.level ?? 'mid',
          topics: input.topics ?? [],
          timeZone: input.timezone,
          next: input.timezone ? NEXT : undefined,
        }),
      },
    });
    const full = await kit.run('pair join senior recsys,Ranking Europe/Berlin');
    expect(kit.calls[0]?.args[2]).toEqual({
      level: 'senior',
      topics: ['recsys', 'ranking'],
      timezone: 'Europe/Berlin',
    });
    expect(full.text).toBe(
      `You're in for mock interviews here as senior (topics: recsys, ranking), time zone Europe/Berlin. Next round: ${NEXT}.`,
    );
    expect(full.said[0]?.public).toBe(false);
    expect((await kit.run('pair join')).text).toBe(
      "You're in for mock interviews here as mid. No round is scheduled yet: an admin can run `/mlsd pair schedule weekly mon 10:00` or `/mlsd pair now`.",
    );
    const typed = await kit.runWithOptions('pair join', {
      level: 'staff',
      topics: 'ads',
      timezone: 'Asia/Kolkata',
    });
    expect(typed.text).toMatch(
      /^You're in for mock interviews here as staff \(topics: ads\), time zone Asia/,
    );
  });

  it('refuses a level, topic or time zone it does not know, naming the accepted values', async () => {
    const kit = await commandKit({});
    const level = await kit.run('pair join wizard');
    expect(level.outcome).toBe('refused');
    expect(level.text).toMatch(/use one of: junior, mid, senior, staff/);
    expect((await kit.run('pair join mid poetry')).text).toMatch(/use topics from: recsys, ranking/);
    expect((await kit.run('pair join mid recsys Mars/Olympus')).text).toMatch(/use an IANA time zone/);
    expect(kit.calls).toEqual([]);
  });

  it('leaves, and says so when there was nothing to leave', async () => {
    let opted = true;
    const kit = await commandKit({
      pairing: {
        leave: async () => {
          if (!opted) throw new UserError('not-opted-in', { action: 'leave' });
          opted = false;
        },
      },
    });
    expect((await kit.run('pair leave')).text).toBe(
      "You've left mock rounds here. Your history is kept; `/mlsd pair join` brings you back.",
    );
    const again = await kit.run('pair leave');
    expect(again.outcome).toBe('refused');
    expect(again.text).toBe("You weren't opted in here. Join with `/mlsd pair join`.");
  });

  it('pauses for a length or until a date, and refuses a bad value, a past date or a member not in', async () => {
    const kit = await commandKit({
      pairing: {
        pause: async (_place, actor, length) => {
          if ('date' in length && length.date < '2026-01-01') throw new UserError('pause-in-past');
          if (actor.userId === 'U9') throw new UserError('not-opted-in', { action: 'pause' });
          return { until: 'days' in length ? `in ${length.days} days` : length.date };
        },
      },
    });
    expect((await kit.run('pair pause 2w')).text).toBe(
      "Paused until in 14 days. You'll be back in the first round after that.",
    );
    expect((await kit.run('pair pause "3 weeks"')).text).toMatch(/^Paused until in 21 days\./);
    expect((await kit.run('pair pause 10d')).text).toMatch(/^Paused until in 10 days\./);
    expect((await kit.run('pair pause 2026-12-01')).text).toMatch(/^Paused until 2026-12-01\./);
    expect(kit.calls.map((call) => call.args[2])).toEqual([
      { days: 14 },
      { days: 21 },
      { days: 10 },
      { date: '2026-12-01' },
    ]);
    const bad = await kit.run('pair pause soon');
    expect(bad.outcome).toBe('refused');
    expect(bad.text).toMatch(/use a date like 2026-12-01 or a length like 2w or 10d/);
    expect((await kit.run('pair pause 2020-01-01')).text).toBe(
      'that date is in the past. Usage: `/mlsd pair pause <YYYY-MM-DD | 2w>`, for example `/mlsd pair pause 2w`.',
    );
    expect((await kit.run('pair pause 1w', { userId: 'U9' })).text).toBe(
      "You aren't opted in here. Join with `/mlsd pair join`.",
    );
  });

  it('shows status (the default): settings, next round, this round’s partner and the mocks so far', async () => {
    let opted = true;
    const kit = await commandKit({
      pairing: {
        status: async () =>
          opted
            ? {
                opted: { level: 'senior', topics: ['recsys'], pausedUntil: 'Tue 1 Dec, 00:00 CET' },
                next: { when: NEXT, cadence: 'weekly' },
                current: {
                  role: 'candidate',
                  partner: 'U2',
                  caseTitle: 'Ad click prediction',
                  status: 'pending',
                },
                mocks: { done: 1, total: 2 },
              }
            : { mocks: { done: 0, total: 0 } },
      },
    });
    expect((await kit.run('pair')).text).toBe(
      [
        'Opted in as senior, topics recsys, paused until Tue 1 Dec, 00:00 CET.',
        `Next round: ${NEXT} (weekly).`,
        'This round: candidate with <@U2> on "Ad click prediction" (pending).',
        'Mocks so far: 1 done of 2.',
      ].join('\n'),
    );
    opted = false;
    expect((await kit.run('pair status')).text).toBe(
      'Not opted in here (`/mlsd pair join`).\nNo rounds scheduled in this channel.\nMocks so far: 0 done of 0.',
    );
  });

  it('avoids and unavoids a mentioned member privately, refusing oneself and strangers', async () => {
    const kit = await commandKit({
      pairing: {
        avoid: async (_place, actor, userId, on) => {
          if (userId === actor.userId) throw new UserError('avoid-self');
          if (userId === 'U404')
            throw new UserError('avoid-unknown-member', { userId, subcommand: on ? 'avoid' : 'unavoid' });
        },
      },
    });
    const avoided = await kit.run('pair avoid <@U2|bo>');
    expect(avoided.text).toBe(
      "Done: you won't be paired with <@U2>. Only you can see this; they are never told.",
    );
    expect(avoided.said[0]?.public).toBe(false);
    expect(kit.calls[0]?.args.slice(2)).toEqual(['U2', true]);
    expect((await kit.run('pair unavoid <@U2>')).text).toBe('Done: <@U2> can be your partner again.');
    expect(kit.calls[1]?.args.slice(2)).toEqual(['U2', false]);
    expect((await kit.run('pair avoid <@U1|ana>')).text).toBe(
      "you can't avoid yourself. Usage: `/mlsd pair avoid @member`, for example `/mlsd pair avoid @alex`.",
    );
    expect((await kit.run('pair unavoid <@U404>')).text).toBe(
      "I don't know <@U404> in this workspace yet (they have to have used the bot). Usage: `/mlsd pair unavoid @member`.",
    );
  });

  it('lets only admins schedule rounds, parsing cadence, day and time', async () => {
    const kit = await commandKit({
      pairing: {
        setPairSchedule: async (_place, _actor, input) => ({
          cadence: input.cadence,
          day: input.day,
          time: input.time,
          zone: input.timezone ?? 'UTC',
          next: NEXT,
        }),
      },
    });
    const refused = await kit.run('pair schedule weekly mon 10:00');
    expect(refused.outcome).toBe('refused');
    expect(refused.text).toMatch(/^Only admins can use `\/mlsd pair schedule`/);
    expect(kit.calls).toEqual([]);
    const admin = { isPlatformAdmin: true };
    const set = await kit.run('pair schedule biweekly Thursday 9:30 Europe/Berlin', admin);
    expect(kit.calls[0]?.args[2]).toEqual({
      cadence: 'biweekly',
      day: 4,
      time: '09:30',
      timezone: 'Europe/Berlin',
    });
    expect(set.text).toBe(
      `Mock rounds here: biweekly on Thursday at 09:30 Europe/Berlin. Next round: ${NEXT}; opted-in members get a notice the day before.`,
    );
    expect((await kit.run('pair schedule weekly sun 17:00', admin)).text).toMatch(
      /^Mock rounds here: weekly on Sunday at 17:00 UTC\./,
    );
    expect((await kit.run('pair schedule monthly mon 10:00', admin)).text).toMatch(/use weekly or biweekly/);
    expect((await kit.run('pair schedule weekly someday 10:00', admin)).text).toMatch(
      /use a day like mon or thursday/,
    );
    expect((await kit.run('pair schedule weekly mon 25:00', admin)).text).toMatch(/use 24-hour HH:MM/);
    expect(kit.calls).toHaveLength(2);
  });

  it('turns scheduled rounds off and runs one now (admins), saying when a round was just started', async () => {
    let created = true;
    const kit = await commandKit(
      {
        pairing: {
          disablePairSchedule: async () => {},
          runNow: async () => ({
            created,
            groups: 1,
            unmatched: created ? 0 : 1,
            startedAt: 'Mon 23 Nov, 10:00 UTC',
          }),
        },
      },
      { admins: ['U1'] },
    );
    expect((await kit.run('pair off')).text).toBe(
      'Scheduled mock rounds are off here. `/mlsd pair now` still runs one on demand.',
    );
    expect((await kit.run('pair now')).text).toBe(
      'Round started: 1 group. Each group got a private conversation and the interviewer a guide.',
    );
    created = false;
    expect((await kit.run('pair now')).text).toBe(
      'A round was already started at Mon 23 Nov, 10:00 UTC (1 group, 1 without a partner (told privately)); not starting another.',
    );
    expect((await kit.run('pair now', { userId: 'U2' })).text).toMatch(/^Only admins can/);
  });

  it('answers the status buttons, opening the feedback form with Done', async () => {
    const kit = await commandKit({
      pairing: {
        pressStatus: async (actor, _pairingId, pressed) => {
          if (actor.userId === 'U9') throw new UserError('not-your-mock');
          if (pressed === 'done' && actor.userId === 'U2')
            return { kind: 'unchanged', status: 'done', form: { pairingId: 5, about: 'interviewer' } };
          if (pressed === 'done')
            return { kind: 'done', form: { pairingId: 5, about: 'candidate', name: 'Bo', afterDone: true } };
          return { kind: pressed === 'scheduled' ? 'scheduled' : pressed === 'notyet' ? 'notyet' : 'missed' };
        },
      },
    });
    const done = await kit.press('pair:status:5:done');
    expect(kit.calls[0]?.args.slice(1)).toEqual([5, 'done']);
    expect(done.text).toBe(
      'Marked done. Give your partner feedback in the form (or later, with the button).',
    );
    expect(done.forms[0]).toMatchObject({ id: 'pair:feedback:5', title: 'Mock done: your feedback' });
    expect(done.forms[0]?.fields.find((field) => field.id === 'strength')?.label).toBe('One strength of Bo');
    const again = await kit.press('pair:status:5:done', { userId: 'U2' });
    expect(again.text).toBe('Already marked done.');
    expect(again.forms[0]).toMatchObject({ title: 'Mock feedback' });
    expect(again.forms[0]?.fields.find((field) => field.id === 'strength')?.label).toBe(
      'One strength of your interviewer',
    );
    expect((await kit.press('pair:status:5:scheduled')).text).toBe('Marked scheduled. Good luck!');
    expect((await kit.press('pair:status:5:notyet')).text).toBe(
      "OK, it stays open: press Done when it's happened.",
    );
    const missed = await kit.press('pair:status:5:missed');
    expect(missed.text).toBe("Marked as couldn't meet. You stay in for the next round.");
    expect(missed.forms).toEqual([]);
    const stranger = await kit.press('pair:status:5:done', { userId: 'U9' });
    expect(stranger).toMatchObject({ outcome: 'refused', text: "That mock isn't one of yours.", forms: [] });
  });

  it('opens the feedback form from its button, unless it was given already', async () => {
    const kit = await commandKit({
      pairing: {
        feedbackFormFor: async (actor, pairingId) => {
          if (actor.userId === 'U2') throw new UserError('feedback-given');
          return { pairingId, about: 'candidate' };
        },
      },
    });
    const opened = await kit.press('pair:feedback:8');
    expect(opened.said).toEqual([]);
    expect(opened.forms[0]).toMatchObject({
      id: 'pair:feedback:8',
      title: 'Mock feedback',
      submitLabel: 'Send',
    });
    expect(opened.forms[0]?.fields.map((field) => field.id)).toEqual([
      ...STEPS.map(ratingField),
      'communication',
      'strength',
      'improve',
    ]);
    expect(opened.forms[0]?.fields[0]?.hint).toMatch(/^How well did the candidate handle /);
    const given = await kit.press('pair:feedback:8', { userId: 'U2' });
    expect(given.forms).toEqual([]);
    expect(given.text).toBe('Already received: thanks, your feedback for this mock is saved.');
  });

  it('takes the feedback form, showing problems at the fields and keeping what was typed', async () => {
    const kit = await commandKit({
      pairing: {
        submitFeedback: async (_actor, _pairingId, values) => {
          const problems = feedbackProblems(values);
          if (Object.keys(problems).length > 0) throw new FormError(problems);
          return { to: 'U2' };
        },
      },
    });
    const ratings = Object.fromEntries(STEPS.map((step) => [ratingField(step), '3']));
    const refused = await kit.submit('pair:feedback:8', {
      ...ratings,
      rating_data: '7',
      communication: '4',
      strength: 'Clear numbers up front.',
      improve: ' ',
    });
    expect(refused.outcome).toBe('refused');
    expect(refused.said).toEqual([]);
    expect(refused.rejected).toEqual({
      rating_data: 'Pick a rating from 1 to 4.',
      improve: 'Write one thing they could do better next time.',
    });
    const sent = await kit.submit('pair:feedback:8', {
      ...ratings,
      communication: '4',
      strength: 'Clear numbers up front.',
      improve: 'Budget time for serving.',
    });
    expect(sent).toMatchObject({ outcome: 'ok', text: 'Thanks: your feedback went to <@U2>.' });
    expect(sent.said[0]?.public).toBe(false);
    expect(kit.calls[1]?.args[1]).toBe(8);
  });

  it('skips a round from the notice button, and says when it has already started', async () => {
    const kit = await commandKit({
      pairing: {
        skipRound: async (_actor, _channelId, millis) => {
          if (millis < 1_000) throw new UserError('skip-too-late');
          return { date: new Date(millis).toISOString().slice(0, 10) };
        },
      },
    });
    const skipped = await kit.press(`pair:skip:3:${Date.parse('2026-12-14T10:00:00Z')}`);
    expect(skipped.text).toBe("OK: you'll sit out the round of 2026-12-14 and stay in for the next.");
    expect(kit.calls[0]?.args.slice(1)).toEqual([3, Date.parse('2026-12-14T10:00:00Z')]);
    expect((await kit.press('pair:skip:3:5')).text).toBe(
      'That round has already started, so there is nothing to skip.',
    );
  });
});
