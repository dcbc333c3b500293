import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.ts';
import { channels, pointEvents, prompts } from '../../src/db/schema/index.ts';
import { POINTS } from '../../src/services/points.ts';
import { startTestBot, type TestBot, TestClock } from '../helpers/bot.ts';

const ANSWER = `Clarify the goal and the scale, frame it as binary classification with chargebacks as delayed
labels, build features from the card, the merchant and recent velocity, train gradient boosted trees with
class weights, evaluate on precision at a fixed review budget, serve within the payment latency budget, and
monitor drift and the fraud rate with alerts and scheduled retraining.`;

/** Peer upvotes: capped per answer even when votes arrive together, never for one's own answer. */
describe('answer upvotes', () => {
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  let test: TestBot;
  const person = (userId: string): Actor => ({
    platform: 'slack',
    workspaceId: 'T1',
    userId,
    displayName: userId,
    isPlatformAdmin: false,
  });

  beforeAll(async () => {
    test = await startTestBot({ workers: false, clock });
    const [channel] = await test.db
      .insert(channels)
      .values({ platform: 'slack', workspaceId: 'T1', channelId: 'CUP', timeZone: 'UTC' })
      .returning();
    const [prompt] = await test.db
      .insert(prompts)
      .values({
        channelId: channel?.id ?? 0,
        caseId: 'fraud-detection',
        localDate: '2026-11-23',
        messageId: 'p1',
        threadId: 'p1',
        postedAt: new Date('2026-11-23T09:00:00Z'),
        closesAt: new Date('2026-11-24T09:00:00Z'),
      })
      .returning();
    const outcome = await test.bot.services.answers.answerByForm(prompt?.id ?? 0, {
      actor: person('UAUTHOR'),
      messageId: 'reply-1',
      text: ANSWER,
      sentAt: clock.now(),
      source: 'form',
    });
    expect(outcome.kind).toBe('graded');
  });

  afterAll(async () => {
    await test?.stop();
  });

  it(`awards ${POINTS.upvote} points per voter to at most ${POINTS.upvotesPerAnswer} voters, however they race`, async () => {
    const vote = async (userId: string) =>
      (
        await test.bot.services.upvotes.upvoteAnswer({
          voter: person(userId),
          channelId: 'CUP',
          messageId: 'reply-1',
        })
      ).outcome;
    expect(await vote('UAUTHOR')).toBe('own');
    expect(
      await test.bot.services.upvotes.upvoteAnswer({
        voter: person('U1'),
        channelId: 'CUP',
        messageId: 'nope',
      }),
    ).toEqual({ outcome: 'not-an-answer' });
    const outcomes = await Promise.all(['U1', 'U2', 'U3', 'U4', 'U5', 'U1'].map(vote));
    expect(outcomes.filter((outcome) => outcome === 'counted')).toHaveLength(POINTS.upvotesPerAnswer);
    const rows = await test.db.select().from(pointEvents).where(eq(pointEvents.kind, 'answer-upvote'));
    expect(rows).toHaveLength(POINTS.upvotesPerAnswer);
    expect(new Set(rows.map((row) => row.ref)).size).toBe(POINTS.upvotesPerAnswer);
  });
});
