import { z } from 'zod';
import {
  exportNothingText,
  exportSentText,
  forgetCancelledText,
  forgetConfirmMessage,
  forgottenMessage,
  nothingToForgetText,
} from '../content/privacy-messages.ts';
import { cooldown, defineCommand, subcommand } from '../src/kit.ts';

const SELF = { self: true } as const;

export default defineCommand({
  name: 'me',
  description: 'Your own data here: a copy of everything the bot holds about you, or forget it all',
  subcommands: {
    export: subcommand({
      description: 'Everything the bot holds about you here, as a JSON file sent to you privately',
      options: z.object({}),
      guards: [cooldown(30_000)],
      examples: ['/mlsd me export'],
      async run({ services, invocation, reply }) {
        const sent = await services.privacy.exportMyData(invocation.actor);
        if (sent.kind === 'nothing') await reply(exportNothingText());
        else if (sent.kind === 'sent') await reply(exportSentText(sent.view));
        else await reply({ text: exportSentText(sent.view), file: sent.file });
      },
    }),
    forget: subcommand({
      description: 'Delete everything the bot holds about you here (asks first; export a copy before)',
      options: z.object({}),
      examples: ['/mlsd me forget'],
      async run({ services, invocation, reply }) {
        const preview = await services.privacy.forgetPreview(invocation.actor);
        if (!preview) {
          await reply(nothingToForgetText(SELF));
          return;
        }
        await reply(
          forgetConfirmMessage(preview.data, {
            subject: SELF,
            platform: invocation.platform,
            confirmId: `me:forget:${invocation.actor.userId}:${preview.issuedAt}`,
            cancelId: 'me:cancel',
          }),
        );
      },
    }),
  },
  buttons: {
    /** `me:forget:<user id>:<issued at, ms>`: only that member, within the confirmation's minutes. */
    async forget({ params, services, invocation, reply }) {
      const [userId = '', issuedAt = ''] = params;
      const forgotten = await services.privacy.forgetMe(invocation.actor, {
        userId,
        issuedAt: Number(issuedAt),
      });
      await reply(
        forgotten
          ? forgottenMessage(forgotten, { subject: SELF, platform: invocation.platform })
          : nothingToForgetText(SELF),
      );
    },
    async cancel({ reply }) {
      await reply(forgetCancelledText());
    },
  },
});
