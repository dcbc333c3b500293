// Proves the fake Discord against the REAL discord.js client: if these pass, bot tests that drive
// discord.js through the fake exercise the same requests and payload shapes Discord would see.
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  type ChatInputApplicationCommandData,
  Client,
  type ClientEvents,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  Partials,
  PermissionFlagsBits,
  REST,
  type RESTOptions,
  Routes,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_IDS, type FakeDiscord, startFakeDiscord, validateDiscordRequest } from './fake-discord.ts';

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

// Global fetch instead of discord.js's bundled undici, which clashes with Bolt's (discord.js #10946).
const makeRequest: RESTOptions['makeRequest'] = (url, init) => fetch(url, init as RequestInit);

function createClient(fake: FakeDiscord, intents = INTENTS): Client {
  return new Client({
    intents,
    // DM channels are not in the cache when a DM arrives; without this partial discord.js drops it.
    partials: [Partials.Channel],
    rest: { api: fake.apiUrl, makeRequest },
  });
}

/** ClientReady can fire before `login()` resolves, so the listener goes on first. */
async function login(client: Client): Promise<void> {
  const ready = nextEvent(client, Events.ClientReady);
  await client.login('fake-token');
  await ready;
}

function nextEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  accept: (...args: ClientEvents[E]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: ClientEvents[E]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

function textChannel(client: Client, id: string = FAKE_IDS.general): TextChannel {
  const channel = client.channels.cache.get(id);
  if (channel?.type !== ChannelType.GuildText) throw new Error(`channel ${id} is not a cached text channel`);
  return channel;
}

const mlsdCommand = {
  name: 'mlsd',
  description: 'ML system design study group',
  defaultMemberPermissions: PermissionFlagsBits.SendMessages,
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'daily', description: "Post today's case study" },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'admin',
      description: 'Configure the study group',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'schedule',
          description: 'When the daily case is posted',
          options: [
            { type: ApplicationCommandOptionType.String, name: 'time', description: 'HH:MM', required: true },
            { type: ApplicationCommandOptionType.Number, name: 'days', description: 'Days a week' },
          ],
        },
      ],
    },
  ],
} satisfies ChatInputApplicationCommandData;

describe('fake Discord driven by the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeEach(async () => {
    fake = await startFakeDiscord();
    client = createClient(fake);
    await login(client);
  });

  afterEach(async () => {
    await client.destroy();
    await fake.close();
  });

  it('identifies with the requested intents and caches the guild, its channels and its thread', async () => {
    const intents = INTENTS.reduce((all, bit) => all | bit, 0);
    expect(fake.identifies.map((identify) => identify.intents)).toEqual([intents]);
    const guild = client.guilds.cache.get(FAKE_IDS.guild);
    expect(guild?.name).toBe('MLSD Study Group');
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(textChannel(client).name).toBe('general');
    const thread = client.channels.cache.get(FAKE_IDS.thread);
    expect(thread?.isThread() && thread.parentId).toBe(FAKE_IDS.general);
    expect(client.application?.id).toBe(fake.applicationId);
  });

  it('accepts a /mlsd daily reply with an embed and a button, then an ephemeral follow-up', async () => {
    const received = nextEvent(client, Events.InteractionCreate);
    const sent = fake.sendInteraction({ subcommand: 'daily' });
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    expect(interaction.options.getSubcommand()).toBe('daily');

    const answer = new ButtonBuilder()
      .setCustomId('daily:answer')
      .setLabel('Answer')
      .setStyle(ButtonStyle.Primary);
    const response = await interaction.reply({
      embeds: [
        new EmbedBuilder().setTitle('Design a video recommender').setDescription('Clarify the goals first.'),
      ],
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(answer)],
      withResponse: true,
    });
    await interaction.followUp({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });

    const [callback, followUp] = fake.interactionResponses(sent.id);
    expect(callback).toMatchObject({
      query: { with_response: 'true' },
      status: 200,
      body: {
        type: 4,
        data: {
          embeds: [{ title: 'Design a video recommender' }],
          components: [{ type: 1, components: [{ type: 2, custom_id: 'daily:answer' }] }],
        },
      },
    });
    expect(response.resource?.message?.embeds[0]?.title).toBe('Design a video recommender');
    expect(followUp).toMatchObject({ method: 'POST', status: 200, body: { flags: MessageFlags.Ephemeral } });
    expect(fake.contractErrors).toEqual([]);
  });

  it('types and nests subcommand-group options as the registered command declares them', async () => {
    await client.application?.commands.set([mlsdCommand]);
    const received = nextEvent(client, Events.InteractionCreate);
    fake.sendInteraction({
      group: 'admin',
      subcommand: 'schedule',
      options: { time: '09:00', days: 5 },
      manageGuild: true,
    });
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');

    expect(interaction.options.getSubcommandGroup()).toBe('admin');
    expect(interaction.options.getSubcommand()).toBe('schedule');
    expect(interaction.options.getString('time', true)).toBe('09:00');
    expect(interaction.options.getNumber('days')).toBe(5);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);

    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply('Schedule saved.');
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'),
    );
    expect(edit).toMatchObject({ status: 200, body: { content: 'Schedule saved.' } });
    expect(fake.contractErrors).toEqual([]);
  });

  it('opens a modal from a button and reads the submitted answer', async () => {
    const answer = new ButtonBuilder()
      .setCustomId('daily:answer')
      .setLabel('Answer')
      .setStyle(ButtonStyle.Primary);
    const prompt = await textChannel(client).send({
      content: "Today's case: a feed ranker",
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(answer)],
    });

    const clicked = nextEvent(client, Events.InteractionCreate);
    const button = fake.sendButton({ customId: 'daily:answer', messageId: prompt.id });
    const [buttonInteraction] = await clicked;
    if (!buttonInteraction.isButton()) throw new Error('expected a button');
    expect(buttonInteraction.message.id).toBe(prompt.id);
    const input = new TextInputBuilder().setCustomId('design').setStyle(TextInputStyle.Paragraph);
    await buttonInteraction.showModal(
      new ModalBuilder()
        .setCustomId('daily:answer-modal')
        .setTitle('Your answer')
        .addLabelComponents(new LabelBuilder().setLabel('Your design').setTextInputComponent(input)),
    );
    expect(fake.interactionResponses(button.id)[0]).toMatchObject({ status: 204, body: { type: 9 } });

    const submitted = nextEvent(client, Events.InteractionCreate);
    fake.sendModalSubmit({ customId: 'daily:answer-modal', fields: { design: 'Two-tower retrieval' } });
    const [submit] = await submitted;
    if (!submit.isModalSubmit()) throw new Error('expected a modal submit');
    expect(submit.fields.getTextInputValue('design')).toBe('Two-tower retrieval');
    await submit.reply({ content: 'Answer recorded.', flags: MessageFlags.Ephemeral });
    expect(fake.contractErrors).toEqual([]);
  });

  it('delivers a member reply in a thread to messageCreate listeners', async () => {
    const received = nextEvent(client, Events.MessageCreate);
    fake.sendMessage({
      channelId: FAKE_IDS.thread,
      authorId: FAKE_IDS.member,
      content: 'Step 1: clarify latency.',
    });
    const [message] = await received;

    expect(message.channel.isThread()).toBe(true);
    expect(message.channelId).toBe(FAKE_IDS.thread);
    expect(message.guildId).toBe(FAKE_IDS.guild);
    expect(message.author.id).toBe(FAKE_IDS.member);
    expect(message.member?.id).toBe(FAKE_IDS.member);
    expect(message.content).toBe('Step 1: clarify latency.');
  });

  it('withholds message content from a client without the MessageContent intent', async () => {
    const plain = createClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      await login(plain);
      const received = nextEvent(plain, Events.MessageCreate);
      fake.sendMessage({ channelId: FAKE_IDS.general, authorId: FAKE_IDS.member, content: 'my answer' });
      const [message] = await received;
      expect(message.content).toBe('');
    } finally {
      await plain.destroy();
    }
  });

  it('starts a thread from a posted message, with the message id as thread id', async () => {
    const prompt = await textChannel(client).send("Today's case: design YouTube recommendations");
    const thread = await prompt.startThread({ name: 'Answers' });
    await thread.send('Post your answers here.');

    expect(thread.id).toBe(prompt.id);
    expect(thread.parentId).toBe(FAKE_IDS.general);
    expect(client.channels.cache.get(thread.id)?.isThread()).toBe(true);
    expect(fake.messagesIn(thread.id).map((m) => m.content)).toEqual(['Post your answers here.']);
    expect(fake.contractErrors).toEqual([]);
  });

  it('creates a private thread and adds a member to it', async () => {
    const thread = await textChannel(client).threads.create({
      name: 'mock-interview',
      type: ChannelType.PrivateThread,
    });
    await thread.members.add(FAKE_IDS.member);

    expect(thread.type).toBe(ChannelType.PrivateThread);
    expect(fake.threadMembers(thread.id)).toContain(FAKE_IDS.member);
    expect(fake.contractErrors).toEqual([]);
  });

  it('uploads a file as multipart form data', async () => {
    const sent = await textChannel(client).send({
      content: 'The rubric',
      files: [{ attachment: Buffer.from('# Rubric\n1. clarify'), name: 'rubric.md' }],
    });

    const [request] = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    expect(request).toMatchObject({ files: 1, body: { content: 'The rubric' } });
    expect(sent.attachments.first()?.name).toBe('rubric.md');
    expect(fake.contractErrors).toEqual([]);
  });

  it('opens a DM channel and sends a direct message with user.send', async () => {
    const user = await client.users.fetch(FAKE_IDS.member);
    const dm = await user.send('You are paired with alice this week.');

    const [open] = fake.requestsTo('POST', /^\/users\/@me\/channels$/);
    expect(open?.body).toEqual({ recipient_id: FAKE_IDS.member });
    expect(dm.channel.type).toBe(ChannelType.DM);
    expect(fake.messagesIn(dm.channelId).map((m) => m.content)).toEqual([
      'You are paired with alice this week.',
    ]);
    expect(fake.contractErrors).toEqual([]);
  });

  it('stores global commands set by discord.js and guild commands put over REST', async () => {
    await client.application?.commands.set([mlsdCommand]);
    const rest = new REST({ api: fake.apiUrl, makeRequest }).setToken('fake-token');
    await rest.put(Routes.applicationGuildCommands(fake.applicationId, FAKE_IDS.guild), {
      // A permissions string, as documented, though the spec types the field as an integer.
      body: [
        { name: 'mlsd-dev', description: 'Development copy of /mlsd', default_member_permissions: '32' },
      ],
    });

    expect(fake.commands().map((c) => c.name)).toEqual(['mlsd']);
    expect(fake.commands(FAKE_IDS.guild).map((c) => c.name)).toEqual(['mlsd-dev']);
    expect(fake.contractErrors).toEqual([]);
  });

  it('answers a 2,001-character message with 400 and records a contract error', async () => {
    await expect(textChannel(client).send('x'.repeat(2001))).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });

    expect(fake.contractErrors).toHaveLength(1);
    expect(fake.contractErrors[0]).toMatchObject({
      method: 'POST',
      operation: 'POST /channels/{channel_id}/messages',
      issues: [{ at: '/content', message: expect.stringContaining('2000') }],
    });
  });

  it('refuses a second acknowledgement of one interaction with 40060', async () => {
    const sent = fake.sendInteraction({ subcommand: 'daily' });
    const rest = new REST({ api: fake.apiUrl, makeRequest });
    const ack = () =>
      rest.post(Routes.interactionCallback(sent.id, sent.token), { body: { type: 5 }, auth: false });
    await ack();

    await expect(ack()).rejects.toMatchObject({ status: 400, code: 40060 });
    expect(fake.contractErrors.map((e) => e.issues[0]?.message)).toEqual(['interaction acknowledged twice']);
  });

  it('resumes a dropped gateway session and replays what the client missed', async () => {
    const resumed = nextEvent(client, Events.ShardResume);
    fake.disconnectClients(4000);
    await resumed;

    const received = nextEvent(client, Events.MessageCreate);
    fake.sendMessage({ channelId: FAKE_IDS.general, authorId: FAKE_IDS.member, content: 'still here?' });
    const [message] = await received;
    expect(message.content).toBe('still here?');
    expect(fake.resumes).toHaveLength(1);
    expect(fake.identifies).toHaveLength(1);
  });
});

describe('fake Discord deadlines', () => {
  it('refuses an interaction acknowledged after the deadline with 10062 Unknown interaction', async () => {
    const fake = await startFakeDiscord({ interactionDeadlineMs: 50 });
    const client = createClient(fake);
    try {
      await login(client);
      const received = nextEvent(client, Events.InteractionCreate);
      fake.sendInteraction({ subcommand: 'daily' });
      const [interaction] = await received;
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await new Promise((resolve) => setTimeout(resolve, 100));

      await expect(interaction.reply('too late')).rejects.toMatchObject({ status: 404, code: 10062 });
      expect(fake.contractErrors[0]?.issues[0]?.message).toMatch(/^acknowledged after \d+ ms/);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

describe('validateDiscordRequest', () => {
  it('reports only the errors of the component type a union member claims to be', () => {
    const modal = {
      type: 9,
      data: {
        custom_id: 'daily:answer-modal',
        title: 'Your answer',
        components: [
          { type: 18, label: 'l'.repeat(46), component: { type: 4, custom_id: 'design', style: 2 } },
        ],
      },
    };
    const issues = validateDiscordRequest('POST', '/interactions/1/token/callback', modal);

    expect(issues.map((issue) => issue.at)).toEqual(['/data/components/0/label', '/data/components/0/label']);
  });

  it('requires a custom_id on a non-link button, which the spec leaves optional', () => {
    const body = {
      components: [{ type: 1, components: [{ type: 2, style: ButtonStyle.Primary, label: 'Go' }] }],
    };

    expect(validateDiscordRequest('POST', '/channels/1/messages', body)).toEqual([
      { at: '/components/0/components/0/custom_id', message: 'A non-link button needs a custom_id.' },
    ]);
  });

  it('counts embed text across all embeds against the 6,000-character message limit', () => {
    const body = { embeds: Array.from({ length: 4 }, () => ({ description: 'd'.repeat(1600) })) };

    expect(validateDiscordRequest('POST', '/channels/1/messages', body)).toEqual([
      { at: '/embeds', message: 'Embed size exceeds maximum size of 6000 (got 6400).' },
    ]);
  });

  it('holds slash command names to lowercase and 25 options', () => {
    const options = Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, description: 'd' }));
    const issues = validateDiscordRequest('PUT', '/applications/1/commands', [
      { name: 'MLSD', description: 'x', options },
    ]);

    expect(issues.map((issue) => issue.at)).toEqual(expect.arrayContaining(['/0/name', '/0/options']));
  });
});
