/**
 * The clock guard: with MLSD_TEST_WALL_CLOCK_SHIFT_DAYS set (CI runs the suite at +2,500 and -2,500 days),
 * the wall clock this test process sees is moved that far. The bot reads time only through its injected
 * Clock and tests give it fixed dates, so every test must pass whatever today's date is; a test or a line
 * of product code that reads the real date fails here instead of on some future calendar day.
 */
const shiftDays = Number(process.env.MLSD_TEST_WALL_CLOCK_SHIFT_DAYS ?? 0);

if (Number.isFinite(shiftDays) && shiftDays !== 0) {
  const offset = shiftDays * 86_400_000;
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
