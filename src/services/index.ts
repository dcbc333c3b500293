import { pruneDeliveries } from '../db/queries/deliveries.ts';
import { pruneFormDrafts } from '../db/queries/forms.ts';
import * as answers from './answers.ts';
import * as daily from './daily.ts';
import type { Deps } from './deps.ts';
import * as digest from './digest.ts';
import * as leaderboard from './leaderboard.ts';
import * as library from './library.ts';
import * as members from './members.ts';
import * as pairing from './pairing.ts';
import * as stats from './stats.ts';
import * as teams from './teams.ts';
import * as upvotes from './upvotes.ts';

type BoundModule<M> = {
  [K in keyof M]: M[K] extends (deps: Deps, ...args: infer A) => infer R ? (...args: A) => R : never;
};

function bind<M extends Record<string, unknown>>(module: M, deps: Deps): BoundModule<M> {
  return Object.fromEntries(
    Object.entries(module)
      .filter(([, value]) => typeof value === 'function')
      .map(([name, value]) => [
        name,
        (...args: unknown[]) => (value as (...a: unknown[]) => unknown)(deps, ...args),
      ]),
  ) as BoundModule<M>;
}

/** The use-cases commands, jobs and listeners call, with their dependencies bound. */
export function createServices(deps: Deps) {
  return {
    deps,
    daily: bind(
      {
        showToday: daily.showToday,
        postDaily: daily.postDaily,
        closeDaily: daily.closeDaily,
        setSchedule: daily.setSchedule,
        disableSchedule: daily.disableSchedule,
        setFilter: daily.setFilter,
        setMode: daily.setMode,
        reconcileDaily: daily.reconcileDaily,
        sweepOverdue: daily.sweepOverdue,
        findPromptForForm: daily.findPromptForForm,
        promptFacts: daily.promptFacts,
        todayFacts: daily.todayFacts,
      },
      deps,
    ),
    answers: bind(
      {
        answerInThread: answers.answerInThread,
        answerByForm: answers.answerByForm,
        upvoteAnswer: upvotes.upvoteAnswer,
      },
      deps,
    ),
    library: bind(
      { showCase: library.showCase, showCard: library.showCard, showFramework: library.showFramework },
      deps,
    ),
    leaderboard: bind(
      {
        channelLeaderboard: leaderboard.channelLeaderboard,
        streakLeaderboard: leaderboard.streakLeaderboard,
        setBoardVisibility: stats.setBoardVisibility,
      },
      deps,
    ),
    stats: bind({ memberStats: stats.memberStats, homeView: stats.homeView }, deps),
    digest: bind({ weeklyDigest: digest.weeklyDigest, reconcileDigests: digest.reconcileDigests }, deps),
    teams: bind(
      { create: teams.create, join: teams.join, leave: teams.leave, teamBoard: teams.teamBoard },
      deps,
    ),
    maintenance: {
      /** Platforms stop retrying within hours; a day of delivery ids is plenty. */
      pruneDeliveries: async () => {
        const dayAgo = new Date(deps.clock.now().getTime() - 86_400_000);
        await pruneDeliveries(deps.db, dayAgo);
        await pruneFormDrafts(deps.db, dayAgo);
      },
    },
    pairing: bind(
      {
        join: pairing.join,
        leave: pairing.leave,
        pause: pairing.pause,
        status: pairing.status,
        avoid: pairing.avoid,
        setPairSchedule: pairing.setPairSchedule,
        disablePairSchedule: pairing.disablePairSchedule,
        reconcilePairing: pairing.reconcilePairing,
        runRound: pairing.runRound,
        runNow: pairing.runNow,
        notifyRound: pairing.notifyRound,
        nudgeRound: pairing.nudgeRound,
        checkinRound: pairing.checkinRound,
        sendNotice: pairing.sendNotice,
        skipRound: pairing.skipRound,
        pressStatus: pairing.pressStatus,
        feedbackFormFor: pairing.feedbackFormFor,
        submitFeedback: pairing.submitFeedback,
      },
      deps,
    ),
    members: bind(
      {
        ensureMember: members.ensureMember,
        ensureChannel: members.ensureChannel,
        isAdmin: members.isAdmin,
        memberTimeZone: members.memberTimeZone,
      },
      deps,
    ),
  };
}

export type Services = ReturnType<typeof createServices>;
