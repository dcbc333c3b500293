import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.dailySweep,
  queue: 'daily',
  description:
    'Every few minutes: posts missed daily prompts, closes overdue ones whose close-out was lost, forgets old deliveries, deletes the data of workspaces gone longer than the retention period',
  data: z.object({}).loose(),
  async run({ services, log }) {
    const posted = await services.daily.catchUpPosts();
    const closed = await services.daily.sweepOverdue();
    await services.maintenance.pruneDeliveries();
    const purged = await services.workspaces.purgeDeparted();
    if (purged > 0) log.info({ purged }, 'deleted the data of workspaces that left');
    if (posted > 0 || closed > 0) log.info({ posted, closed }, 'caught up missed daily work');
  },
});
