import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.planMorning,
  queue: 'daily',
  description:
    'Every few minutes: the morning plan DM of each member whose local morning time has come, once a day',
  data: z.object({}).loose(),
  async run({ services, log }) {
    const sent = await services.plan.sendMornings();
    if (sent > 0) log.info({ sent }, 'morning plan DMs sent');
  },
});
