import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../content/study-messages.ts';
import { UserError } from '../../src/core/errors.ts';
import { commandKit } from '../helpers/commands.ts';

const view = (overrides: Partial<PlanView> = {}): PlanView => ({
  interviewDate: '2026-12-20',
  daysLeft: 27,
  level: 'senior',
  morningTime: '08:00',
  zone: 'Europe/Berlin',
  phase: 'learn',
  day: 1,
  shape: { learn: 3, drill: 7, mock: 17, fit: 'repeated', passes: 2 },
  due: 25,
  unseen: 25,
  ...overrides,
});

describe('/mlsd plan', () => {
  it('sets a plan from a date and a level, and says how it fits the days left', async () => {
    const kit = await commandKit({ plan: { setPlan: async () => ({ view: view(), set: true }) } });
    const set = await kit.run('plan 2026-12-20 senior');
    expect(kit.calls[0]?.args[2]).toEqual({ date: '2026-12-20', level: 'senior' });
    expect(set.text).toMatch(/^Plan set: interview on 2026-12-20, 27 days to go, day 1/);
    expect(set.text).toMatch(/27 days leaves room to repeat/);
    expect(set.text).toMatch(/every morning at 08:00 \(Europe\/Berlin\)/);
  });

  it('shows the plan without a date, and names the compressed plan', async () => {
    const kit = await commandKit({
      plan: {
        setPlan: async () => ({
          view: view({ daysLeft: 5, shape: { learn: 1, drill: 2, mock: 2, fit: 'compressed', passes: 1 } }),
          set: false,
        }),
      },
    });
    const shown = await kit.run('plan');
    expect(kit.calls[0]?.args[2]).toEqual({});
    expect(shown.text).toMatch(/^Your plan:/);
    expect(shown.text).toMatch(/less than the usual 10 before mocks, so the plan is compressed/);
  });

  it('refuses a date that is not one, and says what to type', async () => {
    const kit = await commandKit({});
    expect((await kit.run('plan 20/12/2026')).text).toMatch(/use the interview date like 2026-12-20/);
    expect((await kit.run('plan 2026-02-30')).text).toMatch(/use a real date/);
    expect((await kit.run('plan 2026-12-20 principal')).text).toMatch(
      /use one of: junior, mid, senior, staff/,
    );
    expect(kit.calls).toEqual([]);
  });

  it('moves the morning time and turns the plan off, refusing when there is none', async () => {
    const kit = await commandKit({
      plan: {
        movePlanTime: async (_actor, time) => ({ time, zone: 'America/New_York' }),
        removePlan: async () => {
          throw new UserError('no-plan');
        },
      },
    });
    expect((await kit.run('plan time 7:30')).text).toMatch(/now comes at 07:30 \(America\/New_York\)/);
    expect((await kit.run('plan time 25:00')).text).toMatch(/use 24-hour HH:MM/);
    expect((await kit.run('plan off')).text).toMatch(
      /You have no plan yet\. Set one with your interview date/,
    );
  });

  it('joins the peer mocks from the morning DM’s button', async () => {
    const kit = await commandKit({
      plan: { joinMocks: async () => ({ level: 'mid', topics: [], timeZone: null, next: undefined }) },
    });
    const joined = await kit.press('plan:join:7');
    expect(kit.calls[0]?.args[1]).toBe(7);
    expect(joined.text).toMatch(/You're in for mock interviews/);
  });
});
