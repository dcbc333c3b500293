/**
 * The one source of time. Every adapter, service, query and job reads the time through the `Clock` the
 * composition root injects, so the playground's virtual clock and the tests' fixed clocks are obeyed
 * everywhere, and no behaviour depends on the real calendar date. This module and the composition root are
 * the only places that read the wall clock (a test keeps it that way).
 */
export type Clock = {
  now(): Date;
};

/** The wall clock, for production. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to: tests and the playground. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date) {
    this.current = new Date(start);
  }

  now = (): Date => new Date(this.current);

  set(at: Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
