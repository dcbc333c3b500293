import { REST, type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { Registry } from '../../core/registry.ts';
import { collapses } from '../../core/usage.ts';
import { type DiscordOption, toDiscordOptions } from './options.ts';

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

/**
 * The `/mlsd` application command. A command whose only subcommand is `show` becomes a subcommand
 * (`/mlsd stats`); any other becomes a group (`/mlsd daily show|schedule|off`, `/mlsd admin purge`).
 */
export function mlsdCommandJson<S>(registry: Registry<S>): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const options: DiscordOption[] = [...registry.commands.values()].map((command) => {
    const entries = Object.entries(command.subcommands);
    const [only] = entries;
    if (collapses(command) && only) {
      return {
        type: SUBCOMMAND,
        name: command.name,
        description: command.description,
        options: toDiscordOptions(only[1].options),
      };
    }
    return {
      type: SUBCOMMAND_GROUP,
      name: command.name,
      description: command.description,
      options: entries.map(([name, sub]) => ({
        type: SUBCOMMAND,
        name,
        description: sub.description,
        options: toDiscordOptions(sub.options),
      })),
    };
  });
  return {
    name: 'mlsd',
    description: 'Machine-learning system design practice: daily cases, mocks, leaderboards',
    options: options as RESTPostAPIChatInputApplicationCommandsJSONBody['options'],
    contexts: [0],
  };
}

/** Registers `/mlsd` in one guild (instant, for development) or globally (may take up to an hour). */
export async function registerCommands<S>(
  rest: REST,
  registry: Registry<S>,
  applicationId: string,
  guildId?: string,
): Promise<void> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  await rest.put(route, { body: [mlsdCommandJson(registry)] });
}

/**
 * REST options for discord.js: one undici for Bolt and discord.js avoids "action is not a function" on
 * uploads (discord.js #10946), so requests go through the global fetch.
 */
export const discordRestOptions = (apiUrl: string, pace?: (url: string) => Promise<void>) => ({
  api: apiUrl,
  makeRequest: async (url: string, init: unknown) => {
    // The bot's global budget is shared by every process: each request waits its turn in it first.
    await pace?.(url);
    return fetch(url, init as RequestInit) as never;
  },
});

/** `mlsd discord register`: puts /mlsd on Discord for an application, in one guild or globally. */
export async function registerWith<S>(
  options: { token: string; apiUrl: string; applicationId: string; guildId?: string | undefined },
  registry: Registry<S>,
): Promise<void> {
  const rest = new REST(discordRestOptions(options.apiUrl)).setToken(options.token);
  await registerCommands(rest, registry, options.applicationId, options.guildId);
}
