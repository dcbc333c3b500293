import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Bot } from './app.ts';
import type { Config } from './config.ts';
import type { Actor, Place } from './core/types.ts';
import type { Database } from './db/client.ts';
import { ConsoleNotifier, type Printer } from './platforms/console/notifier.ts';
import { ConsoleSession, type Someone } from './platforms/console/session.ts';
import { InProcessScheduler, VirtualClock } from './scheduler/in-process.ts';

/**
 * The playground's composition root (beside main.ts): the same bot on a virtual clock and an in-process
 * scheduler, a console "platform" with simulated members, and a study channel set up so a week shows it all.
 */

const WORKSPACE = 'playground';
const CHANNEL = 'study';

/** Simulated members at the start: you (an admin) and three study-group peers; `:as <new name>` adds more. */
const STARTING_PEOPLE: Record<string, Someone> = {
  you: { name: 'you', level: 'senior', admin: true },
  ana: { name: 'Ana', level: 'mid', admin: false },
  ben: { name: 'Ben', level: 'senior', admin: false },
  cal: { name: 'Cal', level: 'junior', admin: false },
};

export class Playground {
  private constructor(
    readonly bot: Bot,
    private readonly session: ConsoleSession,
    private readonly print: Printer,
    private readonly zone: string,
  ) {}

  static async start(options: {
    config: Config;
    log: Logger;
    fresh: boolean;
    print?: Printer;
    /** Where the virtual clock starts (main.ts passes the wall clock's now). */
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
    const notifier = new ConsoleNotifier(
      print,
      (userId) => people.get(userId)?.name ?? userId,
      join(options.config.MLSD_DATA_DIR, 'exports'),
    );
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
    const place: Place = {
      platform: 'console',
      workspaceId: WORKSPACE,
      channelId: CHANNEL,
      channelName: CHANNEL,
    };
    const actor = (person: string, someone: Someone): Actor => ({
      platform: 'console',
      workspaceId: WORKSPACE,
      userId: person,
      displayName: someone.name,
      isPlatformAdmin: someone.admin,
    });
    const enrol = async (person: string, someone: Someone) => {
      await bot.services.pairing.join(place, actor(person, someone), {
        level: someone.level,
        topics: [],
        timezone: zone,
      });
    };
    await seed(bot, place, actor('you', STARTING_PEOPLE.you as Someone), zone, people, enrol);
    const session = new ConsoleSession({
      dispatcher: bot.dispatcher,
      notifier,
      clock,
      advanceTo: (at) => scheduler.advanceTo(at),
      print,
      zone,
      workspaceId: WORKSPACE,
      channelId: CHANNEL,
      people,
      join: enrol,
    });
    await bot.start({ platforms: false, workers: true, http: false });
    return new Playground(bot, session, print, zone);
  }

  /** Handles one line typed by you (or, with `:as`, by a simulated member). */
  handle(line: string): Promise<void> {
    return this.session.handle(line);
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
Type :help for the playground commands. Virtual time: ${this.session.formatNow()}
`;
  }

  /** Reads lines until end of input, one at a time, then stops. */
  async run(input: NodeJS.ReadableStream = process.stdin): Promise<void> {
    this.print(this.banner());
    await this.session.run(input);
    await this.bot.stop();
  }
}

/**
 * A new channel gets a daily case at 09:00 and a weekly mock round on Mondays at 10:00, with everyone opted
 * in; members added in an earlier session (`:as <name>`) are known again.
 */
async function seed(
  bot: Bot,
  place: Place,
  admin: Actor,
  zone: string,
  people: Map<string, Someone>,
  enrol: (person: string, someone: Someone) => Promise<void>,
): Promise<void> {
  const channel = await bot.services.members.ensureChannel(place);
  if (
    !channel.dailyEnabled &&
    !channel.pairEnabled &&
    channel.createdAt.getTime() === channel.updatedAt.getTime()
  ) {
    await bot.services.daily.setSchedule(place, admin, { time: '09:00', timezone: zone, days: 'daily' });
    await bot.services.pairing.setPairSchedule(place, admin, {
      cadence: 'weekly',
      day: 1,
      time: '10:00',
      timezone: zone,
    });
    for (const [person, someone] of people) await enrol(person, someone);
  }
  for (const member of await bot.services.members.listMembers(place)) {
    if (!people.has(member.userId))
      people.set(member.userId, { name: member.displayName, level: 'mid', admin: false });
  }
}
