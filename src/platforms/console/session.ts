import { createInterface } from 'node:readline';
import { DateTime } from 'luxon';
import type { Clock } from '../../core/clock.ts';
import type { InputSink } from '../../core/dispatch.ts';
import type {
  Actor,
  FormSpec,
  Invocation,
  OutMessage,
  Place,
  Replier,
  ReplyOptions,
} from '../../core/types.ts';
import type { ConsoleNotifier, Printer } from './notifier.ts';
import { formText } from './render.ts';

/**
 * The playground's platform adapter: lines typed in a terminal become invocations for the same dispatcher as
 * Slack and Discord, spoken by simulated members of one study channel; what the bot says is printed.
 */

export type Someone = { name: string; level: 'junior' | 'mid' | 'senior' | 'staff'; admin: boolean };
/** A user id in the playground: a simulated member's lower-case name. */
type Person = string;
const NAME = /^[a-z][a-z0-9_-]{0,19}$/;

const HELP = `Playground commands:
  /mlsd ...                 exactly what you would type in Slack or Discord (try /mlsd help)
  <any other text>          a reply in the thread of the latest daily post: your answer
  :as <name> <text>         speak as someone (a command, a reply, :click or :submit): ana, ben, cal,
                            or any new name, who joins #study as a member
  :click <button id>        press a button (ids are shown under each message)
  :press <label>            press a button of the latest message you got, by its label (:press Good)
  :submit <text>            fill in the open form (fields as a=... | b=... when it has several)
  :upvote <name>            react 👍 to that member's latest answer in the thread (+2 points to them)
  :clock +1d                move the virtual clock (+30m, +6h, +2d, +1w); due posts and jobs run
  /mlsd me export           your data as JSON, saved under the data dir's exports/ folder (the path is shown)
  :help                     this list`;

export type ConsoleSessionOptions = {
  dispatcher: InputSink;
  notifier: ConsoleNotifier;
  clock: Clock;
  /** Moves the virtual clock, running what comes due. */
  advanceTo(at: Date): Promise<void>;
  print: Printer;
  zone: string;
  workspaceId: string;
  channelId: string;
  people: Map<Person, Someone>;
  /** Someone new typed with `:as <name>` joins the channel (the composition root enrols them). */
  join(person: Person, someone: Someone): Promise<void>;
};

export class ConsoleSession {
  private sequence = 0;
  private readonly forms = new Map<Person, FormSpec>();
  /** The form each person submitted last, reopened with their values when it has a problem. */
  private readonly lastForms = new Map<Person, FormSpec>();
  /** Each person's latest thread reply (its message id), for :upvote. */
  private readonly replies = new Map<Person, string>();

  constructor(private readonly options: ConsoleSessionOptions) {}

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }

  private get print(): Printer {
    return this.options.print;
  }

  private place(): Place {
    const { workspaceId, channelId } = this.options;
    return { platform: 'console', workspaceId, channelId, channelName: channelId };
  }

  private someone(person: Person): Someone {
    return this.options.people.get(person) ?? { name: person, level: 'mid', admin: false };
  }

  private actor(person: Person): Actor {
    return {
      platform: 'console',
      workspaceId: this.options.workspaceId,
      userId: person,
      displayName: this.someone(person).name,
      isPlatformAdmin: this.someone(person).admin,
      // No time zone from the "platform": members start in the playground's and may change it.
    };
  }

  private others(): string {
    return [...this.options.people.keys()].filter((person) => person !== 'you').join(', ');
  }

  formatNow(): string {
    return DateTime.fromJSDate(this.options.clock.now(), { zone: this.options.zone }).toFormat(
      'ccc d LLL yyyy, HH:mm ZZZZ',
    );
  }

  /** `:as <new name>`: someone joins the channel, so a user can play out their own group. */
  private async addPerson(person: Person): Promise<void> {
    const someone: Someone = {
      name: person.charAt(0).toUpperCase() + person.slice(1),
      level: 'mid',
      admin: false,
    };
    this.options.people.set(person, someone);
    await this.options.join(person, someone);
    this.print(
      `👋 ${someone.name} joins #${this.options.channelId} as a new member (level mid, opted in to mock rounds). Speak as ${someone.name} with :as ${person} <text>.`,
    );
  }

  private replier(person: Person): Replier {
    const who = () => this.someone(person).name;
    return {
      reply: async (message: OutMessage | string, options: ReplyOptions = {}) => {
        const out = typeof message === 'string' ? { text: message } : message;
        const { text } = this.options.notifier.present(person, out);
        this.print(
          options.public
            ? `[#${this.options.channelId}] mlsd-bot:\n${text}\n`
            : `[only visible to ${who()}] mlsd-bot:\n${text}\n`,
        );
      },
      openForm: async (form: FormSpec) => {
        this.forms.set(person, form);
        this.print(`[only visible to ${who()}]\n${formText(form)}\n`);
      },
      // The form stays open with what was typed; :submit again with the fields fixed.
      rejectForm: async (problems: Record<string, string>, values: Record<string, string>) => {
        const form = this.lastForms.get(person);
        if (form)
          this.forms.set(person, {
            ...form,
            fields: form.fields.map((field) => ({ ...field, value: values[field.id] ?? field.value })),
          });
        const lines = Object.entries(problems).map(([field, problem]) => `  ${field}: ${problem}`);
        this.print(
          `[only visible to ${who()}] Not sent yet, the form is still open:\n${lines.join('\n')}\nFix those with :submit (the other fields keep what you typed).\n`,
        );
      },
    };
  }

  private invocation(
    person: Person,
    kind: Invocation['kind'],
    name: string,
    args: Invocation['args'],
    place = this.place(),
  ): Invocation {
    return {
      id: `console-${this.next()}`,
      kind,
      platform: 'console',
      place,
      actor: this.actor(person),
      name,
      args,
      receivedAt: this.options.clock.now(),
    };
  }

  private async dispatch(invocation: Invocation, person: Person): Promise<void> {
    await this.options.dispatcher.dispatch(invocation, this.replier(person));
  }

  /** Handles one line the person typed. */
  async handle(line: string, person: Person = 'you'): Promise<void> {
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    if (person === 'you') this.print(`> ${text}`);
    if (text === ':help') return this.print(HELP);
    const as = /^:as\s+(\S+)\s+([\s\S]+)$/.exec(text);
    if (as) {
      const name = (as[1] ?? '').replace(/^@/, '').toLowerCase();
      if (!NAME.test(name))
        return this.print(
          `"${as[1]}" can't be a member's name here: use letters and digits, starting with a letter (e.g. :as bob /mlsd daily).`,
        );
      if (!this.options.people.has(name)) await this.addPerson(name);
      this.print(`(${this.someone(name).name}) ${as[2]}`);
      return this.handle(as[2] ?? '', name);
    }
    if (/^:as\b/.test(text)) return this.print('Use :as <name> <text>, e.g. :as ana /mlsd stats.');
    const clock = /^:clock\s+\+?(\d+)\s*([mhdw])$/i.exec(text);
    if (clock) {
      const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
        (clock[2] ?? 'd').toLowerCase() as 'm'
      ];
      await this.options.advanceTo(new Date(this.options.clock.now().getTime() + Number(clock[1]) * unit));
      return this.print(`⏩ Virtual time: ${this.formatNow()}\n`);
    }
    if (text.startsWith(':clock')) return this.print('Use :clock +30m, +6h, +1d or +1w.');
    const click = /^:click\s+(\S+)$/.exec(text);
    if (click) return this.dispatch(this.invocation(person, 'button', click[1] ?? '', {}), person);
    const press = /^:press\s+(.+)$/.exec(text);
    if (press) {
      const label = (press[1] ?? '').trim().toLowerCase();
      const buttons = this.options.notifier.lastButtons.get(person) ?? [];
      const button = buttons.find((item) => item.id && item.label.toLowerCase() === label);
      if (!button?.id)
        return this.print(
          buttons.length
            ? `No button "${press[1]}" on your latest message. Buttons: ${buttons.map((item) => item.label).join(', ')}.`
            : 'No buttons on your latest message yet. Try /mlsd drill.',
        );
      return this.dispatch(this.invocation(person, 'button', button.id, {}), person);
    }
    const submit = /^:submit\s+([\s\S]+)$/.exec(text);
    if (submit) return this.submit(person, submit[1] ?? '');
    const upvote = /^:upvote\s+@?(\S+)$/i.exec(text);
    if (upvote) {
      const name = (upvote[1] ?? '').toLowerCase();
      if (!this.options.people.has(name))
        return this.print(
          `No member "${upvote[1]}" in #${this.options.channelId}. Members: ${this.others()}.`,
        );
      const messageId = this.replies.get(name);
      if (!messageId) return this.print(`${this.someone(name).name} has not replied in a daily thread yet.`);
      return this.dispatch(
        this.invocation(person, 'reaction', 'reaction', { emoji: '👍', messageId }),
        person,
      );
    }
    if (text.startsWith(':'))
      return this.print(`Unknown playground command "${text.split(/\s/)[0]}". Type :help.`);
    const command = /^\/mlsd\b\s*([\s\S]*)$/.exec(text);
    if (command) return this.dispatch(this.invocation(person, 'command', '', command[1] ?? ''), person);
    if (text.startsWith('/')) return this.print('Only /mlsd commands exist here. Try /mlsd help.');
    const thread = this.options.notifier.latestThread.get(this.options.channelId);
    if (!thread) return this.print('(No daily post to reply to yet: run /mlsd daily first, or :clock +1d.)');
    const invocation = this.invocation(
      person,
      'message',
      'message',
      {},
      { ...this.place(), threadId: thread },
    );
    invocation.args = { text, messageId: invocation.id };
    this.replies.set(person, invocation.id);
    return this.dispatch(invocation, person);
  }

  private async submit(person: Person, body: string): Promise<void> {
    const form = this.forms.get(person);
    if (!form)
      return this.print('No form is open. Press a button that opens one first (e.g. Submit answer).');
    this.forms.delete(person);
    this.lastForms.set(person, form);
    const typed: Record<string, string> =
      form.fields.length === 1
        ? { [form.fields[0]?.id ?? 'answer']: body }
        : Object.fromEntries(
            body.split('|').map((part) => {
              const at = part.indexOf('=');
              return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
            }),
          );
    // Fields not given again keep what was typed before (a form reopened after a problem).
    const values: Record<string, string> = {
      ...Object.fromEntries(form.fields.flatMap((field) => (field.value ? [[field.id, field.value]] : []))),
      ...typed,
    };
    return this.dispatch(this.invocation(person, 'form', form.id, values), person);
  }

  /** Reads lines until end of input, one at a time. */
  async run(input: NodeJS.ReadableStream): Promise<void> {
    const lines = createInterface({ input, terminal: false });
    for await (const line of lines) await this.handle(line);
  }
}
