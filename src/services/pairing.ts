import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import {
  autoPaused,
  checkin,
  feedbackForm,
  feedbackProblems,
  feedbackPrompt,
  feedbackReceived,
  interviewerGuide,
  nudge,
  pairIntro,
  ratingField,
  roundNotice,
  timePlan,
  unmatchedNote,
} from '../../content/pairing-messages.ts';
import type { CaseStudy } from '../../content/schema.ts';
import { FormError, UserError } from '../core/errors.ts';
import { STEPS } from '../core/framework.ts';
import type { Actor, FormSpec, OutMessage, Place } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { type ChannelRow, findChannel, updateChannel } from '../db/queries/channels.ts';
import { findMember, findMemberByUser, type MemberRow, setMemberTimeZone } from '../db/queries/members.ts';
import {
  addSkip,
  claimNotice,
  claimPairingStep,
  claimRoundStep,
  createRound,
  findPairing,
  findPairMember,
  findRound,
  findRoundAt,
  hasGivenFeedback,
  insertFeedback,
  insertPairings,
  latestRound,
  listActivePairMembers,
  listAvoids,
  listChannelCasesSince,
  listPairEnabledChannels,
  listPairHistory,
  listRoundPairings,
  listRoundParticipants,
  listSeenCases,
  type PairingRow,
  type RoundRow,
  releasePairingStep,
  respondToPairing,
  setAvoid,
  setPairingConversation,
  setRoundUnmatched,
  updatePairMember,
  upsertPairMember,
} from '../db/queries/pairing.ts';
import { appendPointEvents } from '../db/queries/points.ts';
import { mockCounts } from '../db/queries/stats.ts';
import { type Level, matchMembers, type Role } from '../engines/matching/index.ts';

export { LEVELS } from '../engines/matching/index.ts';

import { type Deps, ensureScheduler, notifierFor } from './deps.ts';
import { syncDigest } from './digest.ts';
import { JOB, removeStaleSchedules } from './jobs.ts';
import { ensureChannel, ensureMember, placeOfChannel } from './members.ts';
import { cronPattern, formatLocal } from './schedule.ts';

export const pairRoundScheduleId = (channelId: number) => `pair-round-${channelId}`;
export const pairNoticeScheduleId = (channelId: number) => `pair-notice-${channelId}`;

/** Points for mocks, once per pairing and member (see README). */
export const MOCK_POINTS = { done: 15, feedback: 5 } as const;

const DAY = 86_400_000; // ms
const PERIOD = { weekly: 7 * DAY, biweekly: 14 * DAY } as const;
const NUDGE_AT = 0.4; // share of the round: nobody pressed anything by then
const CHECKIN_AT = 0.85; // share of the round: did it happen?
const NOW_DEDUPE = 10 * 60_000; // ms: two `/mlsd pair now` within this make one round

const pairZone = (channel: ChannelRow) => channel.pairTimeZone ?? channel.timeZone;
const roundPattern = (channel: ChannelRow) => cronPattern(channel.pairTime, [channel.pairDay]);
// The day before, same time: for the notice with its "skip this round" button.
const noticePattern = (channel: ChannelRow) =>
  cronPattern(channel.pairTime, [channel.pairDay === 1 ? 7 : channel.pairDay - 1]);

/** Biweekly rounds run in even ISO weeks (in the channel's zone), so every process agrees which weeks. */
function roundWeek(channel: ChannelRow, at: Date): boolean {
  if (channel.pairCadence !== 'biweekly') return true;
  return DateTime.fromJSDate(at, { zone: pairZone(channel) }).weekNumber % 2 === 0;
}

function nextRoundTime(channel: ChannelRow, after: Date): Date {
  const interval = CronExpressionParser.parse(roundPattern(channel), {
    currentDate: after,
    tz: pairZone(channel),
  });
  for (let tries = 0; tries < 3; tries += 1) {
    const next = interval.next().toDate();
    if (roundWeek(channel, next)) return next;
  }
  return interval.next().toDate();
}

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
export async function join(deps: Deps, place: Place, actor: Actor, input: JoinInput): Promise<OutMessage> {
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
  return {
    text: `You're in for mock interviews here as ${row.level}${row.topics.length ? ` (topics: ${row.topics.join(', ')})` : ''}${row.timeZone ? `, time zone ${row.timeZone}` : ''}. ${next ? `Next round: ${next}.` : 'No round is scheduled yet: an admin can run `/mlsd pair schedule weekly mon 10:00` or `/mlsd pair now`.'}`,
  };
}

export async function leave(deps: Deps, place: Place, actor: Actor): Promise<OutMessage> {
  const { channel, member } = await requireChannelMember(deps, place, actor);
  const row = await findPairMember(deps.db, channel.id, member.id);
  if (!row?.active) return { text: "You weren't opted in here. Join with `/mlsd pair join`." };
  await updatePairMember(deps.db, row.id, { active: false });
  return { text: "You've left mock rounds here. Your history is kept; `/mlsd pair join` brings you back." };
}

/** When a pause ends: a number of days from now, or the start of a date in the member's time zone. */
export type PauseUntil = { days: number } | { date: string };

export async function pause(deps: Deps, place: Place, actor: Actor, length: PauseUntil): Promise<OutMessage> {
  const { channel, member } = await requireChannelMember(deps, place, actor);
  const now = deps.clock.now();
  const zone = actor.timeZone ?? pairZone(channel);
  const until =
    'days' in length
      ? new Date(now.getTime() + length.days * 86_400_000)
      : DateTime.fromISO(length.date, { zone }).toJSDate();
  if (until.getTime() <= now.getTime()) {
    throw new UserError('bad-arguments', {
      problem: 'that date is in the past',
      usage: '/mlsd pair pause <YYYY-MM-DD | 2w>',
      example: '/mlsd pair pause 2w',
    });
  }
  const row = await findPairMember(deps.db, channel.id, member.id);
  if (!row?.active) return { text: "You aren't opted in here. Join with `/mlsd pair join`." };
  await updatePairMember(deps.db, row.id, { pausedUntil: until });
  return {
    text: `Paused until ${formatLocal(until, row.timeZone ?? pairZone(channel))}. You'll be back in the first round after that.`,
  };
}

export async function status(deps: Deps, place: Place, actor: Actor): Promise<OutMessage> {
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
  const lines = [
    row?.active
      ? `Opted in as ${row.level}${row.topics.length ? `, topics ${row.topics.join(', ')}` : ''}${row.pausedUntil && row.pausedUntil > deps.clock.now() ? `, paused until ${formatLocal(row.pausedUntil, zone)}` : ''}.`
      : 'Not opted in here (`/mlsd pair join`).',
    channel.pairEnabled
      ? `Next round: ${formatLocal(nextRoundTime(channel, deps.clock.now()), zone)} (${channel.pairCadence}).`
      : 'No rounds scheduled in this channel.',
  ];
  if (current && round && round.endsAt > deps.clock.now()) {
    const partnerId = current.interviewerId === member.id ? current.candidateId : current.interviewerId;
    const partner = await findMember(deps.db, partnerId);
    const role =
      current.interviewerId === member.id
        ? 'interviewer'
        : current.candidateId === member.id
          ? 'candidate'
          : 'observer';
    lines.push(
      `This round: ${role} with ${partner ? `<@${partner.userId}>` : 'your partner'} on "${deps.library.cases.get(current.caseId)?.title ?? current.caseId}" (${current.status}).`,
    );
  }
  lines.push(`Mocks so far: ${mocks.done} done of ${mocks.total}.`);
  return { text: lines.join('\n') };
}

export async function avoid(
  deps: Deps,
  place: Place,
  actor: Actor,
  targetUserId: string,
  on: boolean,
): Promise<OutMessage> {
  const { member } = await requireChannelMember(deps, place, actor);
  if (targetUserId === actor.userId) {
    throw new UserError('bad-arguments', {
      problem: "you can't avoid yourself",
      usage: '/mlsd pair avoid @member',
      example: '/mlsd pair avoid @alex',
    });
  }
  const target = await findMemberByUser(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    userId: targetUserId,
  });
  if (!target) {
    throw new UserError('bad-arguments', {
      problem: `I don't know <@${targetUserId}> in this workspace yet (they have to have used the bot)`,
      usage: `/mlsd pair ${on ? 'avoid' : 'unavoid'} @member`,
    });
  }
  await setAvoid(deps.db, member.id, target.id, on);
  return {
    text: on
      ? `Done: you won't be paired with <@${targetUserId}>. Only you can see this; they are never told.`
      : `Done: <@${targetUserId}> can be your partner again.`,
  };
}

export type PairScheduleInput = {
  cadence: 'weekly' | 'biweekly';
  day: number;
  time: string;
  timezone?: string | undefined;
};

/** `/mlsd pair schedule`: stores the round schedule and mirrors it into the scheduler. */
export async function setPairSchedule(
  deps: Deps,
  place: Place,
  actor: Actor,
  input: PairScheduleInput,
): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  await ensureScheduler(deps);
  const updated = await updateChannel(
    deps.db,
    channel.id,
    {
      pairEnabled: true,
      pairCadence: input.cadence,
      pairDay: input.day,
      pairTime: input.time,
      pairTimeZone: input.timezone ?? channel.pairTimeZone ?? actor.timeZone ?? channel.timeZone,
    },
    deps.clock.now(),
  );
  await syncPairSchedule(deps, updated);
  return {
    text: `Mock rounds here: ${input.cadence} on ${DateTime.fromObject({ weekday: input.day as 1 }).toFormat('cccc')} at ${input.time} ${pairZone(updated)}. Next round: ${formatLocal(nextRoundTime(updated, deps.clock.now()), pairZone(updated))}; opted-in members get a notice the day before.`,
  };
}

export async function disablePairSchedule(deps: Deps, place: Place): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  await ensureScheduler(deps);
  const updated = await updateChannel(deps.db, channel.id, { pairEnabled: false }, deps.clock.now());
  await syncPairSchedule(deps, updated);
  return { text: 'Scheduled mock rounds are off here. `/mlsd pair now` still runs one on demand.' };
}

async function syncPairSchedule(deps: Deps, channel: ChannelRow): Promise<void> {
  await syncDigest(deps, channel);
  if (!channel.pairEnabled) {
    await deps.scheduler.removeSchedule(pairRoundScheduleId(channel.id));
    await deps.scheduler.removeSchedule(pairNoticeScheduleId(channel.id));
    return;
  }
  await deps.scheduler.upsertSchedule(
    pairRoundScheduleId(channel.id),
    { pattern: roundPattern(channel), tz: pairZone(channel) },
    { name: JOB.pairRound, data: { channelId: channel.id } },
  );
  await deps.scheduler.upsertSchedule(
    pairNoticeScheduleId(channel.id),
    { pattern: noticePattern(channel), tz: pairZone(channel) },
    { name: JOB.pairNotice, data: { channelId: channel.id } },
  );
}

/** Rebuilds the pairing schedulers from Postgres, removing stale ones. */
export async function reconcilePairing(deps: Deps): Promise<number> {
  const enabled = await listPairEnabledChannels(deps.db);
  const wanted = new Set<string>();
  for (const channel of enabled) {
    wanted.add(pairRoundScheduleId(channel.id));
    wanted.add(pairNoticeScheduleId(channel.id));
    await syncPairSchedule(deps, channel);
  }
  await removeStaleSchedules(deps, (id) => /^pair-(round|notice)-\d+$/.test(id), wanted);
  return enabled.length;
}

/** The scheduled time a cron-fired round belongs to: its latest occurrence, so a repeat fire maps to it too. */
function scheduledRoundTime(channel: ChannelRow, now: Date): Date {
  const interval = CronExpressionParser.parse(roundPattern(channel), {
    currentDate: new Date(now.getTime() + 60_000),
    tz: pairZone(channel),
  });
  return interval.prev().toDate();
}

/** Picks a case the candidate has not met, preferring one the interviewer has already studied. */
async function chooseMockCase(
  deps: Deps,
  db: Db,
  channel: ChannelRow,
  interviewerId: number,
  candidateId: number,
  salt: number,
): Promise<CaseStudy> {
  // Sequential on purpose: inside a transaction there is one connection (and PGlite has only one).
  const candidatePair = await findPairMember(db, channel.id, candidateId);
  const candidateSeen = await listSeenCases(db, candidateId);
  const interviewerSeen = await listSeenCases(db, interviewerId);
  const shownToCandidate = await listChannelCasesSince(
    db,
    channel.id,
    candidatePair?.joinedAt ?? new Date(0),
  );
  const all = [...deps.library.cases.values()];
  const fresh = all.filter((study) => !candidateSeen.has(study.id) && !shownToCandidate.has(study.id));
  const pool = fresh.length > 0 ? fresh : all.filter((study) => !candidateSeen.has(study.id));
  const choices = pool.length > 0 ? pool : all;
  const studied = choices.filter((study) => interviewerSeen.has(study.id));
  const from = studied.length > 0 ? studied : choices;
  return from[salt % from.length] as CaseStudy;
}

export type RoundOutcome = { round: RoundRow; created: boolean; groups: number; unmatched: number };

/**
 * Runs a channel's round: pairs in one transaction (once per channel and scheduled time, however often
 * the job fires), then notifies from the stored pairings, each exactly once. `manual`: `/mlsd pair now`.
 */
export async function runRound(
  deps: Deps,
  channelId: number,
  options: { manual?: boolean } = {},
): Promise<RoundOutcome | undefined> {
  const channel = await findChannel(deps.db, channelId);
  if (!channel) throw new Error(`channel ${channelId} not found`);
  const now = deps.clock.now();
  if (options.manual) {
    const last = await latestRound(deps.db, channel.id);
    if (last && now.getTime() - last.createdAt.getTime() < NOW_DEDUPE) {
      const pairs = await listRoundPairings(deps.db, last.id);
      return { round: last, created: false, groups: pairs.length, unmatched: last.unmatched.length };
    }
  } else if (!channel.pairEnabled) {
    return undefined;
  }
  const scheduledFor = options.manual
    ? new Date(Math.floor(now.getTime() / 60_000) * 60_000)
    : scheduledRoundTime(channel, now);
  if (!options.manual && !roundWeek(channel, scheduledFor)) return undefined;
  const period = PERIOD[channel.pairCadence];
  const created = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const round = await createRound(db, {
      channelId: channel.id,
      scheduledFor,
      endsAt: new Date(scheduledFor.getTime() + period),
    });
    if (!round) return undefined;
    const participants = await listRoundParticipants(db, channel.id, scheduledFor);
    const history = await listPairHistory(db, channel.id);
    const roundIndex = history.reduce((max, item) => Math.max(max, item.round + 1), 0);
    // Observer duty in the last 12 rounds, so the odd seat goes round rather than to the same few.
    const observed = new Map<number, number>();
    for (const item of history) {
      if (item.observerId && item.round >= roundIndex - 12)
        observed.set(item.observerId, (observed.get(item.observerId) ?? 0) + 1);
    }
    const avoids = await listAvoids(
      db,
      participants.map((member) => member.memberId),
    );
    const result = matchMembers({
      members: participants.map((member) => ({
        id: member.memberId,
        level: member.level as Level,
        topics: member.topics,
        timeZone: member.timeZone ?? member.memberTimeZone ?? pairZone(channel),
        ...(member.lastRole ? { lastRole: member.lastRole as Role } : {}),
        observed: observed.get(member.memberId) ?? 0,
      })),
      history: history.flatMap((item) =>
        item.members.flatMap((a, index) =>
          item.members.slice(index + 1).map((b) => ({ a, b, round: item.round })),
        ),
      ),
      avoid: avoids,
      round: roundIndex,
      at: scheduledFor,
      seed: round.id,
    });
    const rows = [];
    for (const [index, group] of result.groups.entries()) {
      const study = await chooseMockCase(
        deps,
        db,
        channel,
        group.interviewer,
        group.candidate,
        round.id + index,
      );
      rows.push({
        roundId: round.id,
        caseId: study.id,
        interviewerId: group.interviewer,
        candidateId: group.candidate,
        observerId: group.observer ?? null,
      });
    }
    await insertPairings(db, rows);
    const byMember = new Map(participants.map((member) => [member.memberId, member]));
    for (const group of result.groups) {
      for (const [id, role] of [
        [group.interviewer, 'interviewer'],
        [group.candidate, 'candidate'],
        [group.observer, 'observer'],
      ] as const) {
        const member = id === undefined ? undefined : byMember.get(id);
        if (member) await updatePairMember(db, member.id, { lastRole: role });
      }
    }
    await setRoundUnmatched(
      db,
      round.id,
      result.unmatched.map((item) => ({ memberId: item.id, reason: item.reason })),
    );
    return { round, groups: result.groups.length, unmatched: result.unmatched.length };
  });
  const round = created?.round ?? (await findRoundAt(deps.db, channel.id, scheduledFor));
  if (!round) throw new Error('round vanished');
  await notifyRound(deps, round.id);
  if (created) {
    await armRoundJobs(deps, round);
    deps.log.info(
      { channel: channel.id, round: round.id, groups: created.groups, unmatched: created.unmatched },
      'pairing round created',
    );
  }
  const stored = (await findRound(deps.db, round.id)) ?? round;
  const pairs = await listRoundPairings(deps.db, round.id);
  return {
    round: stored,
    created: Boolean(created),
    groups: pairs.length,
    unmatched: stored.unmatched.length,
  };
}

async function armRoundJobs(deps: Deps, round: RoundRow): Promise<void> {
  const length = round.endsAt.getTime() - round.scheduledFor.getTime();
  const at = (share: number) => round.scheduledFor.getTime() + length * share - deps.clock.now().getTime();
  try {
    await deps.scheduler.enqueue({
      name: JOB.pairNudge,
      data: { roundId: round.id },
      jobId: `pair-nudge-${round.id}`,
      delayMs: at(NUDGE_AT),
    });
    await deps.scheduler.enqueue({
      name: JOB.pairCheckin,
      data: { roundId: round.id },
      jobId: `pair-checkin-${round.id}`,
      delayMs: at(CHECKIN_AT),
    });
  } catch (error) {
    deps.log.warn({ err: error, round: round.id }, 'could not arm round follow-ups');
  }
}

type Participants = { interviewer: MemberRow; candidate: MemberRow; observer?: MemberRow | undefined };

async function participantsOf(deps: Deps, pairing: PairingRow): Promise<Participants> {
  const [interviewer, candidate, observer] = await Promise.all([
    findMember(deps.db, pairing.interviewerId),
    findMember(deps.db, pairing.candidateId),
    pairing.observerId ? findMember(deps.db, pairing.observerId) : Promise.resolve(undefined),
  ]);
  if (!interviewer || !candidate) throw new Error(`pairing ${pairing.id} lost a member`);
  return { interviewer, candidate, observer };
}

/** Sends what a round's groups and unmatched members should get and have not got yet, each once. */
export async function notifyRound(deps: Deps, roundId: number): Promise<void> {
  const round = await findRound(deps.db, roundId);
  const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
  if (!round || !channel) return;
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  const plan = timePlan(deps.library.framework);
  const endsAt = formatLocal(round.endsAt, pairZone(channel));
  for (const pairing of await listRoundPairings(deps.db, round.id)) {
    const study = deps.library.cases.get(pairing.caseId);
    if (!study) continue;
    const people = await participantsOf(deps, pairing);
    if (await claimPairingStep(deps.db, pairing.id, 'notifiedAt', deps.clock.now())) {
      try {
        const users = [people.interviewer, people.candidate, people.observer]
          .filter(Boolean)
          .map((member) => (member as MemberRow).userId);
        const group = await notifier.openGroup(placeOfChannel(channel), users, `Mock: ${study.title}`);
        await notifier.post(
          group,
          pairIntro({
            pairingId: pairing.id,
            interviewer: people.interviewer.userId,
            candidate: people.candidate.userId,
            observer: people.observer?.userId,
            study,
            plan,
            endsAt,
          }),
        );
        await setPairingConversation(deps.db, pairing.id, group);
      } catch (error) {
        await releasePairingStep(deps.db, pairing.id, 'notifiedAt');
        throw error;
      }
    }
    if (await claimPairingStep(deps.db, pairing.id, 'guideSentAt', deps.clock.now())) {
      try {
        await notifier.sendDirect(
          channel.workspaceId,
          people.interviewer.userId,
          interviewerGuide({ study, candidate: people.candidate.userId, plan }),
        );
        if (people.observer) {
          await notifier.sendDirect(
            channel.workspaceId,
            people.observer.userId,
            interviewerGuide({ study, candidate: people.candidate.userId, plan, observer: true }),
          );
        }
      } catch (error) {
        await releasePairingStep(deps.db, pairing.id, 'guideSentAt');
        throw error;
      }
    }
  }
  if (
    round.unmatched.length > 0 &&
    (await claimRoundStep(deps.db, round.id, 'unmatchedToldAt', deps.clock.now()))
  ) {
    for (const note of round.unmatched) {
      const member = await findMember(deps.db, note.memberId);
      if (member) await notifier.sendDirect(channel.workspaceId, member.userId, unmatchedNote(note.reason));
    }
  }
}

/** `/mlsd pair now`. */
export async function runNow(deps: Deps, place: Place): Promise<OutMessage> {
  const channel = await ensureChannel(deps, place);
  const outcome = await runRound(deps, channel.id, { manual: true });
  if (!outcome) return { text: 'No round was run.' };
  const summary = `${outcome.groups} group${outcome.groups === 1 ? '' : 's'}${outcome.unmatched ? `, ${outcome.unmatched} without a partner (told privately)` : ''}`;
  return {
    text: outcome.created
      ? `Round started: ${summary}. Each group got a private conversation and the interviewer a guide.`
      : `A round was already started at ${formatLocal(outcome.round.createdAt, pairZone(channel))} (${summary}); not starting another.`,
  };
}

/** Mid-round: nudges groups where nobody has pressed anything yet, picking one member to propose times. */
export async function nudgeRound(deps: Deps, roundId: number): Promise<void> {
  const round = await findRound(deps.db, roundId);
  const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
  if (!round || !channel) return;
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  for (const pairing of await listRoundPairings(deps.db, round.id)) {
    if (pairing.status !== 'pending' || pairing.responded.length > 0 || !pairing.conversation) continue;
    if (!(await claimPairingStep(deps.db, pairing.id, 'nudgedAt', deps.clock.now()))) continue;
    const people = await participantsOf(deps, pairing);
    const all = [people.interviewer, people.candidate, people.observer].filter(Boolean) as MemberRow[];
    const volunteer = all[pairing.id % all.length] as MemberRow;
    await notifier.post(
      pairing.conversation,
      nudge({ volunteer: volunteer.userId, others: all.filter((m) => m !== volunteer).map((m) => m.userId) }),
    );
  }
}

/** End of round: asks each open group whether the mock happened, and pauses members who ignore two rounds. */
export async function checkinRound(deps: Deps, roundId: number): Promise<void> {
  const round = await findRound(deps.db, roundId);
  const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
  if (!round || !channel) return;
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  const pairs = await listRoundPairings(deps.db, round.id);
  for (const pairing of pairs) {
    if (pairing.status === 'done' || pairing.status === 'missed' || !pairing.conversation) continue;
    if (!(await claimPairingStep(deps.db, pairing.id, 'checkinSentAt', deps.clock.now()))) continue;
    await notifier.post(pairing.conversation, checkin(pairing.id));
  }
  if (!(await claimRoundStep(deps.db, round.id, 'checkedInAt', deps.clock.now()))) return;
  for (const pairing of pairs) {
    for (const memberId of [pairing.interviewerId, pairing.candidateId, pairing.observerId]) {
      if (!memberId) continue;
      const row = await findPairMember(deps.db, channel.id, memberId);
      if (!row) continue;
      if (pairing.responded.includes(memberId)) {
        await updatePairMember(deps.db, row.id, { ignoredRounds: 0 });
        continue;
      }
      const ignored = row.ignoredRounds + 1;
      await updatePairMember(deps.db, row.id, {
        ignoredRounds: ignored,
        ...(ignored >= 2 ? { active: false } : {}),
      });
      if (ignored >= 2) {
        const member = await findMember(deps.db, memberId);
        if (member) await notifier.sendDirect(channel.workspaceId, member.userId, autoPaused());
      }
    }
  }
}

/** The day before a round: each opted-in member gets a notice with a "skip this round" button, once. */
export async function sendNotice(deps: Deps, channelId: number): Promise<number> {
  const channel = await findChannel(deps.db, channelId);
  if (!channel?.pairEnabled) return 0;
  const next = nextRoundTime(channel, deps.clock.now());
  if (next.getTime() - deps.clock.now().getTime() > 2 * DAY) return 0;
  if (!(await claimNotice(deps.db, channel.id, next))) return 0;
  const notifier = notifierFor(deps, placeOfChannel(channel).platform);
  const opted = await listActivePairMembers(deps.db, channel.id);
  for (const { pair, userId } of opted) {
    if (pair.pausedUntil && pair.pausedUntil > next) continue;
    await notifier.sendDirect(
      channel.workspaceId,
      userId,
      roundNotice({
        when: formatLocal(next, pair.timeZone ?? pairZone(channel)),
        channelId: channel.id,
        millis: next.getTime(),
      }),
    );
  }
  return opted.length;
}

export async function skipRound(
  deps: Deps,
  actor: Actor,
  channelId: number,
  millis: number,
): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  const at = new Date(millis);
  if (at.getTime() < deps.clock.now().getTime())
    return { text: 'That round has already started, so there is nothing to skip.' };
  await addSkip(deps.db, channelId, member.id, at);
  return {
    text: `OK: you'll sit out the round of ${at.toISOString().slice(0, 10)} and stay in for the next.`,
  };
}

function roleOf(pairing: PairingRow, memberId: number): 'interviewer' | 'candidate' | 'observer' | undefined {
  if (pairing.interviewerId === memberId) return 'interviewer';
  if (pairing.candidateId === memberId) return 'candidate';
  if (pairing.observerId === memberId) return 'observer';
  return undefined;
}

/** A status button: Scheduled, Done, Not yet, Couldn't meet. */
export async function pressStatus(
  deps: Deps,
  actor: Actor,
  pairingId: number,
  pressed: string,
): Promise<{ message: OutMessage; form?: FormSpec }> {
  const member = await ensureMember(deps, actor);
  const pairing = await findPairing(deps.db, pairingId);
  if (!pairing || !roleOf(pairing, member.id)) return { message: { text: "That mock isn't one of yours." } };
  const status = pressed === 'scheduled' || pressed === 'done' || pressed === 'missed' ? pressed : undefined;
  const { row, changed } = await respondToPairing(deps.db, pairing.id, member.id, status, deps.clock.now());
  if (!row) return { message: { text: 'That mock no longer exists.' } };
  if (pressed === 'notyet') return { message: { text: "OK, it stays open: press Done when it's happened." } };
  // Done opens the feedback form at once for whoever pressed it, unless they have given theirs already.
  const form =
    row.status === 'done' && !(await hasGivenFeedback(deps.db, row.id, member.id))
      ? await feedbackFormOf(deps, row, member.id, 'Mock done: your feedback')
      : undefined;
  if (!changed) return { message: { text: `Already marked ${row.status}.` }, ...(form ? { form } : {}) };
  if (status === 'done') {
    const round = await findRound(deps.db, row.roundId);
    const ids = [row.interviewerId, row.candidateId, row.observerId].filter((id): id is number =>
      Boolean(id),
    );
    await appendPointEvents(
      deps.db,
      ids.map((id) => ({
        memberId: id,
        channelId: round?.channelId ?? null,
        kind: 'mock-done',
        ref: `pairing:${row.id}:member:${id}`,
        points: MOCK_POINTS.done,
        reason: `completed a mock interview (${roleOf(row, id)})`,
        createdAt: deps.clock.now(),
      })),
    );
    const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
    if (channel && row.conversation)
      await notifierFor(deps, placeOfChannel(channel).platform).post(
        row.conversation,
        feedbackPrompt(row.id),
      );
    return {
      message: { text: 'Marked done. Give your partner feedback in the form (or later, with the button).' },
      ...(form ? { form } : {}),
    };
  }
  return {
    message: {
      text:
        status === 'scheduled'
          ? 'Marked scheduled. Good luck!'
          : "Marked as couldn't meet. You stay in for the next round.",
    },
  };
}

/** The feedback form for a mock, for whoever pressed "Give feedback". */
export async function feedbackFormFor(
  deps: Deps,
  actor: Actor,
  pairingId: number,
): Promise<FormSpec | OutMessage> {
  const member = await ensureMember(deps, actor);
  const pairing = await findPairing(deps.db, pairingId);
  if (!pairing || !roleOf(pairing, member.id)) return { text: "That mock isn't one of yours." };
  if (await hasGivenFeedback(deps.db, pairing.id, member.id))
    return { text: 'Already received: thanks, your feedback for this mock is saved.' };
  return feedbackFormOf(deps, pairing, member.id);
}

/** The feedback form a member of a mock fills in about the other side. */
async function feedbackFormOf(
  deps: Deps,
  pairing: PairingRow,
  memberId: number,
  title?: string,
): Promise<FormSpec> {
  const role = roleOf(pairing, memberId);
  const aboutId = role === 'candidate' ? pairing.interviewerId : pairing.candidateId;
  const about = await findMember(deps.db, aboutId);
  return feedbackForm(
    pairing.id,
    role === 'candidate' ? 'your interviewer' : (about?.displayName ?? 'the candidate'),
    title,
  );
}

/** Stores a side's feedback, delivers it to the person it is about, and awards the giver once. */
export async function submitFeedback(
  deps: Deps,
  actor: Actor,
  pairingId: number,
  values: Record<string, string>,
): Promise<OutMessage> {
  const member = await ensureMember(deps, actor);
  const pairing = await findPairing(deps.db, pairingId);
  const role = pairing ? roleOf(pairing, member.id) : undefined;
  if (!pairing || !role) return { text: "That mock isn't one of yours." };
  const problems = feedbackProblems(values);
  if (Object.keys(problems).length > 0) throw new FormError(problems);
  const ratings = Object.fromEntries(STEPS.map((step) => [step, Number(values[ratingField(step)])]));
  const communication = Number(values.communication);
  const strength = (values.strength ?? '').trim();
  const improve = (values.improve ?? '').trim();
  const aboutId = role === 'candidate' ? pairing.interviewerId : pairing.candidateId;
  const saved = await insertFeedback(deps.db, {
    pairingId: pairing.id,
    fromMemberId: member.id,
    aboutMemberId: aboutId,
    role,
    ratings,
    communication,
    strength,
    improve,
  });
  if (!saved) return { text: 'Already received: thanks, your feedback for this mock is saved.' };
  const round = await findRound(deps.db, pairing.roundId);
  await respondToPairing(deps.db, pairing.id, member.id, undefined, deps.clock.now());
  await appendPointEvents(deps.db, [
    {
      memberId: member.id,
      channelId: round?.channelId ?? null,
      kind: 'mock-feedback',
      ref: `pairing:${pairing.id}:member:${member.id}`,
      points: MOCK_POINTS.feedback,
      reason: 'gave structured feedback after a mock',
      createdAt: deps.clock.now(),
    },
  ]);
  const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
  const about = await findMember(deps.db, aboutId);
  const study = deps.library.cases.get(pairing.caseId);
  if (channel && about && study) {
    await notifierFor(deps, placeOfChannel(channel).platform).sendDirect(
      channel.workspaceId,
      about.userId,
      feedbackReceived({ from: member.userId, role, study, ratings, communication, strength, improve }),
    );
  }
  return { text: `Thanks: your feedback went to <@${about?.userId ?? ''}>.` };
}
