import { defaultGuild, FAKE_IDS, type FakeDiscord, type FakeGuild } from '../../helpers/fake-discord.ts';
import { expectThat, type Scenario, sleep, until, withHarness } from '../harness.ts';

const memberId = (index: number) => `11000000000000009${String(index).padStart(2, '0')}`;

function guildWithMembers(count: number): FakeGuild {
  const guild = defaultGuild();
  for (let index = 0; index < count; index += 1) {
    guild.members?.push({ user: { id: memberId(index), username: `member${index}` } });
  }
  return guild;
}

const callbacks = (discord: FakeDiscord, interactionId: string) =>
  discord.requests.filter((request) => request.path.startsWith(`/interactions/${interactionId}/`));

const duplicates: Scenario = {
  name: 'discord-duplicate-dispatches',
  run: () =>
    withHarness({ discordGuilds: [guildWithMembers(2)] }, async (harness) => {
      const discord = harness.discord as FakeDiscord;
      await harness.start('web');
      await harness.start('worker');
      await discord.waitForReady();
      // One command delivered three times (a gateway replay): one team, one answer.
      const create = discord.sendInteraction({
        group: 'team',
        subcommand: 'create',
        options: { name: 'Owls' },
        userId: memberId(0),
      });
      discord.dispatch('INTERACTION_CREATE', create);
      discord.dispatch('INTERACTION_CREATE', create);
      await until('the team reply', () => callbacks(discord, create.id).length > 0);
      // The daily post from a command, delivered twice: one post.
      const daily = discord.sendInteraction({ group: 'daily', subcommand: 'show', userId: memberId(1) });
      discord.dispatch('INTERACTION_CREATE', daily);
      await until('the daily post', async () => {
        const rows = await harness.query<{ id: number }>(
          'select id from prompts where message_id is not null',
        );
        return rows[0];
      });
      // A double click on the post's facts button: one answer.
      const [prompt] = await harness.query<{ id: number; message_id: string }>(
        'select id, message_id from prompts',
      );
      const click = discord.sendButton({
        customId: `daily:facts:${prompt?.id}`,
        messageId: prompt?.message_id ?? '',
        userId: memberId(0),
      });
      discord.dispatch('INTERACTION_CREATE', click);
      await until('the facts reply', () => callbacks(discord, click.id).length > 0);
      await sleep(1_500);
      const [rows] = await harness.query<{ teams: string; prompts: string }>(
        'select (select count(*) from teams) as teams, (select count(*) from prompts) as prompts',
      );
      const posts = discord
        .messagesIn(FAKE_IDS.general)
        .filter((message) => JSON.stringify(message).includes('Daily case')).length;
      const answers = [create, daily, click].map((interaction) => callbacks(discord, interaction.id).length);
      expectThat(
        rows?.teams === '1' && rows.prompts === '1' && posts === 1,
        `teams ${rows?.teams}, prompts ${rows?.prompts}, posts ${posts}`,
      );
      expectThat(
        answers.every((count) => count === 1),
        `interaction callbacks ${answers.join(', ')}`,
      );
      return `a command delivered 3 times, a posting command and a button each twice: callbacks ${answers.join('/')}, 1 team, 1 prompt, ${posts} daily post`;
    }),
};

const resume: Scenario = {
  name: 'discord-gateway-resume-mid-round',
  run: () =>
    withHarness({ discordGuilds: [guildWithMembers(6)] }, async (harness) => {
      const discord = harness.discord as FakeDiscord;
      await harness.start('web');
      await harness.start('worker');
      await discord.waitForReady();
      for (let index = 0; index < 6; index += 1) {
        const join = discord.sendInteraction({
          group: 'pair',
          subcommand: 'join',
          options: { level: 'mid' },
          userId: memberId(index),
        });
        await until('the join reply', () => callbacks(discord, join.id).length > 0);
      }
      const now = discord.sendInteraction({
        group: 'pair',
        subcommand: 'now',
        manageGuild: true,
        userId: FAKE_IDS.owner,
      });
      await until('the round', () => callbacks(discord, now.id).length > 0, 20_000);
      const pairings = await until('three groups told', async () => {
        const rows = await harness.query<{ id: number; interviewer: string }>(
          `select p.id, m.user_id as interviewer from pairings p join members m on m.id = p.interviewer_id
           where p.notified_at is not null and p.guide_sent_at is not null order by p.id`,
        );
        return rows.length === 3 ? rows : undefined;
      });
      // The gateway drops mid-round; while it is down an interviewer presses Done and another joins late.
      const identified = discord.identifies.length;
      discord.disconnectClients(4000);
      const pressed = discord.sendButton({
        customId: `pair:status:${pairings[0]?.id}:done`,
        messageId: '1',
        userId: pairings[0]?.interviewer ?? '',
      });
      await until('the resume', () => discord.resumes.length > 0, 20_000);
      await until(
        'the Done press answered after the resume',
        () => callbacks(discord, pressed.id).length > 0,
        10_000,
      );
      const after = discord.sendInteraction({ group: 'pair', subcommand: 'status', userId: memberId(0) });
      await until('a command after the resume', () => callbacks(discord, after.id).length > 0);
      await sleep(1_000);
      const intros = new Map<string, number>();
      for (const request of discord.requests) {
        if (request.method !== 'POST' || !/Mock interview/.test(JSON.stringify(request.body))) continue;
        intros.set(request.path, (intros.get(request.path) ?? 0) + 1);
      }
      const [row] = await harness.query<{ rounds: string; done: string }>(
        "select (select count(*) from pair_rounds) as rounds, (select count(*) from pairings where status = 'done') as done",
      );
      const twice = [...intros.values()].filter((count) => count > 1).length;
      expectThat(
        discord.identifies.length === identified,
        `identified ${discord.identifies.length - identified} more times instead of resuming`,
      );
      expectThat(
        callbacks(discord, pressed.id).length === 1 && row?.done === '1',
        `Done answered ${callbacks(discord, pressed.id).length} times, ${row?.done} done`,
      );
      expectThat(
        row?.rounds === '1' && intros.size === 3 && twice === 0,
        `${row?.rounds} rounds, ${intros.size} intros, ${twice} twice`,
      );
      return `gateway dropped (4000) mid-round: resumed (${discord.resumes.length} RESUME, no new IDENTIFY); the Done pressed meanwhile answered once; 1 round, 3 intros, 0 twice`;
    }),
};

export default [duplicates, resume];
