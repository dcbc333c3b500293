import { closeOut, dailyPost, type TodayView } from '../../../content/messages.ts';
import type { CaseStudy } from '../../../content/schema.ts';
import { UserError } from '../../core/errors.ts';
import { STEPS, type StepKey } from '../../core/framework.ts';
import { PermanentJobError } from '../../core/jobs.ts';
import type { Place } from '../../core/types.ts';
import { averageCoverage, countAnswers, listTopAnswers } from '../../db/queries/answers.ts';
import { type ChannelRow, findChannel, listChannels } from '../../db/queries/channels.ts';
import {
  countPostedUnits,
  findOrCreatePrompt,
  findPrompt,
  findPromptOn,
  listOverduePrompts,
  markPromptClosed,
  markPromptPosted,
  type PostedUnit,
  type PromptRow,
} from '../../db/queries/prompts.ts';
import { type Deps, ensureScheduler, notifierFor } from '../deps.ts';
import { JOB } from '../jobs.ts';
import { ensureChannel, placeOfChannel } from '../members.ts';
import { cronPattern, formatLocal, localDate, parseDays, previousRun } from '../schedule.ts';
import { sendOnce } from '../sends.ts';

export const SWEEP = { id: 'daily-sweep', pattern: '*/5 * * * *' } as const; // every 5 minutes

export const dailyScheduleId = (channelId: number) => `daily-post-${channelId}`;
export const closeJobId = (promptId: number) => `daily-close-${promptId}`;

const HOUR = 3_600_000; // ms

export type DailyUnit = { study: CaseStudy; focusStep: StepKey | null };

/**
 * The next prompt for a channel. Whole cases come first: each eligible case (by the channel's difficulty
 * and tag filter) once before any repeats. In `mixed` mode, once every case has been posted whole, focus
 * drills (one step of one case) alternate with whole cases, so the rotation reaches every case and every
 * focus prompt; `full` and `focus` modes use only one kind. Within a kind the least-posted unit wins, in an
 * order fixed per channel so neighbouring groups do not move in lockstep.
 */
export function chooseDaily(deps: Deps, channel: ChannelRow, posted: PostedUnit[]): DailyUnit {
  const eligible = [...deps.library.cases.values()].filter(
    (study) =>
      (channel.difficulties.length === 0 || channel.difficulties.includes(study.difficulty)) &&
      (channel.tags.length === 0 || study.tags.some((tag) => channel.tags.includes(tag))),
  );
  if (eligible.length === 0) throw new UserError('no-cases');
  const times = new Map(posted.map((unit) => [`${unit.caseId}:${unit.focusStep ?? ''}`, unit.times]));
  const timesOf = (unit: DailyUnit) => times.get(`${unit.study.id}:${unit.focusStep ?? ''}`) ?? 0;
  const whole: DailyUnit[] = eligible.map((study) => ({ study, focusStep: null }));
  const focus: DailyUnit[] = eligible.flatMap((study) => STEPS.map((step) => ({ study, focusStep: step })));

  let pool = whole;
  if (channel.dailyMode === 'focus') pool = focus;
  else if (channel.dailyMode === 'mixed' && whole.every((unit) => timesOf(unit) > 0)) {
    const wholePosts = whole.reduce((sum, unit) => sum + timesOf(unit), 0);
    const focusPosts = focus.reduce((sum, unit) => sum + timesOf(unit), 0);
    if (focusPosts <= wholePosts - whole.length) pool = focus;
  }
  const order = (unit: DailyUnit) => hash(`${channel.id}:${unit.study.id}:${unit.focusStep ?? ''}`);
  return pool.reduce((best, unit) =>
    timesOf(unit) < timesOf(best) || (timesOf(unit) === timesOf(best) && order(unit) < order(best))
      ? unit
      : best,
  );
}

function hash(text: string): number {
  let value = 2_166_136_261;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 16_777_619);
  }
  return value >>> 0;
}

export function studyFor(deps: Deps, caseId: string): CaseStudy {
  const study = deps.library.cases.get(caseId);
  if (!study) throw new Error(`case "${caseId}" is not in the library`);
  return study;
}

export type PostOutcome = { prompt: PromptRow; posted: boolean };

/**
 * Posts today's prompt to a channel, once per channel and local date however often it is called (a job
 * that fires twice, a command racing the schedule). Arms the close-out at the deadline.
 */
export async function postDaily(deps: Deps, channelId: number): Promise<PostOutcome> {
  const channel = await findChannel(deps.db, channelId);
  if (!channel)
    throw new PermanentJobError(`channel ${channelId} not found (removed, or its workspace left)`);
  const now = deps.clock.now();
  const date = localDate(now, channel.timeZone);
  const existing = await findPromptOn(deps.db, channel.id, date);
  if (existing?.messageId) return { prompt: existing, posted: false };

  const unit = existing
    ? { study: studyFor(deps, existing.caseId), focusStep: existing.focusStep as StepKey | null }
    : chooseDaily(deps, channel, await countPostedUnits(deps.db, channel.id));
  const prompt = await findOrCreatePrompt(deps.db, {
    channelId: channel.id,
    caseId: unit.study.id,
    focusStep: unit.focusStep,
    localDate: date,
    closesAt: new Date(now.getTime() + channel.deadlineHours * HOUR),
  });
  if (prompt.messageId) return { prompt, posted: false };
  // The deadline counts from the post; a prompt row created by an attempt that failed is posted now.
  const closesAt = new Date(now.getTime() + channel.deadlineHours * HOUR);
  const claimedStudy = studyFor(deps, prompt.caseId);
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  const { ref } = await sendOnce(deps, `daily-post:${prompt.id}`, (once) =>
    notifier.postWithThread(
      placeOfChannel(channel),
      dailyPost({
        study: claimedStudy,
        promptId: prompt.id,
        deadline: formatLocal(closesAt, channel.timeZone),
        focusStep: prompt.focusStep as StepKey | null,
      }),
      `Answers: ${claimedStudy.title}`.slice(0, 100),
      once,
    ),
  );
  const messageId = ref.messageId ?? '';
  const permalink =
    ref.permalink ?? (await notifier.linkTo(placeOfChannel(channel), messageId).catch(() => undefined));
  const saved = await markPromptPosted(deps.db, prompt.id, {
    messageId,
    threadId: ref.threadId ?? messageId,
    permalink,
    postedAt: now,
    closesAt,
  });
  await armClose(deps, saved);
  deps.log.info({ channel: channel.id, prompt: saved.id, case: saved.caseId }, 'daily prompt posted');
  return { prompt: saved, posted: true };
}

/** Enqueues the close-out at the deadline; the job id makes a second call a no-op. */
export async function armClose(deps: Deps, prompt: PromptRow): Promise<void> {
  try {
    await deps.scheduler.enqueue({
      name: JOB.dailyClose,
      data: { promptId: prompt.id },
      jobId: closeJobId(prompt.id),
      delayMs: prompt.closesAt.getTime() - deps.clock.now().getTime(),
    });
  } catch (error) {
    // The sweep job closes overdue prompts too, so a missed enqueue delays nothing for long.
    deps.log.warn({ err: error, prompt: prompt.id }, 'could not arm the close-out; the sweep will close it');
  }
}

/** `/mlsd daily`: today's prompt for this channel, posting one now if there is none yet. */
export async function showToday(deps: Deps, place: Place): Promise<TodayView> {
  const channel = await ensureChannel(deps, place);
  const date = localDate(deps.clock.now(), channel.timeZone);
  let prompt = await findPromptOn(deps.db, channel.id, date);
  if (!prompt?.messageId) {
    // Posting arms a delayed close-out, so refuse early (and change nothing) when Redis is down.
    await ensureScheduler(deps);
    prompt = (await postDaily(deps, channel.id)).prompt;
  }
  const study = studyFor(deps, prompt.caseId);
  return {
    title: study.title,
    link: prompt.permalink ?? undefined,
    deadline: formatLocal(prompt.closesAt, channel.timeZone),
    closed: Boolean(prompt.closedAt),
  };
}

/** Posts the reference outline, the best answers and the weakest step in the thread, once. */
export async function closeDaily(deps: Deps, promptId: number): Promise<boolean> {
  const prompt = await findPrompt(deps.db, promptId);
  if (!prompt?.messageId || prompt.closedAt) return false;
  if (prompt.closesAt.getTime() > deps.clock.now().getTime() + 1_000) {
    // Fired early (a schedule moved, a clock skewed): come back at the deadline.
    await armClose(deps, prompt);
    return false;
  }
  const channel = await findChannel(deps.db, prompt.channelId);
  if (!channel)
    throw new PermanentJobError(`channel ${prompt.channelId} not found (removed, or its workspace left)`);
  const study = studyFor(deps, prompt.caseId);
  const [answered, top, averages] = await Promise.all([
    countAnswers(deps.db, prompt.id),
    listTopAnswers(deps.db, prompt.id, 3),
    averageCoverage(deps.db, prompt.id),
  ]);
  const weakestStep = STEPS.filter((step) => step in averages).sort(
    (a, b) => (averages[a] ?? 0) - (averages[b] ?? 0),
  )[0];
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  const place = placeOfChannel(channel, prompt.threadId);
  const focusStep = prompt.focusStep as StepKey | null;
  const messages = closeOut({
    study,
    focusStep,
    answered,
    top,
    weakest:
      weakestStep && !focusStep ? { step: weakestStep, average: averages[weakestStep] ?? 0 } : undefined,
    // Every platform renders <@id> as a mention (the console as @name).
    mention: (userId) => `<@${userId}>`,
  });
  // Each message of the reveal goes out once, even when a close-out is retried or taken over mid-way.
  for (const [index, message] of messages.entries()) {
    await sendOnce(deps, `daily-close:${prompt.id}:${index}`, (once) => notifier.post(place, message, once));
  }
  if (!(await markPromptClosed(deps.db, prompt.id, deps.clock.now()))) return false;
  deps.log.info({ prompt: prompt.id, answered }, 'daily prompt closed');
  return true;
}

/** How long after a channel's post time the sweep waits before posting for a job that never did. */
const CATCH_UP_AFTER = 2 * 60_000; // ms

/**
 * Posts today's prompt where the schedule's time has passed and nothing was posted: a job lost with Redis,
 * or one whose retries ran out while a dead worker's claim held the message. A schedule set after today's
 * time starts tomorrow, as it would have.
 */
export async function catchUpPosts(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  let posted = 0;
  for (const channel of await listChannels(deps.db)) {
    if (!channel.dailyEnabled) continue;
    const pattern = cronPattern(channel.dailyTime, parseDays(channel.dailyDays) ?? [1, 2, 3, 4, 5]);
    const due = previousRun(pattern, channel.timeZone, now);
    const today = localDate(now, channel.timeZone);
    if (localDate(due, channel.timeZone) !== today || now.getTime() - due.getTime() < CATCH_UP_AFTER)
      continue;
    if (channel.updatedAt.getTime() > due.getTime()) continue;
    if ((await findPromptOn(deps.db, channel.id, today))?.messageId) continue;
    try {
      if ((await postDaily(deps, channel.id)).posted) posted += 1;
    } catch (error) {
      deps.log.warn({ err: error, channel: channel.id }, 'could not catch up a missed daily post');
    }
  }
  return posted;
}

/** Closes prompts past their deadline whose close-out job went missing. */
export async function sweepOverdue(deps: Deps): Promise<number> {
  let closed = 0;
  for (const prompt of await listOverduePrompts(deps.db, new Date(deps.clock.now().getTime() - 60_000))) {
    if (await closeDaily(deps, prompt.id)) closed += 1;
  }
  return closed;
}
