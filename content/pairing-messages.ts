// User-facing copy for peer mock interviews.
import { STEP_SHORT, STEP_TITLES, STEPS, type StepKey } from '../src/core/framework.ts';
import type { FormChoice, FormSpec, OutMessage } from '../src/core/types.ts';
import type { CaseStudy, Framework } from './schema.ts';
import { quoted } from './text.ts';

const mention = (userId: string) => `<@${userId}>`;

/** A 45-minute plan built from the framework's time budgets. */
export function timePlan(framework: Framework | undefined): string {
  if (!framework) return '';
  let minute = 0;
  const lines = framework.steps.map((step) => {
    const line = `${String(minute).padStart(2, '0')}-${String(minute + step.minutes).padStart(2, '0')} min  ${step.title}`;
    minute += step.minutes;
    return line;
  });
  lines.push(`${String(minute).padStart(2, '0')}-45 min  Questions and feedback`);
  return lines.join('\n');
}

export function pairIntro(input: {
  pairingId: number;
  interviewer: string;
  candidate: string;
  observer?: string | undefined;
  study: CaseStudy;
  plan: string;
  endsAt: string;
}): OutMessage {
  const roles = [
    `Interviewer: ${mention(input.interviewer)} (you got the interviewer guide by DM: rubric, reference outline, probes)`,
    `Candidate: ${mention(input.candidate)}`,
    ...(input.observer
      ? [`Observer: ${mention(input.observer)} (watch this one with the guide; you interview next round)`]
      : []),
  ].join('\n');
  return {
    text: `Mock interview: ${input.study.title}. Interviewer <@${input.interviewer}>, candidate <@${input.candidate}>. Meet before ${input.endsAt}.`,
    title: `🎤 Mock interview: ${input.study.title}`,
    body: `Find 45 minutes before ${input.endsAt}. Propose two times in this conversation, then press *Scheduled*.`,
    sections: [
      { heading: 'Roles', body: roles },
      { heading: 'The case (read it aloud to start)', body: input.study.scenario },
      { heading: 'Suggested 45-minute plan', body: input.plan },
    ],
    buttons: [
      { id: `pair:status:${input.pairingId}:scheduled`, label: 'Scheduled', style: 'primary' },
      { id: `pair:status:${input.pairingId}:done`, label: 'Done' },
      { id: `pair:status:${input.pairingId}:missed`, label: "Couldn't meet", style: 'danger' },
    ],
    footer: `Press Done after the mock: each of you then gives structured feedback. pairing ${input.pairingId}`,
  };
}

export function interviewerGuide(input: {
  study: CaseStudy;
  candidate: string;
  plan: string;
  observer?: boolean;
  /** Per step, what separates mid, senior and staff answers (the framework's Levels). */
  levels?: Partial<Record<StepKey, string>>;
}): OutMessage {
  const { study } = input;
  return {
    text: `Interviewer guide for "${study.title}" (candidate: <@${input.candidate}>). Keep it to yourself until the mock is over.`,
    title: `🧾 Interviewer guide: ${study.title}`,
    body: `${input.observer ? 'You observe this round: follow along with the guide and note what you would probe. ' : ''}Keep this to yourself until the mock is over. Open with the scenario, answer clarifying questions with the facts below, and let the candidate drive.`,
    sections: [
      {
        heading: 'Answers to clarifying questions',
        body: study.clarifying.map((item) => `• ${item.q} → ${item.a}`).join('\n'),
      },
      ...STEPS.map((step, index) => ({
        heading: `${index + 1}. ${STEP_TITLES[step]}: listen for`,
        body: `${study.steps[step].concepts.map((concept) => concept.term).join(' · ')}\n${study.steps[step].outline.trim()}`,
      })),
      { heading: 'Follow-up probes', body: study.followups.map((item) => `• ${item}`).join('\n') },
      ...(input.levels
        ? STEPS.filter((step) => input.levels?.[step]).map((step) => ({
            heading: `Levels, ${STEP_SHORT[step]}: what the next level adds`,
            body: (input.levels?.[step] ?? '').trim(),
          }))
        : []),
      {
        heading: 'Red flags',
        body: study.redFlags.map((item) => `• ${item.flag}`).join('\n'),
      },
      { heading: 'Time plan', body: input.plan },
    ],
  };
}

export function nudge(input: { volunteer: string; others: string[] }): OutMessage {
  return {
    text: `Halfway through the round and no time is set yet. ${mention(input.volunteer)}, could you propose two 45-minute slots? ${input.others.map(mention).join(' ')} pick one, then press Scheduled.`,
  };
}

export function checkin(pairingId: number): OutMessage {
  return {
    text: 'The round ends soon. Did your mock happen?',
    buttons: [
      { id: `pair:status:${pairingId}:done`, label: 'Done', style: 'primary' },
      { id: `pair:status:${pairingId}:notyet`, label: 'Not yet' },
      { id: `pair:status:${pairingId}:missed`, label: "Couldn't meet", style: 'danger' },
    ],
  };
}

export function feedbackPrompt(pairingId: number): OutMessage {
  return {
    text: 'Mock done: nice work. Each of you, give structured feedback (two minutes).',
    buttons: [{ id: `pair:feedback:${pairingId}`, label: 'Give feedback', style: 'primary' }],
  };
}

/** The four ratings of a mock, weakest first. */
export const RATING_CHOICES: FormChoice[] = [
  { value: '1', label: '1 · weak: missing or wrong' },
  { value: '2', label: '2 · partial: named, not reasoned' },
  { value: '3', label: '3 · solid: reasoned choices' },
  { value: '4', label: '4 · strong: trade-offs and numbers' },
];

/** Field ids of the feedback form: one rating per framework step, then communication and two notes. */
export const ratingField = (step: StepKey) => `rating_${step}`;

/** Mock feedback: one choice per step and for communication, one strength and one thing to improve. */
export function feedbackForm(pairingId: number, about: string, title = 'Mock feedback'): FormSpec {
  return {
    id: `pair:feedback:${pairingId}`,
    title,
    submitLabel: 'Send',
    fields: [
      ...STEPS.map((step) => ({
        id: ratingField(step),
        label: STEP_TITLES[step],
        hint: `How well did ${about} handle ${STEP_SHORT[step].toLowerCase()}?`.slice(0, 100),
        choices: RATING_CHOICES,
        placeholder: 'Rate 1-4',
      })),
      {
        id: 'communication',
        label: 'Communication',
        hint: 'Structure, time keeping, thinking out loud',
        choices: RATING_CHOICES,
        placeholder: 'Rate 1-4',
      },
      {
        id: 'strength',
        label: `One strength of ${about}`.slice(0, 45),
        multiline: true,
        minLength: 3,
        maxLength: 500,
      },
      { id: 'improve', label: 'One thing to improve', multiline: true, minLength: 3, maxLength: 500 },
    ],
  };
}

/** What is wrong with a submitted feedback form, per field (empty when it can be saved). */
export function feedbackProblems(values: Record<string, string>): Record<string, string> {
  const problems: Record<string, string> = {};
  const rated = (value: string | undefined) => /^[1-4]$/.test((value ?? '').trim());
  for (const step of STEPS) {
    if (!rated(values[ratingField(step)])) problems[ratingField(step)] = 'Pick a rating from 1 to 4.';
  }
  if (!rated(values.communication)) problems.communication = 'Pick a rating from 1 to 4.';
  if (!(values.strength ?? '').trim()) problems.strength = 'Write one thing they did well.';
  if (!(values.improve ?? '').trim()) problems.improve = 'Write one thing they could do better next time.';
  return problems;
}

export function feedbackReceived(input: {
  from: string;
  role: string;
  study: CaseStudy;
  ratings: Record<string, number>;
  communication: number;
  strength: string;
  improve: string;
}): OutMessage {
  const stars = (value: number) => `${'●'.repeat(value)}${'○'.repeat(4 - value)}`;
  const lines = STEPS.map(
    (step) => `${STEP_SHORT[step]}: ${stars(input.ratings[step] ?? 0)} ${input.ratings[step] ?? '-'}/4`,
  );
  lines.push(`Communication: ${stars(input.communication)} ${input.communication}/4`);
  const weakest = STEPS.reduce((low, step) =>
    (input.ratings[step] ?? 4) < (input.ratings[low] ?? 4) ? step : low,
  );
  return {
    text: `Feedback from your ${input.role} ${mention(input.from)} on "${input.study.title}".`,
    title: `📝 Feedback on your mock: ${input.study.title}`,
    sections: [
      { heading: `From your ${input.role}`, body: mention(input.from) },
      { heading: 'Ratings', body: lines.join('\n') },
      { heading: 'Strength', body: quoted(input.strength) },
      { heading: 'To improve', body: quoted(input.improve) },
      { heading: 'Practise next', body: `${STEP_TITLES[weakest]}: try \`/mlsd framework ${weakest}\`` },
    ],
  };
}

export function unmatchedNote(reason: string): OutMessage {
  return {
    text:
      reason === 'only-member'
        ? 'No mock partner this round: you are the only one opted in. Invite a friend to `/mlsd pair join`; you stay in for the next round.'
        : 'No mock partner this round: nobody available could be paired with you (avoid lists). You stay in for the next round; `/mlsd pair status` shows your settings.',
  };
}

export function roundNotice(input: { when: string; channelId: number; millis: number }): OutMessage {
  return {
    text: `Mock interview round tomorrow (${input.when}). You'll get a partner and a case. Can't make it this time?`,
    buttons: [{ id: `pair:skip:${input.channelId}:${input.millis}`, label: 'Skip this round' }],
  };
}

export function autoPaused(): OutMessage {
  return {
    text: "You've been paused from mock rounds after two rounds in a row without a response, so partners don't wait for you. Come back any time with `/mlsd pair join`.",
  };
}

/** The group conversation (Slack group DM title, Discord thread name) of a mock. */
export const mockGroupName = (caseTitle: string) => `Mock: ${caseTitle}`;

export type MockRole = 'interviewer' | 'candidate' | 'observer';

/** Why points were awarded, as `/mlsd stats` lists them. */
export const mockDoneReason = (role: MockRole | undefined) => `completed a mock interview (${role})`;
export const mockFeedbackReason = () => 'gave structured feedback after a mock';

// Replies to `/mlsd pair` and its buttons: the pairing services return these views, commands/pair.ts renders them.

/** `/mlsd pair join`: the settings now in force, and the next round in the member's zone (none unscheduled). */
export type PairJoined = {
  level: string;
  topics: string[];
  timeZone?: string | null | undefined;
  next?: string | undefined;
};

export const pairJoinedText = (view: PairJoined) =>
  `You're in for mock interviews here as ${view.level}${view.topics.length ? ` (topics: ${view.topics.join(', ')})` : ''}${view.timeZone ? `, time zone ${view.timeZone}` : ''}. ${view.next ? `Next round: ${view.next}.` : 'No round is scheduled yet: an admin can run `/mlsd pair schedule weekly mon 10:00` or `/mlsd pair now`.'}`;

export const pairLeftText = () =>
  "You've left mock rounds here. Your history is kept; `/mlsd pair join` brings you back.";

/** `/mlsd pair pause`: when the pause ends, in the member's zone. */
export type PairPause = { until: string };

export const pairPausedText = (view: PairPause) =>
  `Paused until ${view.until}. You'll be back in the first round after that.`;

/** `/mlsd pair status`; times are in the member's zone. */
export type PairStatusView = {
  /** The member's settings, or undefined when not opted in here. */
  opted?: { level: string; topics: string[]; pausedUntil?: string | undefined } | undefined;
  /** The next round, or undefined when the channel has no schedule. */
  next?: { when: string; cadence: string } | undefined;
  /** The member's mock in the round under way. */
  current?: { role: MockRole; partner?: string | undefined; caseTitle: string; status: string } | undefined;
  mocks: { done: number; total: number };
};

export function pairStatusText(view: PairStatusView): string {
  const { opted, next, current } = view;
  const lines = [
    opted
      ? `Opted in as ${opted.level}${opted.topics.length ? `, topics ${opted.topics.join(', ')}` : ''}${opted.pausedUntil ? `, paused until ${opted.pausedUntil}` : ''}.`
      : 'Not opted in here (`/mlsd pair join`).',
    next ? `Next round: ${next.when} (${next.cadence}).` : 'No rounds scheduled in this channel.',
  ];
  if (current) {
    lines.push(
      `This round: ${current.role} with ${current.partner ? mention(current.partner) : 'your partner'} on "${current.caseTitle}" (${current.status}).`,
    );
  }
  lines.push(`Mocks so far: ${view.mocks.done} done of ${view.mocks.total}.`);
  return lines.join('\n');
}

/** `/mlsd pair avoid` (on) and `unavoid` (off). */
export const avoidText = (userId: string, on: boolean) =>
  on
    ? `Done: you won't be paired with ${mention(userId)}. Only you can see this; they are never told.`
    : `Done: ${mention(userId)} can be your partner again.`;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** `/mlsd pair schedule`: `day` 1 (Monday) to 7, `next` in the channel's pairing zone. */
export type PairScheduleView = { cadence: string; day: number; time: string; zone: string; next: string };

export const pairScheduleText = (view: PairScheduleView) =>
  `Mock rounds here: ${view.cadence} on ${WEEKDAYS[view.day - 1]} at ${view.time} ${view.zone}. Next round: ${view.next}; opted-in members get a notice the day before.`;

export const pairScheduleOffText = () =>
  'Scheduled mock rounds are off here. `/mlsd pair now` still runs one on demand.';

/** `/mlsd pair now`: the round started, or the one started moments ago (`created` false). */
export type RoundStart = { created: boolean; groups: number; unmatched: number; startedAt: string };

export function roundStartText(view: RoundStart | undefined): string {
  if (!view) return 'No round was run.';
  const summary = `${view.groups} group${view.groups === 1 ? '' : 's'}${view.unmatched ? `, ${view.unmatched} without a partner (told privately)` : ''}`;
  return view.created
    ? `Round started: ${summary}. Each group got a private conversation and the interviewer a guide.`
    : `A round was already started at ${view.startedAt} (${summary}); not starting another.`;
}

/** The "Skip this round" button: `date` is the round's (YYYY-MM-DD). */
export type RoundSkip = { date: string };

export const roundSkippedText = (view: RoundSkip) =>
  `OK: you'll sit out the round of ${view.date} and stay in for the next.`;

/** The feedback form a member of a mock fills in: the candidate rates the interviewer, the others the candidate. */
export type FeedbackFormView = {
  pairingId: number;
  about: 'interviewer' | 'candidate';
  /** The candidate's display name, when known. */
  name?: string | undefined;
  /** Opened by pressing Done. */
  afterDone?: boolean | undefined;
};

export const mockFeedbackForm = (view: FeedbackFormView): FormSpec =>
  feedbackForm(
    view.pairingId,
    view.about === 'interviewer' ? 'your interviewer' : (view.name ?? 'the candidate'),
    view.afterDone ? 'Mock done: your feedback' : undefined,
  );

/** A status button pressed (Scheduled, Done, Not yet, Couldn't meet); Done may open the feedback form. */
export type StatusPress =
  | { kind: 'scheduled' | 'missed' | 'notyet' }
  | { kind: 'done'; form?: FeedbackFormView | undefined }
  | { kind: 'unchanged'; status: string; form?: FeedbackFormView | undefined };

export function statusPressText(press: StatusPress): string {
  switch (press.kind) {
    case 'notyet':
      return "OK, it stays open: press Done when it's happened.";
    case 'unchanged':
      return `Already marked ${press.status}.`;
    case 'done':
      return 'Marked done. Give your partner feedback in the form (or later, with the button).';
    case 'scheduled':
      return 'Marked scheduled. Good luck!';
    case 'missed':
      return "Marked as couldn't meet. You stay in for the next round.";
  }
}

/** Feedback saved and delivered: `to` is the user it went to. */
export type FeedbackSent = { to: string };

export const feedbackSentText = (view: FeedbackSent) => `Thanks: your feedback went to <@${view.to}>.`;
