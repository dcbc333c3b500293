import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import {
  answers,
  channels,
  drillItems,
  drillReviews,
  members,
  mockFeedback,
  pairAvoids,
  pairings,
  pairMembers,
  pairRounds,
  pairSkips,
  plans,
  pointEvents,
  prompts,
  revisions,
  teamMembers,
  teams,
} from '../schema/index.ts';
import { pairingsOf } from './pairing.ts';

const channelName = (row: { name: string | null; channelId: string } | null) =>
  row ? (row.name ?? row.channelId) : null;

/**
 * Every row the bot holds about one member, for their export: answers and revisions with their grades, the
 * ledger, mocks with the partners' user ids, mock feedback both ways, mock-round settings, avoids and skips,
 * team, plan and drill. Rows reference only this member's own data or their counterparts' user ids.
 */
export async function collectMemberData(db: Db, memberId: number) {
  const interviewer = alias(members, 'interviewer');
  const candidate = alias(members, 'candidate');
  const observer = alias(members, 'observer');
  const other = alias(members, 'other');
  const [
    answered,
    revised,
    ledger,
    mocks,
    given,
    received,
    rounds,
    avoided,
    skipped,
    team,
    plan,
    items,
    reviews,
  ] = await Promise.all([
    db
      .select({ answer: answers, prompt: prompts, channel: channels })
      .from(answers)
      .innerJoin(prompts, eq(prompts.id, answers.promptId))
      .innerJoin(channels, eq(channels.id, prompts.channelId))
      .where(eq(answers.memberId, memberId))
      .orderBy(asc(answers.sentAt)),
    db
      .select({ revision: revisions, prompt: prompts })
      .from(revisions)
      .innerJoin(prompts, eq(prompts.id, revisions.promptId))
      .where(eq(revisions.memberId, memberId))
      .orderBy(asc(revisions.createdAt)),
    db
      .select({ event: pointEvents, channel: channels })
      .from(pointEvents)
      .leftJoin(channels, eq(channels.id, pointEvents.channelId))
      .where(eq(pointEvents.memberId, memberId))
      .orderBy(asc(pointEvents.createdAt), asc(pointEvents.id)),
    db
      .select({
        pairing: pairings,
        round: pairRounds,
        channel: channels,
        interviewer: interviewer.userId,
        candidate: candidate.userId,
        observer: observer.userId,
      })
      .from(pairings)
      .innerJoin(pairRounds, eq(pairRounds.id, pairings.roundId))
      .innerJoin(channels, eq(channels.id, pairRounds.channelId))
      .innerJoin(interviewer, eq(interviewer.id, pairings.interviewerId))
      .innerJoin(candidate, eq(candidate.id, pairings.candidateId))
      .leftJoin(observer, eq(observer.id, pairings.observerId))
      .where(pairingsOf(memberId))
      .orderBy(asc(pairRounds.scheduledFor)),
    db
      .select({ feedback: mockFeedback, about: other.userId })
      .from(mockFeedback)
      .innerJoin(other, eq(other.id, mockFeedback.aboutMemberId))
      .where(eq(mockFeedback.fromMemberId, memberId))
      .orderBy(asc(mockFeedback.createdAt)),
    db
      .select({ feedback: mockFeedback, from: other.userId })
      .from(mockFeedback)
      .innerJoin(other, eq(other.id, mockFeedback.fromMemberId))
      .where(eq(mockFeedback.aboutMemberId, memberId))
      .orderBy(asc(mockFeedback.createdAt)),
    db
      .select({ settings: pairMembers, channel: channels })
      .from(pairMembers)
      .innerJoin(channels, eq(channels.id, pairMembers.channelId))
      .where(eq(pairMembers.memberId, memberId)),
    db
      .select({ userId: other.userId, since: pairAvoids.createdAt })
      .from(pairAvoids)
      .innerJoin(other, eq(other.id, pairAvoids.avoidedMemberId))
      .where(eq(pairAvoids.memberId, memberId)),
    db
      .select({ skip: pairSkips, channel: channels })
      .from(pairSkips)
      .innerJoin(channels, eq(channels.id, pairSkips.channelId))
      .where(eq(pairSkips.memberId, memberId)),
    db
      .select({ name: teams.name, joinedAt: teamMembers.joinedAt })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.memberId, memberId)),
    db
      .select({ plan: plans, channel: channels })
      .from(plans)
      .leftJoin(channels, eq(channels.id, plans.channelId))
      .where(eq(plans.memberId, memberId)),
    db.select().from(drillItems).where(eq(drillItems.memberId, memberId)).orderBy(asc(drillItems.itemKey)),
    db
      .select()
      .from(drillReviews)
      .where(eq(drillReviews.memberId, memberId))
      .orderBy(asc(drillReviews.reviewedAt), asc(drillReviews.id)),
  ]);
  return {
    answers: answered.map(({ answer, prompt, channel }) => ({
      channel: channelName(channel),
      caseId: prompt.caseId,
      focusStep: prompt.focusStep,
      localDate: prompt.localDate,
      source: answer.source,
      text: answer.text,
      score: answer.score,
      coverage: answer.coverage,
      matches: answer.matches,
      wordCount: answer.wordCount,
      version: answer.version,
      sentAt: answer.sentAt,
      updatedAt: answer.updatedAt,
    })),
    revisions: revised.map(({ revision, prompt }) => ({
      caseId: prompt.caseId,
      localDate: prompt.localDate,
      step: revision.step,
      text: revision.text,
      score: revision.score,
      coverage: revision.coverage,
      wordCount: revision.wordCount,
      createdAt: revision.createdAt,
    })),
    points: ledger.map(({ event, channel }) => ({
      kind: event.kind,
      ref: event.ref,
      points: event.points,
      reason: event.reason,
      channel: channelName(channel),
      at: event.createdAt,
    })),
    mocks: mocks.map((row) => ({
      channel: channelName(row.channel),
      caseId: row.pairing.caseId,
      round: row.round.scheduledFor,
      role:
        row.pairing.interviewerId === memberId
          ? 'interviewer'
          : row.pairing.candidateId === memberId
            ? 'candidate'
            : 'observer',
      interviewer: row.interviewer,
      candidate: row.candidate,
      observer: row.observer,
      status: row.pairing.status,
      doneAt: row.pairing.doneAt,
    })),
    feedbackGiven: given.map(({ feedback, about }) => ({ about, ...feedbackFields(feedback) })),
    feedbackReceived: received.map(({ feedback, from }) => ({ from, ...feedbackFields(feedback) })),
    mockRounds: rounds.map(({ settings, channel }) => ({
      channel: channelName(channel),
      level: settings.level,
      topics: settings.topics,
      timeZone: settings.timeZone,
      active: settings.active,
      pausedUntil: settings.pausedUntil,
      lastRole: settings.lastRole,
      joinedAt: settings.joinedAt,
    })),
    avoids: avoided,
    skips: skipped.map(({ skip, channel }) => ({ channel: channelName(channel), round: skip.scheduledFor })),
    team: team[0] ?? null,
    plan: plan[0]
      ? {
          channel: channelName(plan[0].channel),
          interviewDate: plan[0].plan.interviewDate,
          startDate: plan[0].plan.startDate,
          level: plan[0].plan.level,
          morningTime: plan[0].plan.morningTime,
          lastActiveAt: plan[0].plan.lastActiveAt,
          createdAt: plan[0].plan.createdAt,
        }
      : null,
    drill: {
      items: items.map(({ memberId: _member, ...item }) => item),
      reviews: reviews.map(({ memberId: _member, id: _id, ...review }) => review),
    },
  };
}

function feedbackFields(feedback: typeof mockFeedback.$inferSelect) {
  return {
    role: feedback.role,
    ratings: feedback.ratings,
    communication: feedback.communication,
    strength: feedback.strength,
    improve: feedback.improve,
    at: feedback.createdAt,
  };
}

export type MemberData = Awaited<ReturnType<typeof collectMemberData>>;
