import { z } from 'zod';
import { commandUsage, exampleFor, styleOf } from '../src/core/usage.ts';
import { defineCommand, subcommand } from '../src/kit.ts';

export default defineCommand({
  name: 'help',
  description: 'Everything mlsd-bot can do, with examples',
  default: 'show',
  subcommands: {
    show: subcommand({
      description: 'Everything mlsd-bot can do, with examples',
      options: z.object({}),
      examples: ['/mlsd help'],
      async run({ registry, reply, invocation }) {
        // Each platform's own spelling: Slack leaves a default subcommand out, Discord names it.
        const style = styleOf(invocation.platform);
        const sections = [...registry.commands.values()]
          .filter((command) => command.name !== 'help')
          .map((command) => ({
            heading: `/mlsd ${command.name}`,
            body: Object.entries(command.subcommands)
              .map(([subName, sub]) => {
                const named = { command, subName, sub };
                const example = sub.examples?.[0] ? exampleFor(named, sub.examples[0], style) : undefined;
                const usage = commandUsage(named, style);
                return `\`${usage}\`: ${sub.description}${example && example !== usage ? ` (e.g. \`${example}\`)` : ''}`;
              })
              .join('\n'),
          }));
        await reply({
          text: `mlsd-bot: daily ML system design practice. ${sections.map((section) => section.heading).join(', ')}`,
          title: 'mlsd-bot: daily ML system design practice',
          body: 'A case study every day, answered from memory and graded against the 7-step framework.',
          sections,
        });
      },
    }),
  },
});
