import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.pairNotice,
  queue: 'pairing',
  description: 'The day before a round: a notice to each opted-in member with a skip button',
  data: z.object({ channelId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.pairing.sendNotice(data.channelId);
  },
});
