import { z } from 'zod';
import { defineJob } from '../src/kit.ts';
import { JOB } from '../src/services/jobs.ts';

export default defineJob({
  name: JOB.pairCheckin,
  queue: 'pairing',
  description: 'End of round: did it happen? Pauses members who ignore two rounds',
  data: z.object({ roundId: z.number().int().positive() }),
  async run({ data, services }) {
    await services.pairing.checkinRound(data.roundId);
  },
});
