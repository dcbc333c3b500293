import type { webApi } from '@slack/bolt';
import type { FormSpec, OutMessage, Place, Replier, ReplyOptions } from '../../core/types.ts';
import type { SlackNotifier } from './notifier.ts';
import { toSlackMessage, toSlackModal } from './render.ts';

/** Answers the person behind a Slack slash command, button or modal. */
export class SlackReplier implements Replier {
  constructor(
    private readonly notifier: SlackNotifier,
    private readonly client: webApi.WebClient,
    private readonly place: Place,
    private readonly userId: string,
    private readonly triggerId?: string,
    /** For a modal submission not yet acknowledged: answers it with errors, keeping the modal open. */
    private readonly keepOpenWithErrors?: (errors: Record<string, string>) => Promise<boolean>,
  ) {}

  async rejectForm(problems: Record<string, string>): Promise<void> {
    if (await this.keepOpenWithErrors?.(problems)) return;
    // Too late to keep the modal open (the handler took too long): say it in a message instead.
    await this.reply({
      text: `Not sent yet:\n${Object.values(problems)
        .map((problem) => `• ${problem}`)
        .join('\n')}`,
    });
  }

  async reply(message: OutMessage | string, options: ReplyOptions = {}): Promise<void> {
    const out = typeof message === 'string' ? { text: message } : message;
    if (options.public) await this.notifier.post(this.place, out);
    else await this.notifier.tellPrivately(this.place, this.userId, out);
  }

  async openForm(form: FormSpec): Promise<void> {
    if (!this.triggerId) throw new Error('a form needs a trigger_id');
    await this.client.views.open({
      trigger_id: this.triggerId,
      view: toSlackModal(form, {
        channelId: this.place.channelId,
        threadId: this.place.threadId ?? '',
      }) as never,
    });
  }
}

/** A reaction has nowhere to answer: what its handler says is not shown. */
export const SILENT: Replier = {
  reply: async () => {},
  openForm: async () => {},
  rejectForm: async () => {},
};

/** The App Home: the reply is the view, published to the person's Home tab. */
export function homeReplier(client: webApi.WebClient, userId: string): Replier {
  return {
    ...SILENT,
    reply: async (message) => {
      const rendered = toSlackMessage(typeof message === 'string' ? { text: message } : message);
      await client.views.publish({
        user_id: userId,
        view: {
          type: 'home',
          blocks: (rendered.blocks ?? [
            { type: 'section', text: { type: 'mrkdwn', text: rendered.text } },
          ]) as never,
        },
      });
    },
  };
}
