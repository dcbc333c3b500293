import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseFreeText, parseOptions, tokenize, usageOf, userOption } from '../../src/core/args.ts';
import { toDiscordOptions } from '../../src/platforms/discord/options.ts';
import { DAYS_PATTERN, isTimeZone, TIME_PATTERN } from '../../src/services/schedule.ts';

const schedule = z.object({
  time: z.string().regex(TIME_PATTERN).meta({ description: 'HH:MM' }),
  timezone: z.string().refine(isTimeZone).optional().meta({ description: 'IANA zone' }),
  days: z.string().regex(DAYS_PATTERN).optional().meta({ description: 'days' }),
});

describe('parseFreeText', () => {
  it('parses positional words in order', () => {
    expect(parseFreeText(schedule, '09:00 Europe/Berlin mon-fri')).toMatchObject({
      ok: true,
      value: { time: '09:00', timezone: 'Europe/Berlin', days: 'mon-fri' },
    });
  });

  it('skips an optional option the word does not fit', () => {
    expect(parseFreeText(schedule, '18:30 daily')).toMatchObject({
      ok: true,
      value: { time: '18:30', days: 'daily' },
    });
  });

  it('accepts named words in any order', () => {
    expect(parseFreeText(schedule, 'days:mon,wed timezone=Asia/Tokyo 07:15')).toMatchObject({
      ok: true,
      value: { time: '07:15', timezone: 'Asia/Tokyo', days: 'mon,wed' },
    });
  });

  it('reports which word is wrong', () => {
    const result = parseFreeText(schedule, '9am');
    expect(result).toEqual({ ok: false, problem: '"9am" is not a valid time' });
  });

  it('reports a missing required option', () => {
    const result = parseFreeText(schedule, '');
    expect(result.ok).toBe(false);
  });

  it('reads Slack and Discord mentions as user ids', () => {
    const schema = z.object({ member: userOption('who') });
    expect(parseFreeText(schema, '<@U123ABC|ana>')).toMatchObject({ ok: true, value: { member: 'U123ABC' } });
    expect(parseFreeText(schema, '<@!4242>')).toMatchObject({ ok: true, value: { member: '4242' } });
  });

  it('keeps quoted phrases together', () => {
    expect(tokenize('create "Team Rocket" now')).toEqual(['create', 'Team Rocket', 'now']);
  });
});

describe('parseOptions', () => {
  it('applies defaults and rejects bad values with the option name', () => {
    const schema = z.object({ period: z.enum(['week', 'month', 'all']).default('week') });
    expect(parseOptions(schema, {})).toMatchObject({ ok: true, value: { period: 'week' } });
    const bad = parseOptions(schema, { period: 'year' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/^period:/);
  });
});

describe('toDiscordOptions', () => {
  it('maps zod types to Discord option types, required first, with choices and descriptions', () => {
    const schema = z.object({
      period: z.enum(['week', 'month']).default('week').meta({ description: 'the period' }),
      count: z.number().int().min(1).max(10).meta({ description: 'how many' }),
      member: userOption('who'),
    });
    expect(toDiscordOptions(schema)).toEqual([
      { type: 4, name: 'count', description: 'how many', required: true, min_value: 1, max_value: 10 },
      { type: 6, name: 'member', description: 'who', required: true },
      {
        type: 3,
        name: 'period',
        description: 'the period',
        required: false,
        choices: [
          { name: 'week', value: 'week' },
          { name: 'month', value: 'month' },
        ],
      },
    ]);
  });

  it('writes a usage line with required and optional options', () => {
    expect(usageOf(schedule)).toBe('<time> [timezone] [days]');
  });
});
