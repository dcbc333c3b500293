// Copy for the boards: the channel leaderboard, the streak board, teams and the team board.
import type { OutMessage } from '../src/core/types.ts';
import { quoted } from './text.ts';

export type Period = 'week' | 'month' | 'all';
export const PERIOD_LABEL = { week: 'this week', month: 'this month', all: 'all time' } as const;

/** The streak figures a member sees ("5 days (best 9), freeze left this week"). */
export type StreakFigures = { current: number; best: number; freezeLeft: boolean };

export const streakText = (streak: StreakFigures) =>
  `${streak.current} day${streak.current === 1 ? '' : 's'} (best ${streak.best})${
    streak.current > 0 ? `, ${streak.freezeLeft ? 'freeze left this week' : 'freeze used this week'}` : ''
  }`;

export type LeaderboardView = {
  period: Period;
  top: Array<{ rank: number; userId: string; points: number; streak: number }>;
  /** Members shown on the board. */
  shown: number;
  /** The viewer's line, or undefined before their first points here. */
  me?: { rank: number; points: number; hidden: boolean };
};

// Every platform renders <@id> as a mention (the console as @name).
export function leaderboardMessage(view: LeaderboardView): OutMessage {
  const label = PERIOD_LABEL[view.period];
  const lines = view.top.map(
    (row) =>
      `${row.rank}. <@${row.userId}>: ${row.points} pts${row.streak > 0 ? ` · 🔥 ${row.streak}-day streak` : ''}`,
  );
  const yours = view.me?.hidden
    ? `You are hidden from this board (${view.me.points} pts). \`/mlsd leaderboard show-me\` to rejoin.`
    : view.me
      ? `You are #${view.me.rank} of ${view.shown} with ${view.me.points} pts.`
      : 'You have no points here yet: answer today’s case to get on the board.';
  return {
    text: lines.length
      ? `Leaderboard (${label}):\n${lines.join('\n')}\n${yours}`
      : `No points yet ${label}. Answer today's case (\`/mlsd daily\`) to start the board.`,
    title: `🏆 Leaderboard: ${label}`,
    body: lines.length ? lines.join('\n') : 'No points yet. Answer today’s case to start the board.',
    footer: yours,
  };
}

export type StreakBoardView = {
  top: Array<{ userId: string; current: number; best: number }>;
  mine: StreakFigures;
};

export function streakBoardMessage(view: StreakBoardView): OutMessage {
  const lines = view.top.map(
    (row, index) =>
      `${index + 1}. <@${row.userId}>: 🔥 ${row.current} day${row.current === 1 ? '' : 's'} (best ${row.best})`,
  );
  const yours = `Your streak: ${streakText(view.mine)}.`;
  return {
    text: lines.length
      ? `Longest current streaks:\n${lines.join('\n')}\n${yours}`
      : `No current streaks here yet: answer today's case (\`/mlsd daily\`) to start one. ${yours}`,
    title: '🔥 Longest current streaks',
    body: lines.length ? lines.join('\n') : 'No current streaks yet. Answer today’s case to start one.',
    footer: yours,
  };
}

export const boardVisibilityText = (hidden: boolean) =>
  hidden
    ? "You're hidden from public leaderboards. Your points, streak and `/mlsd stats` are kept; `/mlsd leaderboard show-me` brings you back."
    : "You're back on the public leaderboards.";

export type TeamMove = { team: string; size?: number; left?: string };

const named = (move: TeamMove): TeamMove => ({
  ...move,
  team: quoted(move.team),
  ...(move.left ? { left: quoted(move.left) } : {}),
});

export const teamCreatedText = (team: TeamMove) => {
  const move = named(team);
  return `Team "${move.team}" created, and you're in it${move.left ? ` (you left "${move.left}")` : ''}. Others join with \`/mlsd team join ${move.team}\`.`;
};

export const teamJoinedText = (team: TeamMove) => {
  const move = named(team);
  return `You joined "${move.team}" (${move.size ?? 1} members)${move.left ? `, leaving "${move.left}"` : ''}.`;
};

export const teamLeftText = (move: TeamMove) => `You left "${quoted(move.team)}". Your points stay yours.`;

export type RatioRow = { name: string; perActive: number; points: number; active: number };
export type TeamBoardView = { period: Period; teams: RatioRow[]; channels: RatioRow[] };

export function teamBoardMessage(view: TeamBoardView): OutMessage {
  const label = PERIOD_LABEL[view.period];
  const line = (row: RatioRow, index: number) =>
    `${index + 1}. ${quoted(row.name)}: ${row.perActive.toFixed(1)} pts per active member (${row.points} pts, ${row.active} active)`;
  return {
    text: `Teams ${label}: ${view.teams.map((row) => quoted(row.name)).join(', ') || 'none yet'}`,
    title: `🏆 Teams and channels: ${label}`,
    sections: [
      {
        heading: 'Teams (points per active member)',
        body:
          view.teams.slice(0, 10).map(line).join('\n') ||
          'No team has points yet. `/mlsd team create <name>` starts one.',
      },
      {
        heading: 'Study channels',
        body: view.channels.slice(0, 10).map(line).join('\n') || 'No channel has points yet.',
      },
    ],
  };
}
