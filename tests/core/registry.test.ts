import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKit } from '../../src/core/define.ts';
import { buildRegistry, loadRegistry, RegistryError, verifyJobNames } from '../../src/core/registry.ts';
import { mlsdCommandJson } from '../../src/platforms/discord/commands.ts';
import { JOB_NAMES } from '../../src/services/jobs.ts';

const { defineCommand, defineJob, subcommand } = createKit<unknown>();

const command = (name: string) =>
  defineCommand({
    name,
    description: 'test',
    subcommands: { show: subcommand({ description: 'show', options: z.object({}), run: async () => {} }) },
  });

describe('registry', () => {
  it('discovers every command and job file, and each job the services schedule', async () => {
    const registry = await loadRegistry();
    const files = (dir: string) =>
      readdirSync(join(import.meta.dirname, '../..', dir)).filter((file) => file.endsWith('.ts')).length;
    expect(registry.commands.size).toBe(files('commands'));
    expect(registry.jobs.size).toBe(files('jobs'));
    expect(() => verifyJobNames(registry, JOB_NAMES)).not.toThrow();
    expect(() => verifyJobNames(registry, [...JOB_NAMES, 'renamed-job'])).toThrow(/renamed-job/);
  });

  it('refuses option names Discord would reject, naming the file and the option', () => {
    const shouting = defineCommand({
      name: 'loud',
      description: 'test',
      subcommands: {
        show: subcommand({
          description: 'show',
          options: z.object({ timeZone: z.string().optional() }),
          run: async () => {},
        }),
      },
    });
    expect(() => buildRegistry([{ file: 'loud.ts', value: shouting }], [])).toThrow(/loud\.ts.*timeZone/);
  });

  it('refuses two commands with one name', () => {
    expect(() =>
      buildRegistry(
        [
          { file: 'a.ts', value: command('daily') },
          { file: 'b.ts', value: command('daily') },
        ],
        [],
      ),
    ).toThrow(/b\.ts: duplicate command "daily"/);
  });

  it('refuses a malformed command with the file and the field', () => {
    expect(() =>
      buildRegistry([{ file: 'bad.ts', value: { name: 'Bad Name', description: 'x', subcommands: {} } }], []),
    ).toThrow(RegistryError);
    expect(() =>
      buildRegistry([{ file: 'bad.ts', value: { name: 'ok', description: 'x', subcommands: {} } }], []),
    ).toThrow(/bad\.ts: malformed definition: subcommands needs at least one subcommand/);
  });

  it('refuses a job without a data schema and duplicate jobs', () => {
    expect(() =>
      buildRegistry(
        [],
        [{ file: 'j.ts', value: { name: 'x', queue: 'q', description: 'd', run: () => {} } }],
      ),
    ).toThrow(/j\.ts/);
    const job = defineJob({
      name: 'tick',
      queue: 'q',
      description: 'd',
      data: z.object({}),
      run: async () => {},
    });
    expect(() =>
      buildRegistry(
        [],
        [
          { file: 'a.ts', value: job },
          { file: 'b.ts', value: job },
        ],
      ),
    ).toThrow(/duplicate job "tick"/);
  });

  it('produces the /mlsd command list (review additions here)', async () => {
    const json = mlsdCommandJson(await loadRegistry());
    const shape = (json.options ?? []).map((option) => {
      const nested = 'options' in option ? (option.options ?? []) : [];
      return `${option.name}: ${nested.map((item) => ('options' in item && item.type === 1 ? `${item.name}(${(item.options ?? []).map((o) => o.name).join(',')})` : item.name)).join(' ')}`;
    });
    expect(shape).toMatchInlineSnapshot(`
      [
        "admin: purge(member)",
        "card: id",
        "case: id",
        "daily: show() facts() schedule(time,timezone,days,deadline) filter(difficulty,tags) mode(mode) off()",
        "drill: next() stats()",
        "framework: step",
        "help: ",
        "leaderboard: show(period) teams(period) streaks() hide-me() show-me()",
        "me: export() forget()",
        "pair: join(level,topics,timezone) leave() pause(until) status() avoid(member) unavoid(member) schedule(cadence,day,time,timezone) off() now()",
        "plan: set(date,level) show() time(time) off()",
        "stats: member",
        "team: create(name) join(name) leave()",
        "timezone: zone",
      ]
    `);
  });
});
