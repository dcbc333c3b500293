import type { Actor, Place } from '../core/types.ts';
import { type ChannelRow, upsertChannel } from '../db/queries/channels.ts';
import { type MemberRow, upsertMember } from '../db/queries/members.ts';
import type { Deps } from './deps.ts';

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
