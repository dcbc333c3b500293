import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminOnly, cooldown, createKit } from '../../src/core/define.ts';
import { Dispatcher, type Outcome } from '../../src/core/dispatch.ts';
import { FormError, UserError } from '../../src/core/errors.ts';
import { buildRegistry } from '../../src/core/registry.ts';
import type { Invocation, InvocationKind, OutMessage, Replier } from '../../src/core/types.ts';
import { TestClock } from '../helpers/clock.ts';

/**
 * The dispatcher alone: a registry of two small commands, ports faked in memory. It needs no database,
 * no platform and no services of the bot.
 */
type Echo = { said: string[] };
const { defineCommand, subcommand } = createKit<Echo>();

const echo = defineCommand({
  name: 'echo',
  description: 'test',
  default: 'say',
  subcommands: {
    say: subcommand({
      description: 'say it back',
      options: z.object({ words: z.string().meta({ description: 'what to say' }) }),
      examples: ['/mlsd echo say hello'],
      async run({ args, reply, services }) {
        services.said.push(args.words);
        await reply(`you said ${args.words}`);
      },
    }),
    admin: subcommand({
      description: 'admins only',
      options: z.object({}),
      guards: [adminOnly],
      async run({ reply }) {
        await reply('done, admin');
      },
    }),
    slow: subcommand({
      description: 'once a minute',
      options: z.object({}),
      guards: [cooldown(60_000)],
      async run({ reply }) {
        await reply('ran');
      },
    }),
    refuse: subcommand({
      description: 'always refuses',
      options: z.object({}),
      async run() {
        throw new UserError('no-cases');
      },
    }),
    offline: subcommand({
      description: 'the database is down',
      options: z.object({}),
      async run() {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
    }),
    crash: subcommand({
      description: 'always fails',
      options: z.object({}),
      async run() {
        throw new Error('database on fire');
      },
    }),
  },
  buttons: {
    ping: async ({ params, reply }) => reply(`pong ${params.join(',')}`),
  },
  forms: {
    note: async ({ values, reply }) => {
      if (!values.note) throw new FormError({ note: 'write a note first' });
      if (values.note.length > 5)
        throw new UserError('answer-too-long', { length: values.note.length }, 'note');
      await reply(`noted ${values.note}`);
    },
  },
  on: {
    message: async ({ message, reply }) => reply(`heard ${message.text}`),
    reaction: async ({ reaction, reply }) => reply(`saw ${reaction.emoji}`),
    home: async ({ reply }) => reply('home'),
  },
});

function setup() {
  const clock = new TestClock();
  const seen = new Set<string>();
  const services: Echo = { said: [] };
  const errors: unknown[] = [];
  const observed: Array<{ kind: string; name: string; outcome: Outcome }> = [];
  const dispatcher = new Dispatcher<Echo>({
    registry: buildRegistry<Echo>([{ file: 'echo.ts', value: echo }], []),
    services,
    clock,
    log: pino({ level: 'silent' }),
    ports: {
      firstDelivery: async (platform, key) =>
        !seen.has(`${platform}:${key}`) && Boolean(seen.add(`${platform}:${key}`)),
      isAdmin: (actor) => actor.isPlatformAdmin,
      unavailable: (error) =>
        (error as { code?: string }).code === 'ECONNREFUSED'
          ? new UserError('database-unavailable')
          : undefined,
      words: {
        refusal: (error) => `refused: ${error.identifier} ${JSON.stringify(error.context)}`,
        unexpected: () => {
          errors.push('apology');
          return { text: 'sorry, something broke' };
        },
        unknownComponent: () => 'that button is gone',
      },
    },
    observe: ({ kind, name, outcome }) => observed.push({ kind, name, outcome }),
  });
  let counter = 0;
  async function send(
    kind: InvocationKind,
    name: string,
    args: Invocation['args'],
    options: { id?: string; admin?: boolean; platform?: 'slack' | 'discord' } = {},
  ) {
    const said: Array<{ message: OutMessage; public: boolean }> = [];
    let rejected: Record<string, string> | undefined;
    const replier: Replier = {
      reply: async (message, replyOptions) => {
        said.push({
          message: typeof message === 'string' ? { text: message } : message,
          public: Boolean(replyOptions?.public),
        });
      },
      openForm: async () => {},
      rejectForm: async (problems) => {
        rejected = problems;
      },
    };
    const platform = options.platform ?? 'slack';
    counter += 1;
    const outcome = await dispatcher.dispatch(
      {
        id: options.id ?? `i-${counter}`,
        kind,
        platform,
        name,
        args,
        place: { platform, workspaceId: 'T1', channelId: 'C1' },
        actor: {
          platform,
          workspaceId: 'T1',
          userId: 'U1',
          displayName: 'Ana',
          isPlatformAdmin: options.admin ?? false,
        },
        receivedAt: clock.now(),
      },
      replier,
    );
    return { outcome, said, rejected, text: said.map((item) => item.message.text).join('\n') };
  }
  return { clock, services, observed, errors, send, dispatcher };
}

describe('dispatch', () => {
  it('routes free text and typed options to the same subcommand, replying privately', async () => {
    const { send, services } = setup();
    const typed = await send('command', '', 'echo say "hello there"');
    expect(typed).toMatchObject({ outcome: 'ok', text: 'you said hello there' });
    expect(typed.said[0]?.public).toBe(false);
    expect((await send('command', 'echo say', { words: 'hi' }, { platform: 'discord' })).text).toBe(
      'you said hi',
    );
    // A command's default subcommand runs when only the command is named.
    expect((await send('command', '', 'echo bare words')).text).toBe('you said bare words');
    expect(services.said).toEqual(['hello there', 'hi', 'bare words']);
  });

  it('runs a delivery once: a retried command, button or reply does nothing the second time', async () => {
    const { send, services } = setup();
    expect((await send('command', '', 'echo say once', { id: 'same' })).outcome).toBe('ok');
    const again = await send('command', '', 'echo say once', { id: 'same' });
    expect(again).toMatchObject({ outcome: 'duplicate', said: [] });
    expect(services.said).toEqual(['once']);
    expect((await send('button', 'echo:ping:1', {}, { id: 'click' })).outcome).toBe('ok');
    expect((await send('button', 'echo:ping:1', {}, { id: 'click' })).outcome).toBe('duplicate');
  });

  it('answers an unknown command with the closest ones, and bad arguments with usage and an example', async () => {
    const { send } = setup();
    const unknown = await send('command', '', 'ecko say hi');
    expect(unknown.outcome).toBe('refused');
    expect(unknown.text).toMatch(/^refused: unknown-command .*"name":"ecko".*echo/);
    const bad = await send('command', '', 'echo say');
    expect(bad.outcome).toBe('refused');
    expect(bad.text).toMatch(/bad-arguments/);
    expect(bad.text).toMatch(/words is missing.*\/mlsd echo <words>/);
    expect(bad.text).toMatch(/\/mlsd echo say hello/);
  });

  it('lets only admins past the admin guard, naming the platform for the wording', async () => {
    const { send } = setup();
    const refused = await send('command', '', 'echo admin', { platform: 'discord' });
    expect(refused.outcome).toBe('refused');
    expect(refused.text).toMatch(/admin-only.*"platform":"discord"/);
    expect((await send('command', '', 'echo admin', { admin: true })).text).toBe('done, admin');
  });

  it('holds a cooldown per person and command, by the injected clock', async () => {
    const { send, clock } = setup();
    expect((await send('command', '', 'echo slow')).text).toBe('ran');
    clock.advance(20_000);
    const early = await send('command', '', 'echo slow');
    expect(early.outcome).toBe('refused');
    expect(early.text).toMatch(/cooldown.*"seconds":40/);
    clock.advance(40_000);
    expect((await send('command', '', 'echo slow')).text).toBe('ran');
  });

  it('words a refusal through the port, and answers anything else with an apology', async () => {
    const { send, errors, observed } = setup();
    expect(await send('command', '', 'echo refuse')).toMatchObject({
      outcome: 'refused',
      text: 'refused: no-cases {}',
    });
    const crash = await send('command', '', 'echo crash');
    expect(crash).toMatchObject({ outcome: 'error', text: 'sorry, something broke' });
    expect(errors).toEqual(['apology']);
    expect(observed.map((item) => item.outcome)).toEqual(['refused', 'error']);
    expect(observed[0]).toMatchObject({ kind: 'command', name: 'echo' });
  });

  it('answers an error the port says is a dependency down with that refusal, not an apology', async () => {
    const { send, errors } = setup();
    const offline = await send('command', '', 'echo offline');
    expect(offline.text).toBe('refused: database-unavailable {}');
    expect(errors).toEqual([]);
  });

  it('shows form refusals at their fields: a FormError, or a UserError naming a field', async () => {
    const { send } = setup();
    expect((await send('form', 'echo:note', { note: '' })).rejected).toEqual({ note: 'write a note first' });
    const long = await send('form', 'echo:note', { note: 'far too long' });
    expect(long.outcome).toBe('refused');
    expect(long.rejected).toEqual({ note: 'refused: answer-too-long {"length":12}' });
    expect(long.said).toEqual([]);
    expect((await send('form', 'echo:note', { note: 'ok' })).text).toBe('noted ok');
  });

  it('routes buttons by custom id with their parameters, and answers a button no handler knows', async () => {
    const { send } = setup();
    expect((await send('button', 'echo:ping:a:b', {})).text).toBe('pong a,b');
    const gone = await send('button', 'echo:nothing', {});
    expect(gone.text).toBe('that button is gone');
  });

  it('hands thread replies, reactions and home views to the commands that listen for them', async () => {
    const { send } = setup();
    expect((await send('message', 'message', { text: 'my answer', messageId: 'm1' })).text).toBe(
      'heard my answer',
    );
    expect((await send('reaction', 'reaction', { emoji: '👍', messageId: 'm1' })).text).toBe('saw 👍');
    expect((await send('home', 'home', {})).text).toBe('home');
  });

  it('takes platform errors raised outside an input into the same boundary, answering no one', async () => {
    const { dispatcher, errors } = setup();
    await expect(dispatcher.fail(new Error('socket closed'))).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  });
});
