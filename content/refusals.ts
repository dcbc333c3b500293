// How the bot refuses: the wording of every UserError, and of the failures the dispatcher answers itself.
import type { UserErrorId } from '../src/core/errors.ts';
import type { OutMessage } from '../src/core/types.ts';
import { quoted } from './text.ts';

export const ANSWER_LIMIT = 8_000; // characters

export function userErrorText(id: UserErrorId, context: Record<string, string | number>): string {
  switch (id) {
    case 'admin-only':
      return `Only admins can ${context.action ?? 'do that'}: ${context.platform === 'discord' ? 'members with the Manage Server permission, or listed in MLSD_ADMINS' : 'workspace admins and owners, or members listed in MLSD_ADMINS'}. Ask one of them, or use \`/mlsd daily\` to see today's case.`;
    case 'bad-arguments':
      return `${context.problem}. Usage: \`${context.usage}\`${context.example ? `, for example \`${context.example}\`` : ''}.`;
    case 'unknown-command':
      return `I don't know \`/mlsd ${quoted(String(context.name))}\`.${context.suggestions ? ` Did you mean ${context.suggestions}?` : ''} \`/mlsd help\` lists everything I can do.`;
    case 'form-invalid':
      return `Not sent yet: ${context.fields} need${String(context.fields).includes(',') ? '' : 's'} fixing.`;
    case 'cooldown':
      return `Easy there: you can run \`${context.command}\` again in ${context.seconds} s.`;
    case 'database-unavailable':
      return 'The database is not answering right now, so nothing was saved or changed. Please try again in a minute.';
    case 'send-in-progress':
      return 'That is being posted right now. Give it a few seconds, then try again.';
    case 'plan-date':
      return `"${quoted(String(context.date))}" is not a date. Use the interview date like \`/mlsd plan 2026-12-20\`.`;
    case 'plan-date-past':
      return `${context.date} is not after today (${context.today}) where you are. Use the interview date still to come, like \`/mlsd plan 2026-12-20\`.`;
    case 'plan-date-far':
      return `${context.date} is more than a year away. Set your plan when the interview is within a year.`;
    case 'no-plan':
      return 'You have no plan yet. Set one with your interview date: `/mlsd plan 2026-12-20` (add your level: junior, mid, senior or staff).';
    case 'drill-item-gone':
      return 'That card was already rated (or is no longer due). `/mlsd drill` shows what is due now.';
    case 'scheduler-unavailable':
      return 'The scheduler (Redis) is not answering right now, so nothing was changed. Please try again shortly.';
    case 'no-cases':
      return 'No case study matches this channel’s filter. An admin can widen it with `/mlsd daily schedule`.';
    case 'prompt-not-found':
      return 'That daily prompt no longer exists. Use `/mlsd daily` to see today’s.';
    case 'prompt-closed':
      return `This prompt closed at ${context.closedAt}; answers are no longer taken. Tomorrow's case is coming, and \`/mlsd daily\` shows today's.`;
    case 'answer-too-long':
      return `Your answer is ${context.length} characters; the limit is ${ANSWER_LIMIT.toLocaleString('en')}. Trim it (one short paragraph per step is plenty) and send it again. Nothing was saved.`;
    case 'answer-empty':
      return 'That answer is empty. Write a few sentences per framework step and submit again.';
    case 'not-in-channel':
      return 'Run this in a study channel (not a DM).';
    case 'unknown-case':
      return `There is no case "${quoted(String(context.id))}". Cases: ${context.known}.`;
    case 'team-exists':
      return `A team called "${quoted(String(context.name))}" exists already. Join it with \`/mlsd team join ${quoted(String(context.name))}\`, or pick another name.`;
    case 'unknown-team':
      return `There is no team "${quoted(String(context.name))}". ${context.known ? `Teams: ${context.known}.` : 'No teams yet:'} Create one with \`/mlsd team create <name>\`.`;
    case 'already-in-team':
      return `You're already in "${quoted(String(context.name))}".`;
    case 'not-in-team':
      return "You're not in a team. `/mlsd team join <name>` to join one.";
    case 'no-stats':
      return `I have no stats for <@${context.userId}> yet: they have not answered or done a mock here.`;
    case 'unknown-card':
      return `There is no trade-off card "${quoted(String(context.id))}". Try one of: ${context.close}. \`/mlsd card\` alone shows a random one.`;
    case 'not-opted-in':
      return `You ${context.action === 'leave' ? "weren't" : "aren't"} opted in here. Join with \`/mlsd pair join\`.`;
    case 'pause-in-past':
      return 'that date is in the past. Usage: `/mlsd pair pause <YYYY-MM-DD | 2w>`, for example `/mlsd pair pause 2w`.';
    case 'avoid-self':
      return "you can't avoid yourself. Usage: `/mlsd pair avoid @member`, for example `/mlsd pair avoid @alex`.";
    case 'avoid-unknown-member':
      return `I don't know <@${context.userId}> in this workspace yet (they have to have used the bot). Usage: \`/mlsd pair ${context.subcommand} @member\`.`;
    case 'skip-too-late':
      return 'That round has already started, so there is nothing to skip.';
    case 'not-your-mock':
      return "That mock isn't one of yours.";
    case 'mock-gone':
      return 'That mock no longer exists.';
    case 'feedback-given':
      return 'Already received: thanks, your feedback for this mock is saved.';
    case 'not-your-button':
      return 'That button was shown to someone else, so only they can press it. Nothing was changed.';
    case 'confirmation-expired':
      return `That confirmation is more than ${context.minutes} minutes old, so nothing was deleted. Run \`${context.command}\` again for a fresh one.`;
    case 'purge-unknown-member':
      return `I hold nothing about "${quoted(String(context.userId))}" in this workspace: already purged, never used the bot, or not the right name. Mention them (\`@name\`) or give their user id.`;
  }
}

/** A button or form from an older version of the bot that no handler knows any more. */
export function unknownComponent(): string {
  return 'That button or form is no longer supported. Run `/mlsd help` to see what I can do.';
}

export function unexpectedErrorText(): OutMessage {
  return {
    text: 'Something went wrong on our side. It has been logged; please try again in a minute.',
  };
}
