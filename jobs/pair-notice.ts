import { z } from 'zod';
import { defineJob } from '../src/core/define.ts';

export default defineJob({
  name: 'pair-notice',
  queue: 'pairing',
  description: 'The day before a round: a notice to each opted-in member with a skip button',
  data: z.object({ channelId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.pairing.sendNotice(data.channelId);
  },
});
