import { z } from 'zod';
import { timeZoneText } from '../content/stats-messages.ts';
import { defineCommand, subcommand, timeZoneOption } from '../src/kit.ts';

export default defineCommand({
  name: 'timezone',
  description: 'Show or set your time zone: your streak days and mock times follow it',
  subcommands: {
    show: subcommand({
      description: 'Show or set your time zone: your streak days and mock times follow it',
      options: z.object({ zone: timeZoneOption('Your IANA time zone, e.g. Asia/Tokyo (empty: show it)') }),
      examples: ['/mlsd timezone', '/mlsd timezone Asia/Tokyo'],
      async run({ services, invocation, args, reply }) {
        const view = await services.members.memberTimeZone(invocation.place, invocation.actor, args.zone);
        await reply(timeZoneText(view));
      },
    }),
  },
});
