import { distance } from 'fastest-levenshtein';
import { parseFreeText, tokenize, usageOf } from './args.ts';
import type { CommandDefinition, Subcommand } from './define.ts';
import type { Registry } from './registry.ts';
import type { Platform } from './types.ts';

/**
 * How people type commands on a platform. `free-text` (Slack, the console): words after `/mlsd`, and a
 * command's default subcommand may be left out (`/mlsd card <id>`). `typed` (Discord): a command with several
 * subcommands is a group whose subcommand must be picked (`/mlsd card show`), options are named fields.
 */
export type CommandStyle = 'free-text' | 'typed';

export const styleOf = (platform: Platform): CommandStyle => (platform === 'discord' ? 'typed' : 'free-text');

type Named<S> = { command: CommandDefinition<S>; subName: string; sub: Subcommand<S> };

/**
 * Whether a command is spelt without its subcommand: one whose only subcommand is `show` (`/mlsd stats`).
 * A lone action keeps its name (`/mlsd admin purge @x`), so it reads as what it does.
 */
export function collapses<S>(command: { subcommands: Record<string, Subcommand<S>> }): boolean {
  const names = Object.keys(command.subcommands);
  return names.length === 1 && names[0] === 'show';
}

/** The words after `/mlsd` that name a subcommand, as people on that platform type them. */
export function commandPath<S>({ command, subName }: Omit<Named<S>, 'sub'>, style: CommandStyle): string {
  const bare = collapses(command) || (style === 'free-text' && command.default === subName);
  return bare ? command.name : `${command.name} ${subName}`;
}

/** `/mlsd daily schedule <time> [timezone] [days] [deadline]` in the platform's spelling. */
export function commandUsage<S>(named: Named<S>, style: CommandStyle): string {
  return `/mlsd ${commandPath(named, style)} ${usageOf(named.sub.options)}`.trim();
}

/**
 * An example (written as typed on Slack) in the platform's spelling: on Discord the subcommand is named and
 * every value goes in its option field (`/mlsd card show id:pr-auc-vs-roc-auc`).
 */
export function exampleFor<S>(named: Named<S>, example: string, style: CommandStyle): string {
  if (style === 'free-text') return example;
  const words = tokenize(example.replace(/^\/mlsd\s+/, ''));
  const rest = words.slice(words[1] === named.subName ? 2 : 1);
  const parsed = parseFreeText(
    named.sub.options,
    rest.map((word) => (/\s/.test(word) ? `"${word}"` : word)).join(' '),
  );
  if (!parsed.ok) return example;
  const options = Object.keys(named.sub.options.shape)
    .filter((name) => parsed.raw[name] !== undefined)
    .map((name) => `${name}:${String(parsed.raw[name])}`);
  return [`/mlsd ${commandPath(named, style)}`, ...options].join(' ');
}

/** Every subcommand as people on the platform type it: for "did you mean" and help. */
export function allPaths<S>(registry: Registry<S>, style: CommandStyle): string[] {
  const paths = new Set<string>();
  for (const command of registry.commands.values()) {
    for (const subName of Object.keys(command.subcommands))
      paths.add(commandPath({ command, subName }, style));
  }
  return [...paths];
}

/**
 * The known commands closest to what someone typed (`/mlsd leaderbord` -> `leaderboard`), best first: by edit
 * distance, or because one starts the other. One word is compared with command names, two with full paths.
 */
export function closestCommands<S>(
  registry: Registry<S>,
  typed: string,
  style: CommandStyle,
  limit = 2,
): string[] {
  const words = typed.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 2);
  const text = words.join(' ');
  if (!text) return [];
  const candidates =
    words.length === 1
      ? [...registry.commands.keys()]
      : allPaths(registry, style).filter((path) => path.includes(' '));
  const threshold = Math.max(2, Math.floor(text.length / 3));
  return candidates
    .map((path) => ({
      path,
      cost: text.length >= 3 && (path.startsWith(text) || text.startsWith(path)) ? 1 : distance(text, path),
    }))
    .filter((item) => item.cost <= threshold)
    .sort((a, b) => a.cost - b.cost || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((item) => item.path);
}
