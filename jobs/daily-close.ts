import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.dailyClose,
  queue: 'daily',
  description: 'At a prompt’s deadline: posts the reference outline, the best answers and the weakest step',
  data: z.object({ promptId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.daily.closeDaily(data.promptId);
  },
});
