// Copy for a member's own data: /mlsd me export, /mlsd me forget and /mlsd admin purge.
import type { Button, OutMessage, Platform } from '../src/core/types.ts';
import { quoted } from './text.ts';

/** The name a forgotten member's kept rows go by (point awards, mocks, a team seat); never shown on a board. */
export const FORMER_MEMBER_NAME = 'a former member';

/** How long a Forget me / Purge button stays good for. */
export const CONFIRM_MINUTES = 15;

const plural = (count: number, noun: string, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`;
const mention = (userId: string) => `<@${userId}>`;

/** What the bot holds about one member in one workspace, counted: what forgetting deletes or anonymises. */
export type DataFootprint = {
  answers: number;
  revisions: number;
  feedbackGiven: number;
  feedbackReceived: number;
  plan: boolean;
  drillItems: number;
  drillReviews: number;
  /** Channels whose mock rounds the member opted in to. */
  pairChannels: number;
  /** Members this one never wants as a partner. */
  avoids: number;
  /** Local days with an on-time answer, a completed mock or a drill review. */
  streakDays: number;
  /** Ledger rows earned by the member, and what they add up to. */
  points: { rows: number; total: number };
  /** 👍 the member gave other members' answers (points those members keep). */
  upvotesCast: number;
  /** Mocks the member took part in. */
  mocks: number;
  team?: string | undefined;
};

/** Whose data a message is about: the member themself, or someone an admin purges. */
type Subject = { self: true } | { self: false; userId: string };

function words(subject: Subject) {
  return subject.self
    ? { your: 'your', you: 'you', You: 'You' }
    : { your: 'their', you: 'they', You: `${mention(subject.userId)}` };
}

function deletedLines(data: DataFootprint, subject: Subject): string[] {
  const { your } = words(subject);
  return [
    `• ${plural(data.answers, 'answer')}${data.revisions ? ` and ${plural(data.revisions, 'revision')}` : ''}, with ${data.answers + data.revisions === 1 ? 'its grade' : 'their grades'}`,
    `• ${plural(data.feedbackGiven + data.feedbackReceived, 'mock feedback note')} (${data.feedbackGiven} written, ${data.feedbackReceived} received)`,
    `• ${data.plan ? `${your} study plan, ` : ''}${plural(data.drillItems, 'drill item')} and ${plural(data.drillReviews, 'drill review')}`,
    `• ${your} streak (${plural(data.streakDays, 'day')})`,
    `• ${your} mock-round settings${data.pairChannels ? ` in ${plural(data.pairChannels, 'channel')}` : ''}${data.avoids ? ` and avoid list (${data.avoids})` : ''}`,
    `• ${your} profile: display name, time zone, board visibility`,
  ];
}

function keptLines(data: DataFootprint, subject: Subject): string[] {
  const { your, you } = words(subject);
  const former = `"${FORMER_MEMBER_NAME}"`;
  return [
    ...(data.points.rows
      ? [
          `• ${plural(data.points.rows, 'point award')} (${data.points.total} pts): kept in the ledger under ${former}, off every public board, so team boards and channel totals stay as they were.`,
        ]
      : []),
    ...(data.team
      ? [
          `• ${your} seat in team "${quoted(data.team)}": goes to ${former}, so the team's points per member do not change.`,
        ]
      : []),
    ...(data.mocks
      ? [
          `• ${plural(data.mocks, 'mock')}: kept as mocks with ${former}, so ${your} partners keep their own counts and streaks.`,
        ]
      : []),
    ...(data.upvotesCast
      ? [
          `• ${plural(data.upvotesCast, '👍', '👍')} ${you} gave: kept as points for the answers' authors, now "from ${FORMER_MEMBER_NAME}".`,
        ]
      : []),
  ];
}

const outsideNote = (platform: Platform) =>
  platform === 'console'
    ? 'Lines typed in the playground stay in its transcript.'
    : `Messages posted in channels and threads belong to ${platform === 'discord' ? 'Discord' : 'Slack'}: delete them there.`;

/** The confirmation `/mlsd me forget` and `/mlsd admin purge` answer with; nothing is deleted yet. */
export function forgetConfirmMessage(
  data: DataFootprint,
  input: { subject: Subject; platform: Platform; confirmId: string; cancelId: string },
): OutMessage {
  const { subject } = input;
  const kept = keptLines(data, subject);
  const buttons: Button[] = [
    { id: input.confirmId, label: subject.self ? 'Forget me' : 'Purge', style: 'danger' },
    { id: input.cancelId, label: 'Cancel', style: 'secondary' },
  ];
  return {
    text: subject.self
      ? `Forget you? This deletes everything of yours I hold in this workspace, for good.`
      : `Purge ${mention(subject.userId)}? This deletes everything of theirs I hold in this workspace, for good.`,
    title: subject.self ? '🗑️ Forget me?' : '🗑️ Purge a member?',
    body: subject.self
      ? `Everything of yours I hold in this workspace goes at once, and it cannot be undone. Want a copy first? \`/mlsd me export\`.`
      : `Everything of ${mention(subject.userId)}'s I hold in this workspace goes at once, and it cannot be undone. Only this workspace is touched.`,
    sections: [
      { heading: 'Deleted', body: deletedLines(data, subject).join('\n') },
      ...(kept.length ? [{ heading: 'Kept, without a name', body: kept.join('\n') }] : []),
    ],
    buttons,
    footer: `${outsideNote(input.platform)} The button works for ${CONFIRM_MINUTES} minutes.`,
  };
}

/** What was deleted and what was kept, once the member (or an admin) confirmed. */
export function forgottenMessage(
  data: DataFootprint,
  input: { subject: Subject; platform: Platform },
): OutMessage {
  const { subject } = input;
  const { You } = words(subject);
  const kept = keptLines(data, subject);
  return {
    text: subject.self
      ? `Done: you are forgotten here. Deleted ${plural(data.answers, 'answer')}, ${plural(data.feedbackGiven + data.feedbackReceived, 'feedback note')}, ${plural(data.drillReviews, 'drill review')} and your profile.`
      : `Done: ${mention(subject.userId)} is purged here. Deleted ${plural(data.answers, 'answer')}, ${plural(data.feedbackGiven + data.feedbackReceived, 'feedback note')}, ${plural(data.drillReviews, 'drill review')} and their profile.`,
    title: subject.self ? '✅ Forgotten' : '✅ Purged',
    body: `${You} no longer appear${subject.self ? '' : 's'} on any board, digest, reveal or stats here.`,
    sections: [
      { heading: 'Deleted', body: deletedLines(data, subject).join('\n') },
      ...(kept.length ? [{ heading: 'Kept, without a name, and why', body: kept.join('\n') }] : []),
    ],
    footer: `${outsideNote(input.platform)}${subject.self ? ' Using the bot again starts afresh.' : ''}`,
  };
}

/** A Forget me / Purge pressed again, or for someone the bot holds nothing about (any more). */
export function nothingToForgetText(subject: Subject): string {
  return subject.self
    ? 'Nothing of yours is left here to delete: it is already forgotten (or was never stored).'
    : `Nothing of ${mention(subject.userId)}'s is left here to delete: already purged.`;
}

export function forgetCancelledText(): string {
  return 'Cancelled: nothing was deleted.';
}

/** What a data export was sent as, and where it went. */
export type ExportView = {
  platform: Platform;
  /** `dm`: in the member's DMs (the playground: saved to a file); `here`: attached to this private reply. */
  where: 'dm' | 'here';
  /** The file's link (Slack, Discord) or path (the playground). */
  link?: string | undefined;
  name: string;
  bytes: number;
  data: DataFootprint;
};

const size = (bytes: number) =>
  bytes < 1_024 ? `${bytes} bytes` : `${(bytes / 1_024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;

/** The one line that says what was sent and where. */
export function exportSentText(view: ExportView): string {
  const what = `${view.name} (${size(view.bytes)}: ${plural(view.data.answers, 'answer')}, ${plural(view.data.points.rows, 'point award')}, ${plural(view.data.mocks, 'mock')})`;
  if (view.where === 'here')
    return `Your DMs are closed to me, so your data is attached here, visible only to you: ${what}.`;
  if (view.platform === 'console') return `Saved your data to ${view.link ?? view.name}: ${what}.`;
  const place = view.platform === 'slack' ? 'in your DM with me' : 'in your DMs';
  return `Sent your data ${place}: ${view.link ? `<${view.link}|${what}>` : what}.`;
}

export function exportNothingText(): string {
  return 'I hold nothing about you in this workspace (no answers, points, mocks or plan), so there is nothing to send.';
}

/** The export file's own note, first in the JSON. */
export function exportAbout(input: { platform: Platform; workspaceId: string }): string {
  return `Everything mlsd-bot holds about you in ${input.platform} workspace ${input.workspaceId}: answers with their grades, point awards, streak days, mocks and mock feedback both ways, mock-round settings, team, study plan and drill. Messages you posted in channels belong to the platform and are not part of it. /mlsd me forget deletes all of this.`;
}

/** The message the file rides on in the member's DMs. */
export function exportFileMessage(name: string): string {
  return `Your mlsd-bot data, as you asked: ${name}.`;
}
