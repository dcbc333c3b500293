import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.dailyPost,
  queue: 'daily',
  description: 'Posts a channel’s daily case study (fired by its job scheduler, in the channel’s time zone)',
  data: z.object({ channelId: z.number().int().positive() }),
  async run({ data, services, log }) {
    const { prompt, posted } = await services.daily.postDaily(data.channelId);
    if (!posted) log.info({ prompt: prompt.id }, 'already posted for this local date');
  },
});
