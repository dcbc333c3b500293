// `npm run bench [name...]`: prints figures and ratios beside their targets; nothing here is asserted.
import { benchCalibration } from './calibration.ts';
import { benchFanout, benchLoad } from './fanout.ts';
import { benchGrading } from './grading.ts';
import { benchLeaderboard } from './leaderboard.ts';
import { benchMatching } from './matching.ts';
import { benchSlackAck } from './slack-ack.ts';
import { benchStudy } from './study.ts';

const all = {
  grading: benchGrading,
  calibration: benchCalibration,
  matching: benchMatching,
  leaderboard: benchLeaderboard,
  'slack-ack': benchSlackAck,
  study: benchStudy,
  fanout: benchFanout,
  load: benchLoad,
} as const;
const only = process.argv.slice(2).filter((name): name is keyof typeof all => name in all);

for (const name of only.length > 0 ? only : (Object.keys(all) as Array<keyof typeof all>)) {
  await all[name]();
}
process.exit(0);
