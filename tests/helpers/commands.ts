import { pino } from 'pino';
import { unexpectedErrorText, unknownComponent, userErrorText } from '../../content/refusals.ts';
import { Dispatcher, type DispatchPorts, type Outcome } from '../../src/core/dispatch.ts';
import { loadRegistry, type Registry } from '../../src/core/registry.ts';
import type {
  Actor,
  FormSpec,
  Invocation,
  InvocationKind,
  OutMessage,
  Place,
  Platform,
  Replier,
} from '../../src/core/types.ts';
import type { Services } from '../../src/services/index.ts';
import { TestClock } from './clock.ts';

/**
 * The command test kit: the real registry and dispatcher over fake services, without a database or a
 * platform. A test fakes only the service functions its command calls; calling any other one fails with
 * its name. What the command said comes back as a transcript.
 *
 *   const kit = await commandKit({ teams: { leave: async () => ({ team: 'Owls' }) } });
 *   expect((await kit.run('team leave')).text).toMatch(/You left "Owls"/);
 */

type AnyFunction = (...args: never[]) => unknown;
export type FakeServices = { [K in keyof Services]?: Partial<Services[K]> };

/** One thing the bot said: its message, and whether everyone in the channel sees it. */
export type Said = { message: OutMessage; public: boolean };

export type Transcript = {
  outcome: Outcome;
  said: Said[];
  forms: FormSpec[];
  /** Problems shown at a form's fields, when a submission was refused there. */
  rejected?: Record<string, string>;
  /** Everything said, as plain text (titles, bodies, sections and fields included). */
  text: string;
};

export type Call = { service: string; args: unknown[] };

const flatten = (message: OutMessage) =>
  [
    message.text,
    message.title,
    message.body,
    ...(message.sections ?? []).flatMap((section) => [section.heading, section.body]),
    ...(message.fields ?? []).flatMap((field) => [field.name, field.value]),
    ...(message.buttons ?? []).map((button) => `[${button.label}]`),
    message.footer,
  ]
    .filter(Boolean)
    .join('\n');

let registry: Promise<Registry<Services>> | undefined;

/** Services whose every function must be faked by the test that uses it; calls are recorded. */
function strictServices(fakes: FakeServices, calls: Call[]): Services {
  return new Proxy({} as Services, {
    get(_target, area: string) {
      const faked = (fakes as Record<string, Record<string, AnyFunction> | undefined>)[area] ?? {};
      return new Proxy(
        {},
        {
          get(_inner, name: string) {
            const fake = faked[name];
            if (!fake) {
              return () => {
                throw new Error(`services.${area}.${name} is not faked in this test`);
              };
            }
            return (...args: never[]) => {
              calls.push({ service: `${area}.${name}`, args });
              return fake(...args);
            };
          },
        },
      );
    },
  });
}

export type Who = Partial<Actor> & { platform?: Platform; place?: Partial<Place> };

export async function commandKit(
  fakes: FakeServices = {},
  options: { admins?: string[]; clock?: TestClock } = {},
) {
  registry ??= loadRegistry<Services>();
  const calls: Call[] = [];
  const clock = options.clock ?? new TestClock();
  const seen = new Set<string>();
  const logged: Array<{ level: string; msg: string }> = [];
  const log = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { level: number; msg: string };
        logged.push({ level: pino.levels.labels[entry.level] ?? String(entry.level), msg: entry.msg });
      },
    },
  );
  const ports: DispatchPorts = {
    firstDelivery: async (platform, key) => {
      const first = !seen.has(`${platform}:${key}`);
      seen.add(`${platform}:${key}`);
      return first;
    },
    isAdmin: (actor) => actor.isPlatformAdmin || (options.admins ?? []).includes(actor.userId),
    words: {
      refusal: (error) => userErrorText(error.identifier, error.context),
      unexpected: unexpectedErrorText,
      unknownComponent,
    },
  };
  const dispatcher = new Dispatcher<Services>({
    registry: await registry,
    services: strictServices(fakes, calls),
    clock,
    log,
    ports,
  });
  let counter = 0;

  async function deliver(
    kind: InvocationKind,
    name: string,
    args: Invocation['args'],
    who: Who = {},
    id?: string,
  ): Promise<Transcript> {
    const { place, platform = 'slack', ...actor } = who;
    const transcript: Transcript = { outcome: 'ok', said: [], forms: [], text: '' };
    const replier: Replier = {
      reply: async (message, replyOptions) => {
        const out = typeof message === 'string' ? { text: message } : message;
        transcript.said.push({ message: out, public: Boolean(replyOptions?.public) });
      },
      openForm: async (form) => {
        transcript.forms.push(form);
      },
      rejectForm: async (problems) => {
        transcript.rejected = problems;
      },
    };
    counter += 1;
    transcript.outcome = await dispatcher.dispatch(
      {
        id: id ?? `test-${counter}`,
        kind,
        platform,
        name,
        args,
        place: { platform, workspaceId: 'T1', channelId: 'C1', channelName: 'study', ...place },
        actor: {
          platform,
          workspaceId: 'T1',
          userId: 'U1',
          displayName: 'Ana',
          isPlatformAdmin: false,
          ...actor,
        },
        receivedAt: clock.now(),
      },
      replier,
    );
    transcript.text = [
      ...transcript.said.map((said) => flatten(said.message)),
      ...Object.values(transcript.rejected ?? {}),
    ].join('\n');
    return transcript;
  }

  return {
    calls,
    clock,
    logged,
    /** `/mlsd <text>` as typed on Slack or in the console. */
    run: (text: string, who?: Who, id?: string) => deliver('command', '', text, who, id),
    /** `/mlsd <path>` with Discord's typed options. */
    runWithOptions: (path: string, args: Record<string, unknown>, who?: Who) =>
      deliver('command', path, args, { platform: 'discord', ...who }),
    press: (customId: string, who?: Who, id?: string) => deliver('button', customId, {}, who, id),
    submit: (formId: string, values: Record<string, string>, who?: Who, id?: string) =>
      deliver('form', formId, values, who, id),
    /** A reply in a thread. */
    say: (text: string, threadId: string, who?: Who) =>
      deliver(
        'message',
        'message',
        { text, messageId: `m-${counter + 1}` },
        {
          ...who,
          place: { threadId, ...who?.place },
        },
      ),
    react: (emoji: string, messageId: string, who?: Who) =>
      deliver('reaction', 'reaction', { emoji, messageId }, who),
    home: (who?: Who) => deliver('home', 'home', {}, who),
  };
}

export type CommandKit = Awaited<ReturnType<typeof commandKit>>;
