import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { CommandDefinition, JobDefinition, Subcommand } from './define.ts';
import { projectRoot } from './paths.ts';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case, 1-32 characters, e.g. "daily"');
const description = z.string().min(1).max(100, 'must be at most 100 characters (Discord limit)');

/** Discord accepts only lower-case option names (1-32 of letters, digits, - and _). */
const optionName = /^[-_a-z0-9]{1,32}$/;

const subcommandShape = z.object({
  description,
  options: z
    .custom<z.ZodObject>((value) => value instanceof z.ZodObject, 'must be a zod object schema')
    .superRefine((schema, context) => {
      const bad = Object.keys(schema.shape).filter((key) => !optionName.test(key));
      if (bad.length > 0)
        context.addIssue({
          code: 'custom',
          message: `option names must be lower-case letters, digits, - or _ (Discord rejects others): rename ${bad.map((key) => `"${key}"`).join(', ')}`,
        });
    }),
  guards: z.array(z.object({ kind: z.enum(['admin', 'cooldown']) }).loose()).optional(),
  examples: z.array(z.string()).optional(),
  run: z.custom<Subcommand['run']>((value) => typeof value === 'function', 'must be a function'),
});

const commandShape = z
  .object({
    name,
    description,
    subcommands: z
      .record(name, subcommandShape)
      .refine((value) => Object.keys(value).length > 0, 'needs at least one subcommand'),
    default: z.string().optional(),
    buttons: z
      .record(
        z.string(),
        z.custom<() => void>((value) => typeof value === 'function'),
      )
      .optional(),
    forms: z
      .record(
        z.string(),
        z.custom<() => void>((value) => typeof value === 'function'),
      )
      .optional(),
    on: z
      .object({
        message: z.custom<() => void>((value) => typeof value === 'function').optional(),
        reaction: z.custom<() => void>((value) => typeof value === 'function').optional(),
        home: z.custom<() => void>((value) => typeof value === 'function').optional(),
      })
      .strict()
      .optional(),
  })
  .refine((command) => !command.default || command.default in command.subcommands, {
    message: 'default must name one of the subcommands',
    path: ['default'],
  });

const jobShape = z.object({
  name,
  queue: name,
  description: z.string().min(1),
  data: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'must be a zod schema'),
  attempts: z.number().int().min(1).optional(),
  run: z.custom<JobDefinition['run']>((value) => typeof value === 'function', 'must be a function'),
});

export class RegistryError extends Error {
  override name = 'RegistryError';
}

export type Registry<S = unknown> = {
  commands: Map<string, CommandDefinition<S>>;
  jobs: Map<string, JobDefinition<S>>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => join(dir, file));
}

function check<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(export)'} ${issue.message}`,
  );
  throw new RegistryError(`${file}: malformed definition: ${problems.join('; ')}`);
}

/** Builds a registry from definitions, refusing malformed ones and duplicate names. */
export function buildRegistry<S = unknown>(
  commandModules: Array<{ file: string; value: unknown }>,
  jobModules: Array<{ file: string; value: unknown }>,
): Registry<S> {
  const commands = new Map<string, CommandDefinition<S>>();
  for (const { file, value } of commandModules) {
    const command = check(commandShape, value, file) as unknown as CommandDefinition<S>;
    if (commands.has(command.name)) throw new RegistryError(`${file}: duplicate command "${command.name}"`);
    commands.set(command.name, command);
  }
  const jobs = new Map<string, JobDefinition<S>>();
  for (const { file, value } of jobModules) {
    const job = check(jobShape, value, file) as unknown as JobDefinition<S>;
    if (jobs.has(job.name)) throw new RegistryError(`${file}: duplicate job "${job.name}"`);
    jobs.set(job.name, job);
  }
  return { commands, jobs };
}

async function importDefaults(dir: string): Promise<Array<{ file: string; value: unknown }>> {
  return Promise.all(
    sourceFiles(dir).map(async (file) => ({
      file,
      value: ((await import(pathToFileURL(file).href)) as { default?: unknown }).default,
    })),
  );
}

/** Discovers `commands/` and `jobs/` (next to src/, in source or built form) and validates every file. */
export async function loadRegistry<S = unknown>(root: string = codeRoot()): Promise<Registry<S>> {
  const [commandModules, jobModules] = await Promise.all([
    importDefaults(join(root, 'commands')),
    importDefaults(join(root, 'jobs')),
  ]);
  return buildRegistry<S>(commandModules, jobModules);
}

/**
 * Checks the jobs found in jobs/ against the names the services schedule: each name has exactly one job
 * and each job is scheduled by name, so a renamed file cannot leave a schedule without a handler.
 */
export function verifyJobNames<S>(registry: Registry<S>, names: readonly string[]): void {
  const defined = [...registry.jobs.keys()].sort();
  const wanted = [...new Set(names)].sort();
  const missing = wanted.filter((name) => !registry.jobs.has(name));
  const unknown = defined.filter((name) => !wanted.includes(name));
  if (missing.length || unknown.length) {
    throw new RegistryError(
      `jobs/ and the job names services use disagree: ${[
        ...missing.map((name) => `no job file defines "${name}"`),
        ...unknown.map((name) => `jobs/ defines "${name}", which no service schedules`),
      ].join('; ')}`,
    );
  }
}

/** The folder holding commands/ and jobs/: the project root under tsx, dist/ when built. */
function codeRoot(): string {
  return import.meta.url.endsWith('.js') && import.meta.url.includes('/dist/')
    ? join(projectRoot(), 'dist')
    : projectRoot();
}
