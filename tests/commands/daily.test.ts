import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { commandKit } from '../helpers/commands.ts';
import { studyContent } from '../helpers/library.ts';

const study = studyContent().cases.get('ad-click-prediction');
if (!study) throw new Error('the ad click case is missing');

const prompt = (closed: boolean) => ({
  id: 7,
  title: study.title,
  closed,
  closesAt: 'Tue 24 Nov, 09:00',
  answer: closed ? 'my first answer' : undefined,
  probes: { serving: 'How fresh must the features be?' },
});

describe('/mlsd daily', () => {
  it('points to today’s thread, at most once every 3 seconds per person', async () => {
    const kit = await commandKit({
      daily: {
        showToday: async () => ({
          title: 'Ad click prediction',
          deadline: 'Tue 09:00',
          closed: false,
          link: 'https://x/p1',
        }),
      },
    });
    expect((await kit.run('daily')).text).toBe(
      "Today's case is *Ad click prediction*. Answer in <https://x/p1|the thread> before Tue 09:00.",
    );
    expect((await kit.run('daily')).text).toMatch(/you can run `\/mlsd daily show` again in 3 s/);
    kit.clock.advance(3_000);
    expect((await kit.run('daily', { userId: 'U2' })).outcome).toBe('ok');
    expect((await kit.run('daily')).outcome).toBe('ok');
  });

  it('lets only admins schedule, and parses time, zone, days and deadline in any order', async () => {
    const kit = await commandKit({
      daily: {
        setSchedule: async (_place, _actor, input) => ({
          time: input.time,
          zone: input.timezone ?? 'UTC',
          days: input.days ?? 'mon-fri',
          next: 'Wed 25 Nov, 09:00',
          deadlineHours: input.deadline ?? 24,
        }),
      },
    });
    const refused = await kit.run('daily schedule 09:00 Europe/Berlin');
    expect(refused.outcome).toBe('refused');
    expect(refused.text).toMatch(/^Only admins can use `\/mlsd daily schedule`: workspace admins and owners/);
    expect(kit.calls).toEqual([]);
    const set = await kit.run('daily schedule 9:30 Europe/Berlin daily deadline:12', {
      isPlatformAdmin: true,
    });
    expect(kit.calls[0]?.args[2]).toEqual({
      time: '09:30',
      timezone: 'Europe/Berlin',
      days: 'daily',
      deadline: 12,
    });
    expect(set.text).toBe(
      'Daily case scheduled: 09:30 Europe/Berlin, daily. Answers close after 12 h. Next post: Wed 25 Nov, 09:00.',
    );
    const bad = await kit.run('daily schedule 25:00', { isPlatformAdmin: true });
    expect(bad.text).toMatch(/"25:00" is not a valid time: use 24-hour HH:MM/);
  });

  it('sets the filter, the mode and turns posts off (admins), refusing a filter that leaves no case', async () => {
    const kit = await commandKit(
      {
        daily: {
          setFilter: async (_place, input) => {
            if (input.tags?.includes('nlp')) throw new UserError('no-cases');
            return {
              difficulties: input.difficulty ?? [],
              tags: input.tags ?? [],
              cases: ['Ad click prediction'],
            };
          },
          setMode: async () => {},
          disableSchedule: async () => {},
        },
      },
      { admins: ['U1'] },
    );
    expect((await kit.run('daily filter difficulty:1-2 tags:recsys,ads')).text).toBe(
      'Daily cases here: difficulty 1, 2, tags recsys, ads. 1 case studies match: Ad click prediction.',
    );
    expect((await kit.run('daily filter tags:nlp')).text).toMatch(
      /No case study matches this channel’s filter/,
    );
    expect((await kit.run('daily filter tags:poetry')).text).toMatch(/use tags from: /);
    expect((await kit.run('daily mode focus')).text).toMatch(/now focus drills: one framework step/);
    expect((await kit.run('daily off')).text).toMatch(/Daily case posts are off for this channel/);
  });

  it('opens the answer form before the deadline and the revision form after it', async () => {
    let closed = false;
    const kit = await commandKit({ daily: { findPromptForForm: async () => prompt(closed) } });
    const open = await kit.press('daily:answer:7');
    expect(open.forms[0]).toMatchObject({ id: 'daily:answer:7', title: 'Your answer' });
    closed = true;
    const revise = await kit.press('daily:answer:7');
    expect(revise.forms[0]).toMatchObject({ title: 'Revise your answer' });
    expect(revise.forms[0]?.fields[0]?.value).toBe('my first answer');
    const followUp = await kit.press('daily:followup:7:serving');
    expect(followUp.forms[0]?.fields[0]?.hint).toBe('How fresh must the features be?');
  });

  it('says a prompt is gone when its button outlives it', async () => {
    const kit = await commandKit({ daily: { findPromptForForm: async () => undefined } });
    expect((await kit.press('daily:answer:99')).text).toMatch(/That daily prompt no longer exists/);
    expect((await kit.press('daily:followup:7:nonsense')).text).toMatch(/no longer exists/);
  });

  it('grades a form answer privately, keeps a refused one in the form, and answers a double submit once', async () => {
    const kit = await commandKit({
      answers: {
        answerByForm: async (_promptId, input) => {
          if (input.text.length > 20)
            throw new UserError('answer-too-long', { length: input.text.length }, 'answer');
          return input.messageId.endsWith('again')
            ? { kind: 'duplicate' }
            : { kind: 'graded', feedback: { text: 'Score 72/100' } };
        },
      },
    });
    const graded = await kit.submit('daily:answer:7', { answer: 'a short answer' });
    expect(graded).toMatchObject({ outcome: 'ok', text: 'Score 72/100' });
    expect(graded.said[0]?.public).toBe(false);
    const long = await kit.submit('daily:answer:7', { answer: 'x'.repeat(30) });
    expect(long.said).toEqual([]);
    expect(long.rejected?.answer).toMatch(/Your answer is 30 characters; the limit is 8,000/);
    expect((await kit.submit('daily:answer:7', { answer: 'ok' }, {}, 'again')).text).toBe(
      'Already received: your answer is saved.',
    );
    expect(kit.calls[0]?.args[0]).toBe(7);
  });

  it('grades a reply in a prompt’s thread, and ignores replies elsewhere', async () => {
    const kit = await commandKit({
      answers: {
        answerInThread: async (place) =>
          place.threadId === 'P1'
            ? { kind: 'graded', feedback: { text: 'Score 55/100' } }
            : { kind: 'not-an-answer' },
      },
    });
    expect((await kit.say('my answer', 'P1')).text).toBe('Score 55/100');
    expect((await kit.say('chit chat', 'OTHER')).said).toEqual([]);
    expect(kit.calls[0]?.args[1]).toMatchObject({ text: 'my answer', source: 'thread' });
  });

  it('counts a 👍 on an answer and names its author', async () => {
    const kit = await commandKit({
      upvotes: {
        upvoteAnswer: async (input) =>
          input.messageId === 'A1'
            ? { outcome: 'counted', author: 'Bo', points: 2 }
            : { outcome: 'not-an-answer' },
      },
    });
    expect((await kit.react('👍', 'A1')).text).toBe('👍 counted: Bo earns 2 points.');
    expect((await kit.react('👍', 'Q9')).said).toEqual([]);
  });
});
