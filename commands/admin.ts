import { z } from 'zod';
import {
  forgetCancelledText,
  forgetConfirmMessage,
  forgottenMessage,
  nothingToForgetText,
} from '../content/privacy-messages.ts';
import { adminOnly, defineCommand, subcommand, userOption } from '../src/kit.ts';

export default defineCommand({
  name: 'admin',
  description: 'Admins: delete the data of a member who has left this workspace',
  subcommands: {
    purge: subcommand({
      description: 'Admins: delete everything the bot holds about a member of this workspace (asks first)',
      options: z.object({
        member: userOption('Whose data goes: a mention, their user id, or their display name'),
      }),
      guards: [adminOnly],
      examples: ['/mlsd admin purge @alex'],
      async run({ services, invocation, args, reply }) {
        const preview = await services.privacy.purgePreview(invocation.actor, args.member);
        await reply(
          forgetConfirmMessage(preview.data, {
            subject: { self: false, userId: preview.userId },
            platform: invocation.platform,
            confirmId: `admin:purge:${preview.userId}:${invocation.actor.userId}:${preview.issuedAt}`,
            cancelId: 'admin:cancel',
          }),
        );
      },
    }),
  },
  buttons: {
    /** `admin:purge:<member's user id>:<admin's user id>:<issued at, ms>`: only that admin, still an admin. */
    async purge({ params, services, invocation, reply }) {
      const [userId = '', shownTo = '', issuedAt = ''] = params;
      const purged = await services.privacy.purgeMember(invocation.actor, {
        userId,
        shownTo,
        issuedAt: Number(issuedAt),
      });
      const subject = { self: false, userId } as const;
      await reply(
        purged
          ? forgottenMessage(purged, { subject, platform: invocation.platform })
          : nothingToForgetText(subject),
      );
    },
    async cancel({ reply }) {
      await reply(forgetCancelledText());
    },
  },
});
