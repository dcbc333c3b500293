import { LogLevel } from '@slack/bolt';

/** A Bolt logger that says nothing (the benchmarks' bare Bolt apps). */
export const quietBoltLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};
