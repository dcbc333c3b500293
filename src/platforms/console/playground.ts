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
import { upsertMember } from '../../db/queries/members.ts';
import { upsertPairMember } from '../../db/queries/pairing.ts';
import { InProcessScheduler, VirtualClock } from '../../scheduler/in-process.ts';
import { POINTS } from '../../services/points.ts';
import { ConsoleNotifier, type Printer } from './notifier.ts';
import { formText, toConsoleText } from './render.ts';

const WORKSPACE = 'playground';
const CHANNEL = 'study';
/** Simulated members: you (an admin) and three study-group peers. */
const PEOPLE = {
  you: { name: 'you', level: 'senior', admin: true },
  ana: { name: 'Ana', level: 'mid', admin: false },
  ben: { name: 'Ben', level: 'senior', admin: false },
  cal: { name: 'Cal', level: 'junior', admin: false },
} as const;
type Person = keyof typeof PEOPLE;

const HELP = `Playground commands:
  /mlsd ...                 exactly what you would type in Slack or Discord (try /mlsd help)
  <any other text>          a reply in the thread of the latest daily post: your answer
  :as <name> <text>         speak as ana, ben or cal (a command, a reply, :click or :submit)
  :click <button id>        press a button (ids are shown under each message)
  :submit <text>            fill in the open form (fields as a=... | b=... when it has several)
  :upvote <name>            react 👍 to ana's, ben's or cal's latest answer in the thread (+2 points to them)
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

function isPerson(value: string): value is Person {
  return value in PEOPLE;
}

/** The terminal playground: one study channel with simulated members, on the same core as Slack and Discord. */
export class Playground {
  private sequence = 0;

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }
  private readonly forms = new Map<Person, FormSpec>();
  /** Each person's latest thread reply (its message id), for :upvote. */
  private readonly replies = new Map<Person, string>();

  private constructor(
    readonly bot: Bot,
    private readonly clock: VirtualClock,
    private readonly scheduler: InProcessScheduler,
    private readonly notifier: ConsoleNotifier,
    private readonly print: Printer,
    private readonly zone: string,
  ) {}

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
    const names = (userId: string) => (isPerson(userId) ? PEOPLE[userId].name : userId);
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
    const playground = new Playground(bot, clock, scheduler, notifier, print, zone);
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
      displayName: PEOPLE[person].name,
      isPlatformAdmin: PEOPLE[person].admin,
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
      for (const person of Object.keys(PEOPLE) as Person[]) {
        const member = await upsertMember(db, {
          platform: 'console',
          workspaceId: WORKSPACE,
          userId: person,
          displayName: PEOPLE[person].name,
          timeZone: this.zone,
        });
        await upsertPairMember(db, {
          channelId: channel.id,
          memberId: member.id,
          level: PEOPLE[person].level,
          topics: [],
          timeZone: this.zone,
        });
      }
    }
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
            ? `[only visible to ${PEOPLE[person].name}] mlsd-bot:\n${text}\n`
            : `[#${CHANNEL}] mlsd-bot:\n${text}\n`,
        );
      },
      openForm: async (form: FormSpec) => {
        this.forms.set(person, form);
        this.print(`[only visible to ${PEOPLE[person].name}]\n${formText(form)}\n`);
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
    const as = /^:as\s+(\w+)\s+([\s\S]+)$/.exec(text);
    if (as) {
      const name = (as[1] ?? '').toLowerCase();
      if (!isPerson(name)) return this.print(`Unknown member "${as[1]}". Simulated members: ana, ben, cal.`);
      this.print(`(${PEOPLE[name].name}) ${as[2]}`);
      return this.handle(as[2] ?? '', name);
    }
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
      const body = submit[1] ?? '';
      const values: Record<string, string> =
        form.fields.length === 1
          ? { [form.fields[0]?.id ?? 'answer']: body }
          : Object.fromEntries(
              body.split('|').map((part) => part.split('=').map((item) => item.trim()) as [string, string]),
            );
      return this.bot.dispatcher.dispatch(
        this.invocation(person, 'form', form.id, values),
        this.replier(person, this.place()),
      );
    }
    const upvote = /^:upvote\s+(\w+)$/i.exec(text);
    if (upvote) {
      const name = (upvote[1] ?? '').toLowerCase();
      if (!isPerson(name))
        return this.print(`Unknown member "${upvote[1]}". Simulated members: ana, ben, cal.`);
      const messageId = this.replies.get(name);
      if (!messageId) return this.print(`${PEOPLE[name].name} has not replied in a daily thread yet.`);
      const outcome = await this.bot.dispatcher.reaction({
        actor: this.actor(person),
        channelId: CHANNEL,
        messageId,
        emoji: '👍',
      });
      return this.print(UPVOTE_TEXT[outcome ?? 'failed'].replace('{name}', PEOPLE[name].name));
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
