import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.dailySweep,
  queue: 'daily',
  description:
    'Every few minutes: closes overdue prompts whose close-out job was lost, forgets old deliveries',
  data: z.object({}).loose(),
  async run({ services, log }) {
    const closed = await services.daily.sweepOverdue();
    await services.maintenance.pruneDeliveries();
    if (closed > 0) log.info({ closed }, 'closed overdue prompts');
  },
});
