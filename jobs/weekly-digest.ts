import { z } from 'zod';
import { defineJob } from '../src/core/define.ts';

export default defineJob({
  name: 'weekly-digest',
  queue: 'daily',
  description: 'Sunday evening in the channel’s time zone: the week in review, posted once',
  data: z.object({ channelId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.digest.weeklyDigest(data.channelId);
  },
});
