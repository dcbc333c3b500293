import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { Bot } from '../../app.ts';
import type { Config } from '../../config.ts';
import type {
  Actor,
  FormSpec,
  Invocation,
  OutMessage,
  Place,
  Replier,
  ReplyOptions,
} from '../../core/types.ts';
import type { Database } from '../../db/client.ts';
import { findChannelByKey, updateChannel } from '../../db/queries/channels.ts';
import { listWorkspaceMembers, upsertMember } from '../../db/queries/members.ts';
import { upsertPairMember } from '../../db/queries/pairing.ts';
import { InProcessScheduler, VirtualClock } from '../../scheduler/in-process.ts';
import { POINTS } from '../../services/points.ts';
import { ConsoleNotifier, type Printer } from './notifier.ts';
import { formText, toConsoleText } from './render.ts';

const WORKSPACE = 'playground';
const CHANNEL = 'study';
type Someone = { name: string; level: 'junior' | 'mid' | 'senior' | 'staff'; admin: boolean };
/** Simulated members at the start: you (an admin) and three study-group peers; `:as <new name>` adds more. */
const STARTING_PEOPLE: Record<string, Someone> = {
  you: { name: 'you', level: 'senior', admin: true },
  ana: { name: 'Ana', level: 'mid', admin: false },
  ben: { name: 'Ben', level: 'senior', admin: false },
  cal: { name: 'Cal', level: 'junior', admin: false },
};
/** A user id in the playground: a simulated member's lower-case name. */
type Person = string;
const NAME = /^[a-z][a-z0-9_-]{0,19}$/;

const HELP = `Playground commands:
  /mlsd ...                 exactly what you would type in Slack or Discord (try /mlsd help)
  <any other text>          a reply in the thread of the latest daily post: your answer
  :as <name> <text>         speak as someone (a command, a reply, :click or :submit): ana, ben, cal,
                            or any new name, who joins #study as a member
  :click <button id>        press a button (ids are shown under each message)
  :submit <text>            fill in the open form (fields as a=... | b=... when it has several)
  :upvote <name>            react 👍 to that member's latest answer in the thread (+2 points to them)
  :clock +1d                move the virtual clock (+30m, +6h, +2d, +1w); due posts and jobs run
  :help                     this list`;

const UPVOTE_TEXT = {
  counted: `👍 counted: {name} earns ${POINTS.upvote} points.`,
  capped: '👍 noted, but that answer has all the upvotes that earn points already.',
  own: 'Your own answer: upvotes only count from others.',
  already: 'You upvoted that answer already.',
  'not-an-answer': 'That reply is not a graded answer (it may have been too late or too long).',
  failed: 'The upvote could not be recorded; see the log.',
} as const;

/** The terminal playground: one study channel with simulated members, on the same core as Slack and Discord. */
export class Playground {
  private sequence = 0;

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }
  private readonly forms = new Map<Person, FormSpec>();
  /** The form each person submitted last, reopened with their values when it has a problem. */
  private readonly lastForms = new Map<Person, FormSpec>();
  /** Each person's latest thread reply (its message id), for :upvote. */
  private readonly replies = new Map<Person, string>();
  private readonly people: Map<Person, Someone>;

  private constructor(
    readonly bot: Bot,
    private readonly clock: VirtualClock,
    private readonly scheduler: InProcessScheduler,
    private readonly notifier: ConsoleNotifier,
    private readonly print: Printer,
    private readonly zone: string,
    people: Map<Person, Someone>,
  ) {
    this.people = people;
  }

  static async start(options: {
    config: Config;
    log: Logger;
    fresh: boolean;
    print?: Printer;
    /** Where the virtual clock starts (the composition root passes the wall clock's now). */
    now: Date;
    database?: Database;
  }): Promise<Playground> {
    const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
    if (options.fresh && !options.config.DATABASE_URL) {
      rmSync(join(options.config.MLSD_DATA_DIR, 'pglite'), { recursive: true, force: true });
    }
    const clock = new VirtualClock(options.now);
    const scheduler = new InProcessScheduler(clock, options.log);
    const people = new Map(Object.entries(STARTING_PEOPLE));
    const names = (userId: string) => people.get(userId)?.name ?? userId;
    const notifier = new ConsoleNotifier(print, names);
    const bot = await Bot.create({
      config: { ...options.config, SLACK_BOT_TOKEN: undefined, DISCORD_TOKEN: undefined },
      log: options.log,
      scheduler,
      clock,
      notifiers: [notifier],
      ...(options.database ? { database: options.database } : {}),
    });
    const zone =
      options.config.MLSD_DEFAULT_TIME_ZONE !== 'UTC'
        ? options.config.MLSD_DEFAULT_TIME_ZONE
        : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const playground = new Playground(bot, clock, scheduler, notifier, print, zone, people);
    await playground.setUp();
    await bot.start({ platforms: false, workers: true, http: false });
    return playground;
  }

  private place(): Place {
    return { platform: 'console', workspaceId: WORKSPACE, channelId: CHANNEL, channelName: CHANNEL };
  }

  private actor(person: Person): Actor {
    return {
      platform: 'console',
      workspaceId: WORKSPACE,
      userId: person,
      displayName: this.someone(person).name,
      isPlatformAdmin: this.someone(person).admin,
      // No time zone from the "platform": members start in the playground's (set up below) and may change it.
    };
  }

  /** A daily schedule and a weekly pairing round already set, and everyone opted in, so a week shows it all. */
  private async setUp(): Promise<void> {
    const db = this.bot.database.db;
    const channel = await this.bot.services.members.ensureChannel(this.place());
    const existing = await findChannelByKey(db, {
      platform: 'console',
      workspaceId: WORKSPACE,
      channelId: CHANNEL,
    });
    if (
      existing &&
      !existing.dailyEnabled &&
      !existing.pairEnabled &&
      existing.createdAt.getTime() === existing.updatedAt.getTime()
    ) {
      await updateChannel(
        db,
        channel.id,
        {
          timeZone: this.zone,
          dailyEnabled: true,
          dailyTime: '09:00',
          dailyDays: 'daily',
          pairEnabled: true,
          pairCadence: 'weekly',
          pairDay: 1,
          pairTime: '10:00',
          pairTimeZone: this.zone,
        },
        this.clock.now(),
      );
      for (const person of this.people.keys()) await this.enrol(person, channel.id);
    }
    // Members added with `:as <new name>` in an earlier session are still in the channel.
    for (const member of await listWorkspaceMembers(db, { platform: 'console', workspaceId: WORKSPACE })) {
      if (!this.people.has(member.userId))
        this.people.set(member.userId, { name: member.displayName, level: 'mid', admin: false });
    }
  }

  private someone(person: Person): Someone {
    return this.people.get(person) ?? { name: person, level: 'mid', admin: false };
  }

  /** Makes someone a member of #study, opted in to mock rounds like everyone else here. */
  private async enrol(person: Person, channelId: number): Promise<void> {
    const db = this.bot.database.db;
    const someone = this.someone(person);
    const member = await upsertMember(db, {
      platform: 'console',
      workspaceId: WORKSPACE,
      userId: person,
      displayName: someone.name,
      timeZone: this.zone,
    });
    await upsertPairMember(db, {
      channelId,
      memberId: member.id,
      level: someone.level,
      topics: [],
      timeZone: this.zone,
    });
  }

  /** `:as <new name>`: someone joins the channel, so a user can play out their own group. */
  private async addPerson(person: Person): Promise<void> {
    const name = person.charAt(0).toUpperCase() + person.slice(1);
    this.people.set(person, { name, level: 'mid', admin: false });
    const channel = await this.bot.services.members.ensureChannel(this.place());
    await this.enrol(person, channel.id);
    this.print(
      `👋 ${name} joins #${CHANNEL} as a new member (level mid, opted in to mock rounds). Speak as ${name} with :as ${person} <text>.`,
    );
  }

  private others(): string {
    return [...this.people.keys()].filter((person) => person !== 'you').join(', ');
  }

  banner(): string {
    return `mlsd-bot playground: a study channel #${CHANNEL} in your terminal, with you (an admin) and Ana, Ben and Cal.
It runs the same commands, jobs and services as Slack and Discord, on an in-process scheduler with a virtual
clock and embedded PGlite (state is kept in ${this.bot.options.config.MLSD_DATA_DIR}/; start with --fresh to reset).
A daily case posts at 09:00 and a mock round runs Mondays at 10:00 (${this.zone}). Try:
  /mlsd daily        then type your answer as a plain line
  :clock +1d         to let a day pass (close-out, next post, pairing, reminders)
To connect a real workspace, set SLACK_BOT_TOKEN (+ SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) and/or
DISCORD_TOKEN and run npm start again (see README: Connect Slack, Connect Discord).
Type :help for the playground commands. Virtual time: ${this.formatNow()}
`;
  }

  private formatNow(): string {
    return DateTime.fromJSDate(this.clock.now(), { zone: this.zone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
  }

  private replier(person: Person, _place: Place): Replier {
    return {
      reply: async (message: OutMessage | string, options: ReplyOptions = {}) => {
        const out = typeof message === 'string' ? { text: message } : message;
        const text = toConsoleText(out, this.notifier.names);
        this.print(
          options.private
            ? `[only visible to ${this.someone(person).name}] mlsd-bot:\n${text}\n`
            : `[#${CHANNEL}] mlsd-bot:\n${text}\n`,
        );
      },
      openForm: async (form: FormSpec) => {
        this.forms.set(person, form);
        this.print(`[only visible to ${this.someone(person).name}]\n${formText(form)}\n`);
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
          `[only visible to ${this.someone(person).name}] Not sent yet, the form is still open:\n${lines.join('\n')}\nFix those with :submit (the other fields keep what you typed).\n`,
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
      receivedAt: this.clock.now(),
    };
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
      if (!this.people.has(name)) await this.addPerson(name);
      this.print(`(${this.someone(name).name}) ${as[2]}`);
      return this.handle(as[2] ?? '', name);
    }
    if (/^:as\b/.test(text)) return this.print('Use :as <name> <text>, e.g. :as ana /mlsd stats.');
    const clock = /^:clock\s+\+?(\d+)\s*([mhdw])$/i.exec(text);
    if (clock) {
      const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
        (clock[2] ?? 'd').toLowerCase() as 'm'
      ];
      await this.scheduler.advanceTo(new Date(this.clock.now().getTime() + Number(clock[1]) * unit));
      return this.print(`⏩ Virtual time: ${this.formatNow()}\n`);
    }
    if (text.startsWith(':clock')) return this.print('Use :clock +30m, +6h, +1d or +1w.');
    const click = /^:click\s+(\S+)$/.exec(text);
    if (click) {
      const id = click[1] ?? '';
      return this.bot.dispatcher.dispatch(
        this.invocation(person, 'button', id, {}),
        this.replier(person, this.place()),
      );
    }
    const submit = /^:submit\s+([\s\S]+)$/.exec(text);
    if (submit) {
      const form = this.forms.get(person);
      if (!form)
        return this.print('No form is open. Press a button that opens one first (e.g. Submit answer).');
      this.forms.delete(person);
      this.lastForms.set(person, form);
      const body = submit[1] ?? '';
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
      return this.bot.dispatcher.dispatch(
        this.invocation(person, 'form', form.id, values),
        this.replier(person, this.place()),
      );
    }
    const upvote = /^:upvote\s+@?(\S+)$/i.exec(text);
    if (upvote) {
      const name = (upvote[1] ?? '').toLowerCase();
      if (!this.people.has(name))
        return this.print(`No member "${upvote[1]}" in #${CHANNEL}. Members: ${this.others()}.`);
      const messageId = this.replies.get(name);
      if (!messageId) return this.print(`${this.someone(name).name} has not replied in a daily thread yet.`);
      const outcome = await this.bot.dispatcher.reaction({
        actor: this.actor(person),
        channelId: CHANNEL,
        messageId,
        emoji: '👍',
      });
      return this.print(UPVOTE_TEXT[outcome ?? 'failed'].replace('{name}', this.someone(name).name));
    }
    if (text.startsWith(':'))
      return this.print(`Unknown playground command "${text.split(/\s/)[0]}". Type :help.`);
    const command = /^\/mlsd\b\s*([\s\S]*)$/.exec(text);
    if (command) {
      return this.bot.dispatcher.dispatch(
        this.invocation(person, 'command', '', command[1] ?? ''),
        this.replier(person, this.place()),
      );
    }
    if (text.startsWith('/')) return this.print('Only /mlsd commands exist here. Try /mlsd help.');
    const thread = this.notifier.latestThread.get(CHANNEL);
    if (!thread) return this.print('(No daily post to reply to yet: run /mlsd daily first, or :clock +1d.)');
    const place = { ...this.place(), threadId: thread };
    const id = `console-${this.next()}`;
    this.replies.set(person, id);
    await this.bot.dispatcher.threadMessage(
      { id, place, actor: this.actor(person), messageId: id, text, sentAt: this.clock.now() },
      (feedback) => this.notifier.tellPrivately(place, person, feedback),
    );
  }

  /** Reads lines until end of input, one at a time, then stops. */
  async run(input: NodeJS.ReadableStream = process.stdin): Promise<void> {
    this.print(this.banner());
    const lines = createInterface({ input, terminal: false });
    for await (const line of lines) await this.handle(line);
    await this.bot.stop();
  }
}
