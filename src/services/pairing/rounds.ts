// A round: matching in one transaction, the group conversations and guides, the nudge and the check-in.
import {
  autoPaused,
  checkin,
  interviewerGuide,
  mockGroupName,
  nudge,
  pairIntro,
  type RoundStart,
  timePlan,
  unmatchedNote,
} from '../../../content/pairing-messages.ts';
import type { CaseStudy } from '../../../content/schema.ts';
import type { Place } from '../../core/types.ts';
import type { Db } from '../../db/client.ts';
import { type ChannelRow, findChannel } from '../../db/queries/channels.ts';
import { findMember, type MemberRow } from '../../db/queries/members.ts';
import {
  claimRoundStep,
  createRound,
  findPairMember,
  findRound,
  findRoundAt,
  insertPairings,
  latestRound,
  listAvoids,
  listChannelCasesSince,
  listPairHistory,
  listRoundPairings,
  listRoundParticipants,
  listSeenCases,
  markPairingStep,
  type PairingRow,
  type RoundRow,
  setPairingConversation,
  setRoundUnmatched,
  updatePairMember,
} from '../../db/queries/pairing.ts';
import { type Level, matchMembers, type Role } from '../../engines/matching/index.ts';
import { type Deps, notifierFor } from '../deps.ts';
import { JOB } from '../jobs.ts';
import { ensureChannel, placeOfChannel } from '../members.ts';
import { formatLocal } from '../schedule.ts';
import { sendOnce } from '../sends.ts';
import { DAY, pairZone, roundWeek, scheduledRoundTime } from './schedule.ts';

const PERIOD = { weekly: 7 * DAY, biweekly: 14 * DAY } as const;
const NUDGE_AT = 0.4; // share of the round: nobody pressed anything by then
const CHECKIN_AT = 0.85; // share of the round: did it happen?
const NOW_DEDUPE = 10 * 60_000; // ms: two `/mlsd pair now` within this make one round

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
  const levels = Object.fromEntries(
    (deps.library.framework?.steps ?? []).map((step) => [step.key, step.parts.Levels]),
  );
  const endsAt = formatLocal(round.endsAt, pairZone(channel));
  for (const pairing of await listRoundPairings(deps.db, round.id)) {
    const study = deps.library.cases.get(pairing.caseId);
    if (!study) continue;
    const people = await participantsOf(deps, pairing);
    const key = `pairing:${pairing.id}`;
    if (!pairing.notifiedAt) {
      const users = [people.interviewer, people.candidate, people.observer]
        .filter(Boolean)
        .map((member) => (member as MemberRow).userId);
      // The group is opened once (a sender that died after opening it leaves it to the next one).
      const opened = await sendOnce(deps, `${key}:group`, async () => {
        const group = await notifier.openGroup(placeOfChannel(channel), users, mockGroupName(study.title));
        return { channelId: group.channelId, ...(group.threadId ? { threadId: group.threadId } : {}) };
      });
      const group: Place = {
        ...placeOfChannel(channel),
        channelId: opened.ref.channelId ?? channel.channelId,
        threadId: opened.ref.threadId,
      };
      const intro = pairIntro({
        pairingId: pairing.id,
        interviewer: people.interviewer.userId,
        candidate: people.candidate.userId,
        observer: people.observer?.userId,
        study,
        plan,
        endsAt,
      });
      await sendOnce(deps, `${key}:intro`, (once) => notifier.post(group, intro, once));
      await setPairingConversation(deps.db, pairing.id, group);
      await markPairingStep(deps.db, pairing.id, 'notifiedAt', deps.clock.now());
    }
    if (!pairing.guideSentAt) {
      const guides = [
        { member: people.interviewer, observer: false },
        ...(people.observer ? [{ member: people.observer, observer: true }] : []),
      ];
      for (const { member, observer } of guides) {
        const guide = interviewerGuide({ study, candidate: people.candidate.userId, plan, observer, levels });
        await sendOnce(deps, `${key}:guide:${member.id}`, (once) =>
          notifier.sendDirect(channel.workspaceId, member.userId, guide, once),
        );
      }
      await markPairingStep(deps.db, pairing.id, 'guideSentAt', deps.clock.now());
    }
  }
  if (round.unmatched.length > 0 && !round.unmatchedToldAt) {
    for (const note of round.unmatched) {
      const member = await findMember(deps.db, note.memberId);
      if (!member) continue;
      await sendOnce(deps, `round:${round.id}:unmatched:${member.id}`, (once) =>
        notifier.sendDirect(channel.workspaceId, member.userId, unmatchedNote(note.reason), once),
      );
    }
    await claimRoundStep(deps.db, round.id, 'unmatchedToldAt', deps.clock.now());
  }
}

/** `/mlsd pair now`. */
export async function runNow(deps: Deps, place: Place): Promise<RoundStart | undefined> {
  const channel = await ensureChannel(deps, place);
  const outcome = await runRound(deps, channel.id, { manual: true });
  if (!outcome) return undefined;
  return {
    created: outcome.created,
    groups: outcome.groups,
    unmatched: outcome.unmatched,
    startedAt: formatLocal(outcome.round.createdAt, pairZone(channel)),
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
    if (pairing.nudgedAt) continue;
    const people = await participantsOf(deps, pairing);
    const all = [people.interviewer, people.candidate, people.observer].filter(Boolean) as MemberRow[];
    const volunteer = all[pairing.id % all.length] as MemberRow;
    const conversation = pairing.conversation;
    const message = nudge({
      volunteer: volunteer.userId,
      others: all.filter((m) => m !== volunteer).map((m) => m.userId),
    });
    await sendOnce(deps, `pairing:${pairing.id}:nudge`, (once) => notifier.post(conversation, message, once));
    await markPairingStep(deps.db, pairing.id, 'nudgedAt', deps.clock.now());
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
    if (pairing.checkinSentAt) continue;
    const conversation = pairing.conversation;
    await sendOnce(deps, `pairing:${pairing.id}:checkin`, (once) =>
      notifier.post(conversation, checkin(pairing.id), once),
    );
    await markPairingStep(deps.db, pairing.id, 'checkinSentAt', deps.clock.now());
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
