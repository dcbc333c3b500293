import type { Actor, OutMessage, Place } from '../core/types.ts';
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

const PERIOD_LABEL = { week: 'this week', month: 'this month', all: 'all time' } as const;

export async function create(deps: Deps, actor: Actor, name: string): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  const team = await createTeam(deps.db, { platform: actor.platform, workspaceId: actor.workspaceId, name });
  if (!team)
    return {
      text: `A team called "${name}" exists already. Join it with \`/mlsd team join ${name}\`, or pick another name.`,
    };
  const previous = await teamOf(deps.db, member.id);
  await joinTeam(deps.db, team.id, member.id, deps.clock.now());
  return {
    text: `Team "${team.name}" created, and you're in it${previous ? ` (you left "${previous.name}")` : ''}. Others join with \`/mlsd team join ${team.name}\`.`,
  };
}

export async function join(deps: Deps, actor: Actor, name: string): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  const team = await findTeamByName(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    name,
  });
  if (!team) {
    const known = (await listTeams(deps.db, actor.platform, actor.workspaceId)).map((item) => item.name);
    return {
      text: `There is no team "${name}". ${known.length ? `Teams: ${known.join(', ')}.` : 'No teams yet:'} Create one with \`/mlsd team create <name>\`.`,
    };
  }
  const previous = await teamOf(deps.db, member.id);
  if (previous?.id === team.id) return { text: `You're already in "${team.name}".` };
  await joinTeam(deps.db, team.id, member.id, deps.clock.now());
  return {
    text: `You joined "${team.name}" (${await teamSize(deps.db, team.id)} members)${previous ? `, leaving "${previous.name}"` : ''}.`,
  };
}

export async function leave(deps: Deps, actor: Actor): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  const team = await teamOf(deps.db, member.id);
  if (!(await leaveTeam(deps.db, member.id)) || !team)
    return { text: "You're not in a team. `/mlsd team join <name>` to join one." };
  return { text: `You left "${team.name}". Your points stay yours.` };
}

/**
 * `/mlsd leaderboard teams`: teams by points per active member (so a big team does not win by size), and
 * the workspace's study channels the same way. Periods follow this channel's time zone.
 */
export async function teamBoard(deps: Deps, place: Place, period: Period): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const since = periodStart(period, deps.clock.now(), channel.timeZone);
  const [teams, channels] = await Promise.all([
    teamStandings(deps.db, place.platform, place.workspaceId, since),
    channelRatios(deps.db, place.platform, place.workspaceId, since),
  ]);
  const line = (row: { name: string; perActive: number; points: number; active: number }, index: number) =>
    `${index + 1}. ${row.name}: ${row.perActive.toFixed(1)} pts per active member (${row.points} pts, ${row.active} active)`;
  return {
    text: `Teams ${PERIOD_LABEL[period]}: ${teams.map((row) => row.name).join(', ') || 'none yet'}`,
    title: `🏆 Teams and channels: ${PERIOD_LABEL[period]}`,
    sections: [
      {
        heading: 'Teams (points per active member)',
        body:
          teams.slice(0, 10).map(line).join('\n') ||
          'No team has points yet. `/mlsd team create <name>` starts one.',
      },
      {
        heading: 'Study channels',
        body: channels.slice(0, 10).map(line).join('\n') || 'No channel has points yet.',
      },
    ],
  };
}
