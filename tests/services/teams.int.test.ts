import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamBoardMessage, teamCreatedText, teamJoinedText } from '../../content/board-messages.ts';
import { userErrorText } from '../../content/refusals.ts';
import type { UserError } from '../../src/core/errors.ts';
import { channels, members, pointEvents } from '../../src/db/schema/index.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';

/** Team boards rank by points per active member, so a bigger team does not win by size alone. */
describe('team leaderboard', () => {
  let test: TestBot;
  const actor = (userId: string) => ({
    platform: 'slack' as const,
    workspaceId: 'T0TEAMS001',
    userId,
    displayName: userId,
    isPlatformAdmin: false,
  });
  const place = {
    platform: 'slack' as const,
    workspaceId: 'T0TEAMS001',
    channelId: 'C0TEAMS001',
    channelName: 'study',
  };

  beforeAll(async () => {
    test = await startTestBot({ workers: false });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('creates, joins and moves between teams, with clear messages for names taken or unknown', async () => {
    const teams = test.bot.services.teams;
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: UserError) => userErrorText(error.identifier, error.context),
      );
    expect(teamCreatedText(await teams.create(actor('U1'), 'Big Team'))).toMatch(/Team "Big Team" created/);
    expect(await refusal(teams.create(actor('U9'), 'big team'))).toMatch(/exists already/);
    expect(teamJoinedText(await teams.join(actor('U2'), 'BIG TEAM'))).toMatch(
      /You joined "Big Team" \(2 members\)/,
    );
    expect(await refusal(teams.join(actor('U3'), 'nope'))).toMatch(
      /There is no team "nope"\. Teams: Big Team/,
    );
    await teams.join(actor('U3'), 'Big Team');
    expect(await refusal(teams.join(actor('U3'), 'big team'))).toMatch(/already in "Big Team"/);
    expect(teamCreatedText(await teams.create(actor('U4'), 'Small'))).toMatch(/created/);
    expect(await refusal(teams.leave(actor('U9')))).toMatch(/not in a team/);
  });

  it('ranks by points per active member, and ranks the study channels too', async () => {
    const [channel] = await test.db
      .insert(channels)
      .values({ platform: 'slack', workspaceId: 'T0TEAMS001', channelId: 'C0TEAMS001', name: 'study' })
      .returning();
    const ids = Object.fromEntries((await test.db.select().from(members)).map((row) => [row.userId, row.id]));
    const award = (userId: string, points: number, ref: string) => ({
      memberId: ids[userId] as number,
      channelId: channel?.id ?? null,
      kind: 'test',
      ref,
      points,
      reason: 'test',
    });
    // Big Team: 40 points over two active members (U3 inactive); Small: 30 points, one member.
    await test.db
      .insert(pointEvents)
      .values([award('U1', 30, 'a'), award('U2', 10, 'b'), award('U4', 30, 'c')]);
    const board = teamBoardMessage(await test.bot.services.teams.teamBoard(place, 'all'));
    const body = board.sections?.[0]?.body ?? '';
    expect(body.split('\n')[0]).toMatch(/^1\. Small: 30\.0 pts per active member \(30 pts, 1 active\)/);
    expect(body.split('\n')[1]).toMatch(/^2\. Big Team: 20\.0 pts per active member \(40 pts, 2 active\)/);
    expect(board.sections?.[1]?.body).toMatch(/1\. study: 23\.3 pts per active member/);
  });
});
