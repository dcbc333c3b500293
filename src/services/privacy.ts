import {
  CONFIRM_MINUTES,
  type DataFootprint,
  type ExportView,
  exportAbout,
  exportFileMessage,
  FORMER_MEMBER_NAME,
} from '../../content/privacy-messages.ts';
import { UserError } from '../core/errors.ts';
import type { Actor, OutFile } from '../core/types.ts';
import { collectMemberData } from '../db/queries/member-data.ts';
import { findMemberByName, findMemberByUser, type MemberRow } from '../db/queries/members.ts';
import { forgetMember, memberFootprint } from '../db/queries/privacy.ts';
import { type Deps, notifierFor } from './deps.ts';
import { isAdmin } from './members.ts';
import { computeStreak, dayRules, streakDays } from './streaks.ts';
import { upvoteVoterRewrite } from './upvotes.ts';

/**
 * A member's own data: a copy of everything the bot holds about them in one workspace (`/mlsd me export`),
 * and forgetting it (`/mlsd me forget`, or `/mlsd admin purge` for someone who has left). Everything is
 * looked up by platform, workspace and user id, so no other workspace is ever read or touched.
 */

/** A confirmation shown now: its button carries when it was issued, and is good for CONFIRM_MINUTES. */
export type Preview = { data: DataFootprint; issuedAt: number };

export type ExportOutcome =
  | { kind: 'nothing' }
  /** In the member's DMs (the playground: saved to a file). */
  | { kind: 'sent'; view: ExportView }
  /** DMs closed: the file goes with the private reply instead. */
  | { kind: 'attach'; view: ExportView; file: OutFile };

const MINUTE = 60_000; // ms

const memberOf = (deps: Deps, actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>) =>
  findMemberByUser(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    userId: actor.userId,
  });

async function footprintOf(deps: Deps, member: MemberRow): Promise<DataFootprint> {
  const [counts, days] = await Promise.all([
    memberFootprint(deps.db, member.id),
    streakDays(deps.db, member.id, deps.clock.now(), dayRules(deps)),
  ]);
  return { ...counts, streakDays: new Set(days.active).size };
}

/** The export file: every section, even empty ones, so its shape is the same for everybody. */
async function exportFile(deps: Deps, member: MemberRow): Promise<OutFile> {
  const now = deps.clock.now();
  const [data, days] = await Promise.all([
    collectMemberData(deps.db, member.id),
    streakDays(deps.db, member.id, now, dayRules(deps)),
  ]);
  const streak = computeStreak(days);
  const document = {
    about: exportAbout({ platform: member.platform as Actor['platform'], workspaceId: member.workspaceId }),
    exportedAt: now.toISOString(),
    profile: {
      platform: member.platform,
      workspaceId: member.workspaceId,
      userId: member.userId,
      displayName: member.displayName,
      timeZone: member.timeZone,
      hiddenFromBoards: member.hiddenFromBoards,
      firstSeen: member.createdAt,
    },
    answers: data.answers,
    revisions: data.revisions,
    points: {
      total: data.points.reduce((sum, row) => sum + row.points, 0),
      ledger: data.points,
    },
    streak: {
      current: streak.current,
      best: streak.best,
      freezesUsed: streak.freezesUsed,
      activeDays: [...new Set(days.active)].sort(),
      missedDays: [...new Set(days.missed)].sort(),
    },
    mocks: data.mocks,
    feedbackGiven: data.feedbackGiven,
    feedbackReceived: data.feedbackReceived,
    mockRounds: data.mockRounds,
    avoids: data.avoids,
    skips: data.skips,
    team: data.team,
    plan: data.plan,
    drill: data.drill,
  };
  return {
    name: `mlsd-data-${now.toISOString().slice(0, 10)}.json`,
    content: new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`),
    mime: 'application/json',
  };
}

/**
 * `/mlsd me export`: everything the bot holds about the member in this workspace as one JSON file, sent to
 * their DMs; when the platform will not take a DM (Discord members can close theirs), the file is handed
 * back to go with the private reply. Nothing is created for someone the bot does not know.
 */
export async function exportMyData(deps: Deps, actor: Actor): Promise<ExportOutcome> {
  const member = await memberOf(deps, actor);
  if (!member) return { kind: 'nothing' };
  const [file, data] = await Promise.all([exportFile(deps, member), footprintOf(deps, member)]);
  const view = { platform: actor.platform, name: file.name, bytes: file.content.length, data };
  try {
    const posted = await notifierFor(deps, actor.platform).sendDirect(actor.workspaceId, actor.userId, {
      text: exportFileMessage(file.name),
      file,
    });
    return { kind: 'sent', view: { ...view, where: 'dm', link: posted.permalink } };
  } catch (error) {
    deps.log.warn({ err: error }, 'could not send a data export by DM; attaching it to the reply');
    return { kind: 'attach', view: { ...view, where: 'here' }, file };
  }
}

/** `/mlsd me forget`: what forgetting would delete and keep; undefined when the bot holds nothing. */
export async function forgetPreview(deps: Deps, actor: Actor): Promise<Preview | undefined> {
  const member = await memberOf(deps, actor);
  if (!member) return undefined;
  return { data: await footprintOf(deps, member), issuedAt: deps.clock.now().getTime() };
}

/** Refuses a confirmation that is not the presser's own, or that has been lying around too long. */
function checkConfirmation(
  deps: Deps,
  actor: Actor,
  shownTo: string,
  issuedAt: number,
  command: string,
): void {
  if (actor.userId !== shownTo) throw new UserError('not-your-button');
  const age = deps.clock.now().getTime() - issuedAt;
  if (!Number.isFinite(issuedAt) || age > CONFIRM_MINUTES * MINUTE || age < -MINUTE)
    throw new UserError('confirmation-expired', { minutes: CONFIRM_MINUTES, command });
}

async function forget(deps: Deps, member: MemberRow): Promise<DataFootprint | undefined> {
  const { active } = await streakDays(deps.db, member.id, deps.clock.now(), dayRules(deps));
  const kept = await forgetMember(deps.db, {
    platform: member.platform,
    workspaceId: member.workspaceId,
    userId: member.userId,
    formerName: FORMER_MEMBER_NAME,
    upvoteVoter: upvoteVoterRewrite(FORMER_MEMBER_NAME),
    now: deps.clock.now(),
  });
  return kept ? { ...kept, streakDays: new Set(active).size } : undefined;
}

/**
 * The Forget me button: deletes (or anonymises, see queries/privacy.ts) everything of the presser's in this
 * workspace, in one transaction. Only the member it was shown to can press it; a second press finds nothing
 * and returns undefined.
 */
export async function forgetMe(
  deps: Deps,
  actor: Actor,
  confirmation: { userId: string; issuedAt: number },
): Promise<DataFootprint | undefined> {
  checkConfirmation(deps, actor, confirmation.userId, confirmation.issuedAt, '/mlsd me forget');
  const member = await memberOf(deps, actor);
  if (!member) return undefined;
  const forgotten = await forget(deps, member);
  if (forgotten) deps.log.info({ platform: actor.platform, answers: forgotten.answers }, 'member forgotten');
  return forgotten;
}

function requireAdmin(deps: Deps, actor: Actor): void {
  if (!isAdmin(deps, actor))
    throw new UserError('admin-only', { action: 'purge a member’s data', platform: actor.platform });
}

/** A member of the admin's own workspace, by user id (a mention) or, failing that, by display name. */
async function purgeTarget(deps: Deps, admin: Actor, named: string): Promise<MemberRow | undefined> {
  const key = { platform: admin.platform, workspaceId: admin.workspaceId };
  const typed = named.trim().replace(/^@/, '');
  return (
    (await findMemberByUser(deps.db, { ...key, userId: typed })) ??
    (await findMemberByName(deps.db, { ...key, name: typed }))
  );
}

/** `/mlsd admin purge <member>`: who that is here and what purging would delete and keep. */
export async function purgePreview(
  deps: Deps,
  admin: Actor,
  named: string,
): Promise<Preview & { userId: string }> {
  requireAdmin(deps, admin);
  const member = await purgeTarget(deps, admin, named);
  if (!member) throw new UserError('purge-unknown-member', { userId: named });
  return {
    userId: member.userId,
    data: await footprintOf(deps, member),
    issuedAt: deps.clock.now().getTime(),
  };
}

/**
 * The Purge button: forgets a member of the admin's own workspace (as Forget me does). Only the admin it was
 * shown to, still an admin, can press it; a second press finds nothing and returns undefined.
 */
export async function purgeMember(
  deps: Deps,
  admin: Actor,
  confirmation: { userId: string; shownTo: string; issuedAt: number },
): Promise<DataFootprint | undefined> {
  checkConfirmation(deps, admin, confirmation.shownTo, confirmation.issuedAt, '/mlsd admin purge');
  requireAdmin(deps, admin);
  const member = await memberOf(deps, { ...admin, userId: confirmation.userId });
  if (!member) return undefined;
  const purged = await forget(deps, member);
  if (purged) deps.log.info({ platform: admin.platform, by: admin.userId }, 'member purged by an admin');
  return purged;
}
