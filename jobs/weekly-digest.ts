import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.weeklyDigest,
  queue: 'daily',
  description: 'Sunday evening in the channel’s time zone: the week in review, posted once',
  data: z.object({ channelId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.digest.weeklyDigest(data.channelId);
  },
});
