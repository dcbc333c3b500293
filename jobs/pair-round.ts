import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.pairRound,
  queue: 'pairing',
  description:
    'A channel’s scheduled pairing round: match, create groups in one transaction, notify each once',
  data: z.object({ channelId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.pairing.runRound(data.channelId);
  },
});
