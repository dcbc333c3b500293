import { ManualClock } from '../../src/core/clock.ts';

/** Where test clocks start unless a test says otherwise: a fixed date, never today's. */
export const TEST_EPOCH = new Date('2026-11-23T09:00:00Z');

/** A clock tests can move; the bot reads time only through it. */
export class TestClock extends ManualClock {
  constructor(start: Date = TEST_EPOCH) {
    super(start);
  }
}
