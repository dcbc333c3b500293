import type { TeamBoardView, TeamMove } from '../../content/board-messages.ts';
import { UserError } from '../core/errors.ts';
import type { Actor, Place } from '../core/types.ts';
import {
  channelRatios,
  createTeam,
  findTeamByName,
  joinTeam,
  leaveTeam,
  listTeams,
  teamOf,
  teamSize,
  teamStandings,
} from '../db/queries/teams.ts';
import type { Deps } from './deps.ts';
import { ensureChannel, ensureMember } from './members.ts';
import { type Period, periodStart } from './schedule.ts';

/** `/mlsd team create`: a new team in the workspace, joined by its creator (leaving their old one). */
export async function create(deps: Deps, actor: Actor, name: string): Promise<TeamMove> {
  const member = await ensureMember(deps, actor);
  const team = await createTeam(deps.db, { platform: actor.platform, workspaceId: actor.workspaceId, name });
  if (!team) throw new UserError('team-exists', { name });
  const previous = await teamOf(deps.db, member.id);
  await joinTeam(deps.db, team.id, member.id, deps.clock.now());
  return { team: team.name, ...(previous ? { left: previous.name } : {}) };
}

/** `/mlsd team join`: moves the member into an existing team. */
export async function join(deps: Deps, actor: Actor, name: string): Promise<TeamMove> {
  const member = await ensureMember(deps, actor);
  const team = await findTeamByName(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    name,
  });
  if (!team) {
    const known = (await listTeams(deps.db, actor.platform, actor.workspaceId)).map((item) => item.name);
    throw new UserError('unknown-team', { name, known: known.join(', ') });
  }
  const previous = await teamOf(deps.db, member.id);
  if (previous?.id === team.id) throw new UserError('already-in-team', { name: team.name });
  await joinTeam(deps.db, team.id, member.id, deps.clock.now());
  return {
    team: team.name,
    size: await teamSize(deps.db, team.id),
    ...(previous ? { left: previous.name } : {}),
  };
}

export async function leave(deps: Deps, actor: Actor): Promise<TeamMove> {
  const member = await ensureMember(deps, actor);
  const team = await teamOf(deps.db, member.id);
  if (!(await leaveTeam(deps.db, member.id)) || !team) throw new UserError('not-in-team');
  return { team: team.name };
}

/**
 * `/mlsd leaderboard teams`: teams by points per active member (so a big team does not win by size), and
 * the workspace's study channels the same way. Periods follow this channel's time zone.
 */
export async function teamBoard(deps: Deps, place: Place, period: Period): Promise<TeamBoardView> {
  const channel = await ensureChannel(deps, place);
  const since = periodStart(period, deps.clock.now(), channel.timeZone);
  const [teams, channels] = await Promise.all([
    teamStandings(deps.db, place.platform, place.workspaceId, since),
    channelRatios(deps.db, place.platform, place.workspaceId, since),
  ]);
  return { period, teams, channels };
}
