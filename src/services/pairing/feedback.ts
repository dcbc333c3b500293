// After the mock: the status buttons, the points for a mock done, and the structured feedback each side gives.
import {
  type FeedbackFormView,
  type FeedbackSent,
  feedbackProblems,
  feedbackPrompt,
  feedbackReceived,
  type MockRole,
  mockDoneReason,
  mockFeedbackReason,
  ratingField,
  type StatusPress,
} from '../../../content/pairing-messages.ts';
import { FormError, UserError } from '../../core/errors.ts';
import { STEPS } from '../../core/framework.ts';
import type { Actor } from '../../core/types.ts';
import { findChannel } from '../../db/queries/channels.ts';
import { findMember } from '../../db/queries/members.ts';
import {
  findPairing,
  findRound,
  hasGivenFeedback,
  insertFeedback,
  type PairingRow,
  respondToPairing,
} from '../../db/queries/pairing.ts';
import { appendPointEvents } from '../../db/queries/points.ts';
import { type Deps, notifierFor } from '../deps.ts';
import { ensureMember, placeOfChannel } from '../members.ts';
import { feedMisses } from '../study/drill.ts';

/** Points for mocks, once per pairing and member (see README). */
export const MOCK_POINTS = { done: 15, feedback: 5 } as const;

function roleOf(pairing: PairingRow, memberId: number): MockRole | undefined {
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
): Promise<StatusPress> {
  const member = await ensureMember(deps, actor);
  const pairing = await findPairing(deps.db, pairingId);
  if (!pairing || !roleOf(pairing, member.id)) throw new UserError('not-your-mock');
  const status = pressed === 'scheduled' || pressed === 'done' || pressed === 'missed' ? pressed : undefined;
  const { row, changed } = await respondToPairing(deps.db, pairing.id, member.id, status, deps.clock.now());
  if (!row) throw new UserError('mock-gone');
  if (pressed === 'notyet') return { kind: 'notyet' };
  // Done opens the feedback form at once for whoever pressed it, unless they have given theirs already.
  const form =
    row.status === 'done' && !(await hasGivenFeedback(deps.db, row.id, member.id))
      ? await feedbackFormOf(deps, row, member.id, true)
      : undefined;
  if (!changed) return { kind: 'unchanged', status: row.status, ...(form ? { form } : {}) };
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
        reason: mockDoneReason(roleOf(row, id)),
        createdAt: deps.clock.now(),
      })),
    );
    const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
    if (channel && row.conversation)
      await notifierFor(deps, placeOfChannel(channel).platform).post(
        row.conversation,
        feedbackPrompt(row.id),
      );
    return { kind: 'done', ...(form ? { form } : {}) };
  }
  return { kind: status === 'scheduled' ? 'scheduled' : 'missed' };
}

/** The feedback form for a mock, for whoever pressed "Give feedback". */
export async function feedbackFormFor(
  deps: Deps,
  actor: Actor,
  pairingId: number,
): Promise<FeedbackFormView> {
  const member = await ensureMember(deps, actor);
  const pairing = await findPairing(deps.db, pairingId);
  if (!pairing || !roleOf(pairing, member.id)) throw new UserError('not-your-mock');
  if (await hasGivenFeedback(deps.db, pairing.id, member.id)) throw new UserError('feedback-given');
  return feedbackFormOf(deps, pairing, member.id);
}

/** The feedback form a member of a mock fills in about the other side (`afterDone`: opened by Done). */
async function feedbackFormOf(
  deps: Deps,
  pairing: PairingRow,
  memberId: number,
  afterDone?: boolean,
): Promise<FeedbackFormView> {
  const role = roleOf(pairing, memberId);
  const aboutId = role === 'candidate' ? pairing.interviewerId : pairing.candidateId;
  const about = await findMember(deps.db, aboutId);
  return {
    pairingId: pairing.id,
    about: role === 'candidate' ? 'interviewer' : 'candidate',
    name: about?.displayName,
    ...(afterDone ? { afterDone } : {}),
  };
}

/** Stores a side's feedback, delivers it to the person it is about, and awards the giver once. */
/** A step rated this low (of 4) in mock feedback is a miss for the candidate's drill. */
const LOW_RATING = 2;

export async function submitFeedback(
  deps: Deps,
  actor: Actor,
  pairingId: number,
  values: Record<string, string>,
): Promise<FeedbackSent> {
  const member = await ensureMember(deps, actor);
  const pairing = await findPairing(deps.db, pairingId);
  const role = pairing ? roleOf(pairing, member.id) : undefined;
  if (!pairing || !role) throw new UserError('not-your-mock');
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
  if (!saved) throw new UserError('feedback-given');
  const round = await findRound(deps.db, pairing.roundId);
  await respondToPairing(deps.db, pairing.id, member.id, undefined, deps.clock.now());
  await appendPointEvents(deps.db, [
    {
      memberId: member.id,
      channelId: round?.channelId ?? null,
      kind: 'mock-feedback',
      ref: `pairing:${pairing.id}:member:${member.id}`,
      points: MOCK_POINTS.feedback,
      reason: mockFeedbackReason(),
      createdAt: deps.clock.now(),
    },
  ]);
  const channel = round ? await findChannel(deps.db, round.channelId) : undefined;
  const about = await findMember(deps.db, aboutId);
  const study = deps.library.cases.get(pairing.caseId);
  // The interviewer's low ratings (1 or 2 of 4) feed the candidate's drill: that step's recall and cards.
  if (role === 'interviewer' && study) {
    const weak = STEPS.filter((step) => (ratings[step] ?? 4) <= LOW_RATING);
    const cards = weak.flatMap((step) =>
      study.steps[step].concepts.flatMap((concept) => (concept.card ? [concept.card] : [])),
    );
    await feedMisses(deps, aboutId, { caseId: study.id, steps: weak, cards }).catch((error: unknown) =>
      deps.log.warn({ err: error, member: aboutId }, 'could not feed mock feedback to the drill queue'),
    );
  }
  if (channel && about && study) {
    await notifierFor(deps, placeOfChannel(channel).platform).sendDirect(
      channel.workspaceId,
      about.userId,
      feedbackReceived({ from: member.userId, role, study, ratings, communication, strength, improve }),
    );
  }
  return { to: about?.userId ?? '' };
}
