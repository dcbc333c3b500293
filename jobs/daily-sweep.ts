import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.dailySweep,
  queue: 'daily',
  description:
    'Every few minutes: posts missed daily prompts, closes overdue ones whose close-out was lost, forgets old deliveries',
  data: z.object({}).loose(),
  async run({ services, log }) {
    const posted = await services.daily.catchUpPosts();
    const closed = await services.daily.sweepOverdue();
    await services.maintenance.pruneDeliveries();
    if (posted > 0 || closed > 0) log.info({ posted, closed }, 'caught up missed daily work');
  },
});
