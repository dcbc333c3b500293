import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  answers,
  drillItems,
  drillReviews,
  formDrafts,
  members,
  mockFeedback,
  pairAvoids,
  pairings,
  pairMembers,
  pairRounds,
  pairSkips,
  plans,
  pointEvents,
  revisions,
  teamMembers,
} from '../schema/index.ts';
import { FORMER_USER_PREFIX, isFormerMember, type MemberRow } from './members.ts';
import { handOverPoints, lockWorkspaceBoards } from './points.ts';

/** What the bot holds about one member, counted (the streak's days are counted by the service). */
export type Footprint = {
  answers: number;
  revisions: number;
  feedbackGiven: number;
  feedbackReceived: number;
  plan: boolean;
  drillItems: number;
  drillReviews: number;
  pairChannels: number;
  avoids: number;
  points: { rows: number; total: number };
  upvotesCast: number;
  mocks: number;
  team?: string | undefined;
};

/** The ref suffix of the upvote awards a member gave (see services/upvotes.ts). */
const votedBy = (memberId: number) => `%:voter:${memberId}`;

type Rows = { rows: Array<Record<string, string | number | boolean | null>> };

/** Everything counted about a member in one round trip. */
export async function memberFootprint(db: Db, memberId: number): Promise<Footprint> {
  const result = await db.execute(sql`
    select
      (select count(*) from ${answers} where member_id = ${memberId}) as answers,
      (select count(*) from ${revisions} where member_id = ${memberId}) as revisions,
      (select count(*) from ${mockFeedback} where from_member_id = ${memberId}) as feedback_given,
      (select count(*) from ${mockFeedback} where about_member_id = ${memberId}) as feedback_received,
      exists (select 1 from ${plans} where member_id = ${memberId}) as plan,
      (select count(*) from ${drillItems} where member_id = ${memberId}) as drill_items,
      (select count(*) from ${drillReviews} where member_id = ${memberId}) as drill_reviews,
      (select count(*) from ${pairMembers} where member_id = ${memberId}) as pair_channels,
      (select count(*) from ${pairAvoids} where member_id = ${memberId}) as avoids,
      (select count(*) from ${pointEvents} where member_id = ${memberId}) as point_rows,
      (select coalesce(sum(points), 0) from ${pointEvents} where member_id = ${memberId}) as point_total,
      (select count(*) from ${pointEvents}
        where kind = 'answer-upvote' and ref like ${votedBy(memberId)}) as upvotes_cast,
      (select count(*) from ${pairings}
        where ${memberId} in (interviewer_id, candidate_id, observer_id)) as mocks,
      (select t.name from team_members tm join teams t on t.id = tm.team_id
        where tm.member_id = ${memberId}) as team`);
  const row = (result as unknown as Rows).rows[0] ?? {};
  const n = (key: string) => Number(row[key] ?? 0);
  return {
    answers: n('answers'),
    revisions: n('revisions'),
    feedbackGiven: n('feedback_given'),
    feedbackReceived: n('feedback_received'),
    plan: row.plan === true || row.plan === 't',
    drillItems: n('drill_items'),
    drillReviews: n('drill_reviews'),
    pairChannels: n('pair_channels'),
    avoids: n('avoids'),
    points: { rows: n('point_rows'), total: n('point_total') },
    upvotesCast: n('upvotes_cast'),
    mocks: n('mocks'),
    team: row.team === null || row.team === undefined ? undefined : String(row.team),
  };
}

export type ForgetInput = {
  platform: string;
  workspaceId: string;
  userId: string;
  /** The stand-in's display name (content's words). */
  formerName: string;
  /** Rewrites the voter's name in the reasons of upvotes the member gave (a Postgres regex and its replacement). */
  upvoteVoter: { pattern: string; replacement: string };
  now: Date;
};

/**
 * Forgets one member of one workspace in one transaction, and returns what there was; undefined when the
 * workspace holds nobody by that id (forgotten already: a second press changes nothing). Their answers,
 * revisions, mock feedback both ways, plan, drill, streak, mock-round settings, form drafts and profile are
 * deleted. What other members' figures rest on moves to a hidden stand-in (`former:<id>`): the ledger rows and
 * board totals (so channel and team totals stay), their team seat and their mocks (partners keep their counts);
 * mocks still open are closed without a further message. Upvotes they gave keep their points for the authors,
 * the voter's name rewritten.
 */
export async function forgetMember(db: Db, input: ForgetInput): Promise<Footprint | undefined> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    // The row lock first: a concurrent award for this member (its foreign key check) waits for the commit
    // and then fails, and a second confirmation waits and then finds nobody.
    const [member] = await tx
      .select()
      .from(members)
      .where(
        and(
          eq(members.platform, input.platform),
          eq(members.workspaceId, input.workspaceId),
          eq(members.userId, input.userId),
        ),
      )
      .for('update');
    if (!member || isFormerMember(member.userId)) return undefined;
    const footprint = await memberFootprint(tx, member.id);
    await lockWorkspaceBoards(tx, member.platform, member.workspaceId);
    const former = await createStandIn(tx, member, input.formerName);
    await handOverPoints(tx, { id: member.id, hidden: member.hiddenFromBoards }, former);
    await tx.execute(sql`
      update ${pointEvents} set reason = regexp_replace(reason, ${input.upvoteVoter.pattern}, ${input.upvoteVoter.replacement})
      where kind = 'answer-upvote' and ref like ${votedBy(member.id)}`);
    await handOverMocks(tx, member.id, former, input.now);
    await tx.update(teamMembers).set({ memberId: former }).where(eq(teamMembers.memberId, member.id));
    await tx
      .delete(mockFeedback)
      .where(or(eq(mockFeedback.fromMemberId, member.id), eq(mockFeedback.aboutMemberId, member.id)));
    await tx.delete(revisions).where(eq(revisions.memberId, member.id));
    await tx.delete(answers).where(eq(answers.memberId, member.id));
    await tx.delete(drillReviews).where(eq(drillReviews.memberId, member.id));
    await tx.delete(drillItems).where(eq(drillItems.memberId, member.id));
    await tx.delete(plans).where(eq(plans.memberId, member.id));
    await tx.delete(pairSkips).where(eq(pairSkips.memberId, member.id));
    await tx.delete(pairMembers).where(eq(pairMembers.memberId, member.id));
    await tx
      .delete(pairAvoids)
      .where(or(eq(pairAvoids.memberId, member.id), eq(pairAvoids.avoidedMemberId, member.id)));
    await tx
      .delete(formDrafts)
      .where(
        and(
          eq(formDrafts.platform, member.platform),
          eq(formDrafts.workspaceId, member.workspaceId),
          eq(formDrafts.userId, member.userId),
        ),
      );
    // A round's note of who could not be paired names members by id.
    await tx.execute(sql`
      update ${pairRounds} set unmatched = coalesce(
        (select jsonb_agg(note) from jsonb_array_elements(unmatched) as note
          where (note->>'memberId')::int <> ${member.id}), '[]'::jsonb)
      where unmatched @> ${JSON.stringify([{ memberId: member.id }])}::jsonb`);
    await tx.delete(members).where(eq(members.id, member.id));
    return footprint;
  });
}

/** The hidden member a forgotten one's kept rows move to, in the same workspace. */
async function createStandIn(tx: Db, member: MemberRow, name: string): Promise<number> {
  const [row] = await tx
    .insert(members)
    .values({
      platform: member.platform,
      workspaceId: member.workspaceId,
      userId: `${FORMER_USER_PREFIX}${member.id}`,
      displayName: name,
      hiddenFromBoards: true,
    })
    .returning({ id: members.id });
  if (!row) throw new Error('could not create the stand-in of a forgotten member');
  return row.id;
}

/**
 * A forgotten member's mocks go to their stand-in, so partners keep their mock counts. A mock still open is
 * closed as missed with every step marked sent: no job opens a group, guides, nudges or checks in on it, and
 * nobody in it counts as having ignored the round.
 */
async function handOverMocks(tx: Db, memberId: number, formerId: number, now: Date): Promise<void> {
  const at = now.toISOString();
  const takesPart = sql`${memberId}::int in (${pairings.interviewerId}, ${pairings.candidateId}, ${pairings.observerId})`;
  await tx
    .update(pairings)
    .set({
      status: 'missed',
      responded: sql`array_remove(array[${pairings.interviewerId}, ${pairings.candidateId}, ${pairings.observerId}], null)`,
      notifiedAt: sql`coalesce(${pairings.notifiedAt}, ${at}::timestamptz)`,
      guideSentAt: sql`coalesce(${pairings.guideSentAt}, ${at}::timestamptz)`,
      nudgedAt: sql`coalesce(${pairings.nudgedAt}, ${at}::timestamptz)`,
      checkinSentAt: sql`coalesce(${pairings.checkinSentAt}, ${at}::timestamptz)`,
    })
    .where(and(takesPart, inArray(pairings.status, ['pending', 'scheduled'])));
  await tx
    .update(pairings)
    .set({
      interviewerId: sql`case when ${pairings.interviewerId} = ${memberId}::int then ${formerId}::int else ${pairings.interviewerId} end`,
      candidateId: sql`case when ${pairings.candidateId} = ${memberId}::int then ${formerId}::int else ${pairings.candidateId} end`,
      observerId: sql`case when ${pairings.observerId} = ${memberId}::int then ${formerId}::int else ${pairings.observerId} end`,
      responded: sql`array_replace(${pairings.responded}, ${memberId}::int, ${formerId}::int)`,
    })
    .where(takesPart);
}
