import type { TimeZoneView } from '../../content/stats-messages.ts';
import type { Actor, Place } from '../core/types.ts';
import { type ChannelRow, upsertChannel } from '../db/queries/channels.ts';
import {
  listWorkspaceMembers,
  type MemberRow,
  setMemberTimeZone,
  upsertMember,
} from '../db/queries/members.ts';
import type { Deps } from './deps.ts';
import { formatLocal } from './schedule.ts';

/** The member row for whoever acted, created on first sight. */
export function ensureMember(deps: Deps, actor: Actor): Promise<MemberRow> {
  return upsertMember(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    displayName: actor.displayName,
    timeZone: actor.timeZone,
  });
}

/** Where a stored channel (and optionally a thread in it) is, for a notifier. */
export function placeOfChannel(channel: ChannelRow, threadId?: string | null): Place {
  return {
    platform: channel.platform as Place['platform'],
    workspaceId: channel.workspaceId,
    channelId: channel.channelId,
    channelName: channel.name ?? undefined,
    threadId: threadId ?? undefined,
  };
}

/** The channel row for a place, created on first sight with the default time zone. */
export function ensureChannel(deps: Deps, place: Place): Promise<ChannelRow> {
  return upsertChannel(deps.db, {
    platform: place.platform,
    workspaceId: place.workspaceId,
    channelId: place.channelId,
    name: place.channelName,
    timeZone: deps.config.MLSD_DEFAULT_TIME_ZONE,
  });
}

/** Admins: the platform's own (Slack admins and owners, Discord Manage Server) plus MLSD_ADMINS. */
export function isAdmin(deps: Deps, actor: Actor): boolean {
  return actor.isPlatformAdmin || deps.config.MLSD_ADMINS.includes(actor.userId);
}

const hour = (value: number) => `${String(value).padStart(2, '0')}:00`;

/**
 * `/mlsd timezone [zone]`: shows the time zone a member's streak days (and mock times) follow, or sets it.
 * Where the platform reports a profile time zone with every action (Slack), that one wins.
 */
export async function memberTimeZone(
  deps: Deps,
  place: Place,
  actor: Actor,
  zone?: string,
): Promise<TimeZoneView> {
  const member = await ensureMember(deps, actor);
  const dayStart = hour(deps.config.MLSD_DAY_START_HOUR);
  const fromProfile = actor.timeZone;
  if (zone && fromProfile && zone !== fromProfile) return { kind: 'profile-wins', profile: fromProfile };
  if (zone) {
    await setMemberTimeZone(deps.db, member.id, zone);
    return { kind: 'set', zone, localNow: formatLocal(deps.clock.now(), zone), dayStart };
  }
  if (member.timeZone)
    return { kind: 'member', zone: member.timeZone, fromProfile: Boolean(fromProfile), dayStart };
  const channel = await ensureChannel(deps, place);
  return { kind: 'channel', zone: channel.timeZone, dayStart };
}

/** Every member known in a place's workspace, oldest first. */
export async function listMembers(
  deps: Deps,
  place: Place,
): Promise<Array<{ userId: string; displayName: string }>> {
  const rows = await listWorkspaceMembers(deps.db, {
    platform: place.platform,
    workspaceId: place.workspaceId,
  });
  return rows.map((row) => ({ userId: row.userId, displayName: row.displayName }));
}
