// Peer mock interviews: the public use-cases (bound whole by services/index.ts) and what other files import.
export { LEVELS } from '../../engines/matching/index.ts';
export { feedbackFormFor, MOCK_POINTS, pressStatus, submitFeedback } from './feedback.ts';
export {
  avoid,
  type JoinInput,
  join,
  leave,
  type PauseUntil,
  pause,
  skipRound,
  status,
} from './membership.ts';
export { checkinRound, notifyRound, nudgeRound, type RoundOutcome, runNow, runRound } from './rounds.ts';
export {
  disablePairSchedule,
  type PairScheduleInput,
  pairNoticeScheduleId,
  pairRoundScheduleId,
  reconcilePairing,
  sendNotice,
  setPairSchedule,
} from './schedule.ts';
