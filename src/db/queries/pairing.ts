import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Place } from '../../core/types.ts';
import type { Db } from '../client.ts';
import {
  answers,
  channels,
  members,
  mockFeedback,
  pairAvoids,
  pairings,
  pairMembers,
  pairNotices,
  pairRounds,
  pairSkips,
  prompts,
} from '../schema/index.ts';
import { channelStillHere } from './installations.ts';

export type PairMemberRow = typeof pairMembers.$inferSelect;
export type PairingRow = typeof pairings.$inferSelect;
export type RoundRow = typeof pairRounds.$inferSelect;
export type FeedbackRow = typeof mockFeedback.$inferSelect;

export async function upsertPairMember(
  db: Db,
  values: { channelId: number; memberId: number; level: string; topics: string[]; timeZone: string | null },
): Promise<PairMemberRow> {
  const [row] = await db
    .insert(pairMembers)
    .values({ ...values, active: true, pausedUntil: null, ignoredRounds: 0 })
    .onConflictDoUpdate({
      target: [pairMembers.channelId, pairMembers.memberId],
      set: { ...values, active: true, pausedUntil: null, ignoredRounds: 0 },
    })
    .returning();
  return row as PairMemberRow;
}

export async function findPairMember(
  db: Db,
  channelId: number,
  memberId: number,
): Promise<PairMemberRow | undefined> {
  const [row] = await db
    .select()
    .from(pairMembers)
    .where(and(eq(pairMembers.channelId, channelId), eq(pairMembers.memberId, memberId)));
  return row;
}

export async function updatePairMember(
  db: Db,
  id: number,
  values: Partial<Pick<PairMemberRow, 'active' | 'pausedUntil' | 'ignoredRounds' | 'lastRole'>>,
): Promise<void> {
  await db.update(pairMembers).set(values).where(eq(pairMembers.id, id));
}

/** Opted-in members who take part in a round at `at`: active, not paused, not skipping it. */
export async function listRoundParticipants(
  db: Db,
  channelId: number,
  at: Date,
): Promise<Array<PairMemberRow & { userId: string; memberTimeZone: string | null }>> {
  const rows = await db
    .select({ pair: pairMembers, userId: members.userId, memberTimeZone: members.timeZone })
    .from(pairMembers)
    .innerJoin(members, eq(pairMembers.memberId, members.id))
    .where(
      and(
        eq(pairMembers.channelId, channelId),
        eq(pairMembers.active, true),
        or(isNull(pairMembers.pausedUntil), lt(pairMembers.pausedUntil, at)),
        sql`not exists (select 1 from ${pairSkips} where ${pairSkips.channelId} = ${channelId}
          and ${pairSkips.memberId} = ${pairMembers.memberId} and ${pairSkips.scheduledFor} = ${at})`,
      ),
    )
    .orderBy(asc(pairMembers.memberId));
  return rows.map((row) => ({ ...row.pair, userId: row.userId, memberTimeZone: row.memberTimeZone }));
}

export async function listActivePairMembers(db: Db, channelId: number) {
  return db
    .select({ pair: pairMembers, userId: members.userId })
    .from(pairMembers)
    .innerJoin(members, eq(pairMembers.memberId, members.id))
    .where(and(eq(pairMembers.channelId, channelId), eq(pairMembers.active, true)));
}

export async function setAvoid(
  db: Db,
  memberId: number,
  avoidedMemberId: number,
  avoid: boolean,
): Promise<void> {
  if (avoid) await db.insert(pairAvoids).values({ memberId, avoidedMemberId }).onConflictDoNothing();
  else
    await db
      .delete(pairAvoids)
      .where(and(eq(pairAvoids.memberId, memberId), eq(pairAvoids.avoidedMemberId, avoidedMemberId)));
}

export async function listAvoids(db: Db, memberIds: number[]): Promise<Array<[number, number]>> {
  if (memberIds.length === 0) return [];
  const rows = await db.select().from(pairAvoids).where(inArray(pairAvoids.memberId, memberIds));
  return rows.map((row) => [row.memberId, row.avoidedMemberId]);
}

/**
 * Creates the round of a channel for a scheduled time; undefined when it exists already (a job that fired
 * twice, a retried worker), so the caller never pairs twice.
 */
export async function createRound(
  db: Db,
  values: { channelId: number; scheduledFor: Date; endsAt: Date },
): Promise<RoundRow | undefined> {
  const [row] = await db
    .insert(pairRounds)
    .values(values)
    .onConflictDoNothing({ target: [pairRounds.channelId, pairRounds.scheduledFor] })
    .returning();
  return row;
}

export async function findRound(db: Db, id: number): Promise<RoundRow | undefined> {
  const [row] = await db.select().from(pairRounds).where(eq(pairRounds.id, id));
  return row;
}

export async function findRoundAt(
  db: Db,
  channelId: number,
  scheduledFor: Date,
): Promise<RoundRow | undefined> {
  const [row] = await db
    .select()
    .from(pairRounds)
    .where(and(eq(pairRounds.channelId, channelId), eq(pairRounds.scheduledFor, scheduledFor)));
  return row;
}

export async function latestRound(db: Db, channelId: number): Promise<RoundRow | undefined> {
  const [row] = await db
    .select()
    .from(pairRounds)
    .where(eq(pairRounds.channelId, channelId))
    .orderBy(desc(pairRounds.scheduledFor))
    .limit(1);
  return row;
}

export async function setRoundUnmatched(
  db: Db,
  roundId: number,
  unmatched: RoundRow['unmatched'],
): Promise<void> {
  await db.update(pairRounds).set({ unmatched }).where(eq(pairRounds.id, roundId));
}

/** Claims a once-per-round step (telling the unmatched, the end-of-round accounting). */
export async function claimRoundStep(
  db: Db,
  roundId: number,
  step: 'unmatchedToldAt' | 'checkedInAt',
  now: Date,
): Promise<boolean> {
  const column = pairRounds[step];
  const rows = await db
    .update(pairRounds)
    .set({ [step]: now })
    .where(and(eq(pairRounds.id, roundId), isNull(column)))
    .returning({ id: pairRounds.id });
  return rows.length > 0;
}

/** Every past group of a channel with the index of its round (oldest round = 0), for the matcher. */
export async function listPairHistory(
  db: Db,
  channelId: number,
): Promise<
  Array<{
    round: number;
    members: number[];
    interviewerId: number;
    candidateId: number;
    observerId: number | null;
  }>
> {
  const rounds = await db
    .select({ id: pairRounds.id })
    .from(pairRounds)
    .where(eq(pairRounds.channelId, channelId))
    .orderBy(asc(pairRounds.scheduledFor));
  const index = new Map(rounds.map((round, position) => [round.id, position]));
  if (rounds.length === 0) return [];
  const rows = await db
    .select()
    .from(pairings)
    .where(
      inArray(
        pairings.roundId,
        rounds.map((round) => round.id),
      ),
    );
  return rows.map((row) => ({
    round: index.get(row.roundId) ?? 0,
    members: [row.interviewerId, row.candidateId, ...(row.observerId ? [row.observerId] : [])],
    interviewerId: row.interviewerId,
    candidateId: row.candidateId,
    observerId: row.observerId,
  }));
}

export async function insertPairings(
  db: Db,
  values: Array<{
    roundId: number;
    caseId: string;
    interviewerId: number;
    candidateId: number;
    observerId: number | null;
  }>,
): Promise<PairingRow[]> {
  if (values.length === 0) return [];
  return db.insert(pairings).values(values).returning();
}

export async function listRoundPairings(db: Db, roundId: number): Promise<PairingRow[]> {
  return db.select().from(pairings).where(eq(pairings.roundId, roundId)).orderBy(asc(pairings.id));
}

export async function findPairing(db: Db, id: number): Promise<PairingRow | undefined> {
  const [row] = await db.select().from(pairings).where(eq(pairings.id, id));
  return row;
}

type PairingStep = 'notifiedAt' | 'guideSentAt' | 'nudgedAt' | 'checkinSentAt';

/** Records that one notification of a pairing went out (the sends ledger keeps it to once). */
export async function markPairingStep(
  db: Db,
  id: number,
  step: PairingStep,
  now: Date,
): Promise<PairingRow | undefined> {
  const [row] = await db
    .update(pairings)
    .set({ [step]: now })
    .where(and(eq(pairings.id, id), isNull(pairings[step])))
    .returning();
  return row;
}

export async function setPairingConversation(db: Db, id: number, conversation: Place): Promise<void> {
  await db.update(pairings).set({ conversation }).where(eq(pairings.id, id));
}

/** Records that a member responded; moves the status unless it is already final. Returns the new row. */
export async function respondToPairing(
  db: Db,
  id: number,
  memberId: number,
  status: 'scheduled' | 'done' | 'missed' | undefined,
  now: Date,
): Promise<{ row: PairingRow | undefined; changed: boolean }> {
  await db
    .update(pairings)
    .set({
      responded: sql`array(select distinct unnest(array_append(${pairings.responded}, ${memberId}::int)))`,
    })
    .where(eq(pairings.id, id));
  if (!status) return { row: await findPairing(db, id), changed: false };
  const [changed] = await db
    .update(pairings)
    .set({ status, ...(status === 'done' ? { doneAt: now } : {}) })
    .where(and(eq(pairings.id, id), sql`${pairings.status} <> ${status}`, sql`${pairings.status} <> 'done'`))
    .returning();
  return { row: changed ?? (await findPairing(db, id)), changed: Boolean(changed) };
}

export async function insertFeedback(
  db: Db,
  values: typeof mockFeedback.$inferInsert,
): Promise<FeedbackRow | undefined> {
  const [row] = await db
    .insert(mockFeedback)
    .values(values)
    .onConflictDoNothing({ target: [mockFeedback.pairingId, mockFeedback.fromMemberId] })
    .returning();
  return row;
}

/** Whether a member has given their feedback on a mock already. */
export async function hasGivenFeedback(db: Db, pairingId: number, memberId: number): Promise<boolean> {
  const rows = await db
    .select({ id: mockFeedback.id })
    .from(mockFeedback)
    .where(and(eq(mockFeedback.pairingId, pairingId), eq(mockFeedback.fromMemberId, memberId)));
  return rows.length > 0;
}

/** Whether the notices of a channel's round at `scheduledFor` went out. */
export async function noticeSent(db: Db, channelId: number, scheduledFor: Date): Promise<boolean> {
  const rows = await db
    .select({ channelId: pairNotices.channelId })
    .from(pairNotices)
    .where(and(eq(pairNotices.channelId, channelId), eq(pairNotices.scheduledFor, scheduledFor)));
  return rows.length > 0;
}

/** Records that the notices of a channel's round at `scheduledFor` went out. */
export async function recordNotice(db: Db, channelId: number, scheduledFor: Date): Promise<void> {
  await db.insert(pairNotices).values({ channelId, scheduledFor }).onConflictDoNothing();
}

export async function addSkip(
  db: Db,
  channelId: number,
  memberId: number,
  scheduledFor: Date,
): Promise<void> {
  await db.insert(pairSkips).values({ channelId, memberId, scheduledFor }).onConflictDoNothing();
}

/** Cases a member has met: posted as a daily in a channel they answered in, or done in any mock. */
export async function listSeenCases(db: Db, memberId: number): Promise<Set<string>> {
  const daily = await db
    .selectDistinct({ caseId: prompts.caseId })
    .from(answers)
    .innerJoin(prompts, eq(answers.promptId, prompts.id))
    .where(eq(answers.memberId, memberId));
  const mocks = await db
    .selectDistinct({ caseId: pairings.caseId })
    .from(pairings)
    .where(pairingsOf(memberId));
  return new Set([...daily, ...mocks].map((row) => row.caseId));
}

/** Cases posted to a channel's daily since a time (what a member who joined then has been shown). */
export async function listChannelCasesSince(db: Db, channelId: number, since: Date): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ caseId: prompts.caseId })
    .from(prompts)
    .where(and(eq(prompts.channelId, channelId), gt(prompts.createdAt, since)));
  return new Set(rows.map((row) => row.caseId));
}

export async function listPairEnabledChannels(db: Db) {
  return db
    .select()
    .from(channels)
    .where(and(eq(channels.pairEnabled, true), channelStillHere()));
}

/** Mocks a member took part in, in any role. */
export const pairingsOf = (memberId: number) =>
  or(
    eq(pairings.interviewerId, memberId),
    eq(pairings.candidateId, memberId),
    eq(pairings.observerId, memberId),
  );
