// Who takes part: opting in and out, pauses, skips, avoid lists and a member's status.
import { DateTime } from 'luxon';
import type { PairJoined, PairPause, PairStatusView, RoundSkip } from '../../../content/pairing-messages.ts';
import { UserError } from '../../core/errors.ts';
import type { Actor, Place } from '../../core/types.ts';
import { findChannel } from '../../db/queries/channels.ts';
import { findMember, findMemberByUser, isFormerMember, setMemberTimeZone } from '../../db/queries/members.ts';
import {
  addSkip,
  findPairMember,
  latestRound,
  listRoundPairings,
  setAvoid,
  updatePairMember,
  upsertPairMember,
} from '../../db/queries/pairing.ts';
import { mockCounts } from '../../db/queries/stats.ts';
import type { Level } from '../../engines/matching/index.ts';
import type { Deps } from '../deps.ts';
import { ensureChannel, ensureMember } from '../members.ts';
import { formatLocal } from '../schedule.ts';
import { nextRoundTime, pairZone } from './schedule.ts';

async function requireChannelMember(deps: Deps, place: Place, actor: Actor) {
  const [channel, member] = await Promise.all([ensureChannel(deps, place), ensureMember(deps, actor)]);
  return { channel, member };
}

export type JoinInput = {
  level?: Level | undefined;
  topics?: string[] | undefined;
  timezone?: string | undefined;
};

/** `/mlsd pair join`: opt in (or update your settings and come back from a pause). */
export async function join(deps: Deps, place: Place, actor: Actor, input: JoinInput): Promise<PairJoined> {
  const { channel, member } = await requireChannelMember(deps, place, actor);
  const previous = await findPairMember(deps.db, channel.id, member.id);
  const row = await upsertPairMember(deps.db, {
    channelId: channel.id,
    memberId: member.id,
    level: input.level ?? previous?.level ?? 'mid',
    topics: input.topics ?? previous?.topics ?? [],
    timeZone: input.timezone ?? previous?.timeZone ?? actor.timeZone ?? null,
  });
  // Where the platform reports no time zone (Discord), the one given here is the member's for streaks too.
  if (input.timezone && !actor.timeZone && !member.timeZone)
    await setMemberTimeZone(deps.db, member.id, input.timezone);
  const next = channel.pairEnabled
    ? formatLocal(nextRoundTime(channel, deps.clock.now()), row.timeZone ?? pairZone(channel))
    : undefined;
  return { level: row.level, topics: row.topics, timeZone: row.timeZone, next };
}

/** `/mlsd pair leave`: out of rounds here, history kept. */
export async function leave(deps: Deps, place: Place, actor: Actor): Promise<void> {
  const { channel, member } = await requireChannelMember(deps, place, actor);
  const row = await findPairMember(deps.db, channel.id, member.id);
  if (!row?.active) throw new UserError('not-opted-in', { action: 'leave' });
  await updatePairMember(deps.db, row.id, { active: false });
}

/** When a pause ends: a number of days from now, or the start of a date in the member's time zone. */
export type PauseUntil = { days: number } | { date: string };

export async function pause(deps: Deps, place: Place, actor: Actor, length: PauseUntil): Promise<PairPause> {
  const { channel, member } = await requireChannelMember(deps, place, actor);
  const now = deps.clock.now();
  const zone = actor.timeZone ?? pairZone(channel);
  const until =
    'days' in length
      ? new Date(now.getTime() + length.days * 86_400_000)
      : DateTime.fromISO(length.date, { zone }).toJSDate();
  if (until.getTime() <= now.getTime()) throw new UserError('pause-in-past');
  const row = await findPairMember(deps.db, channel.id, member.id);
  if (!row?.active) throw new UserError('not-opted-in', { action: 'pause' });
  await updatePairMember(deps.db, row.id, { pausedUntil: until });
  return { until: formatLocal(until, row.timeZone ?? pairZone(channel)) };
}

/** `/mlsd pair status`: settings, the next round, this round's partner and case, mocks so far. */
export async function status(deps: Deps, place: Place, actor: Actor): Promise<PairStatusView> {
  const { channel, member } = await requireChannelMember(deps, place, actor);
  const row = await findPairMember(deps.db, channel.id, member.id);
  const mocks = await mockCounts(deps.db, member.id);
  const round = await latestRound(deps.db, channel.id);
  const current = round
    ? (await listRoundPairings(deps.db, round.id)).find((pairing) =>
        [pairing.interviewerId, pairing.candidateId, pairing.observerId].includes(member.id),
      )
    : undefined;
  const zone = row?.timeZone ?? pairZone(channel);
  const view: PairStatusView = {
    opted: row?.active
      ? {
          level: row.level,
          topics: row.topics,
          pausedUntil:
            row.pausedUntil && row.pausedUntil > deps.clock.now()
              ? formatLocal(row.pausedUntil, zone)
              : undefined,
        }
      : undefined,
    next: channel.pairEnabled
      ? { when: formatLocal(nextRoundTime(channel, deps.clock.now()), zone), cadence: channel.pairCadence }
      : undefined,
    mocks: { done: mocks.done, total: mocks.total },
  };
  if (current && round && round.endsAt > deps.clock.now()) {
    const partnerId = current.interviewerId === member.id ? current.candidateId : current.interviewerId;
    const partner = await findMember(deps.db, partnerId);
    view.current = {
      role:
        current.interviewerId === member.id
          ? 'interviewer'
          : current.candidateId === member.id
            ? 'candidate'
            : 'observer',
      partner: partner && !isFormerMember(partner.userId) ? partner.userId : undefined,
      caseTitle: deps.library.cases.get(current.caseId)?.title ?? current.caseId,
      status: current.status,
    };
  }
  return view;
}

/** `/mlsd pair avoid` (`on`) and `unavoid`: never (again) paired with that member; they are never told. */
export async function avoid(
  deps: Deps,
  place: Place,
  actor: Actor,
  targetUserId: string,
  on: boolean,
): Promise<void> {
  const { member } = await requireChannelMember(deps, place, actor);
  if (targetUserId === actor.userId) throw new UserError('avoid-self');
  const target = await findMemberByUser(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    userId: targetUserId,
  });
  if (!target) {
    throw new UserError('avoid-unknown-member', {
      userId: targetUserId,
      subcommand: on ? 'avoid' : 'unavoid',
    });
  }
  await setAvoid(deps.db, member.id, target.id, on);
}

/** The "Skip this round" button of the day-before notice: sit out the round at `millis`, only that one. */
export async function skipRound(
  deps: Deps,
  actor: Actor,
  channelId: number,
  millis: number,
): Promise<RoundSkip> {
  const member = await ensureMember(deps, actor);
  // The button names a channel: only one of the member's own workspace, where they take part in rounds.
  const channel = await findChannel(deps.db, channelId);
  const taking =
    channel && channel.platform === actor.platform && channel.workspaceId === actor.workspaceId
      ? await findPairMember(deps.db, channel.id, member.id)
      : undefined;
  if (!taking) throw new UserError('not-opted-in', { action: 'skip' });
  const at = new Date(millis);
  if (at.getTime() < deps.clock.now().getTime()) throw new UserError('skip-too-late');
  await addSkip(deps.db, channelId, member.id, at);
  return { date: at.toISOString().slice(0, 10) };
}
