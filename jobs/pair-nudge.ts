import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.pairNudge,
  queue: 'pairing',
  description: 'Mid-round: nudges groups where nobody has pressed anything',
  data: z.object({ roundId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.pairing.nudgeRound(data.roundId);
  },
});
