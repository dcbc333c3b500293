import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { CommandDefinition, JobDefinition, Subcommand } from './define.ts';
import { projectRoot } from './paths.ts';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case, 1-32 characters, e.g. "daily"');
const description = z.string().min(1).max(100, 'must be at most 100 characters (Discord limit)');

const subcommandShape = z.object({
  description,
  options: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, 'must be a zod object schema'),
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

export type Registry = {
  commands: Map<string, CommandDefinition>;
  jobs: Map<string, JobDefinition>;
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
export function buildRegistry(
  commandModules: Array<{ file: string; value: unknown }>,
  jobModules: Array<{ file: string; value: unknown }>,
): Registry {
  const commands = new Map<string, CommandDefinition>();
  for (const { file, value } of commandModules) {
    const command = check(commandShape, value, file) as unknown as CommandDefinition;
    if (commands.has(command.name)) throw new RegistryError(`${file}: duplicate command "${command.name}"`);
    commands.set(command.name, command);
  }
  const jobs = new Map<string, JobDefinition>();
  for (const { file, value } of jobModules) {
    const job = check(jobShape, value, file) as unknown as JobDefinition;
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
export async function loadRegistry(root: string = codeRoot()): Promise<Registry> {
  const [commandModules, jobModules] = await Promise.all([
    importDefaults(join(root, 'commands')),
    importDefaults(join(root, 'jobs')),
  ]);
  return buildRegistry(commandModules, jobModules);
}

/** The folder holding commands/ and jobs/: the project root under tsx, dist/ when built. */
function codeRoot(): string {
  return import.meta.url.endsWith('.js') && import.meta.url.includes('/dist/')
    ? join(projectRoot(), 'dist')
    : projectRoot();
}
