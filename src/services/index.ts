import * as answers from './answers.ts';
import * as daily from './daily/index.ts';
import type { Deps } from './deps.ts';
import * as digest from './digest.ts';
import * as leaderboard from './leaderboard.ts';
import * as library from './library.ts';
import * as maintenance from './maintenance.ts';
import * as members from './members.ts';
import * as pairing from './pairing/index.ts';
import * as privacy from './privacy.ts';
import * as reconcile from './reconcile.ts';
import * as stats from './stats.ts';
import * as drill from './study/drill.ts';
import * as plan from './study/plan.ts';
import * as teams from './teams.ts';
import * as upvotes from './upvotes.ts';
import * as workspaces from './workspaces.ts';

/** A module's use-cases with their dependencies bound: every exported function whose first parameter is Deps. */
type BoundModule<M> = {
  [K in keyof M as M[K] extends (deps: Deps, ...args: never[]) => unknown ? K : never]: M[K] extends (
    deps: Deps,
    ...args: infer A
  ) => infer R
    ? (...args: A) => R
    : never;
};

function bind<M extends object>(module: M, deps: Deps): BoundModule<M> {
  return Object.fromEntries(
    Object.entries(module)
      .filter(([, value]) => typeof value === 'function')
      .map(([name, value]) => [
        name,
        (...args: unknown[]) => (value as (...a: unknown[]) => unknown)(deps, ...args),
      ]),
  ) as BoundModule<M>;
}

/** The use-cases commands, jobs and listeners call: each service module whole, its dependencies bound. */
export function createServices(deps: Deps) {
  return {
    deps,
    answers: bind(answers, deps),
    daily: bind(daily, deps),
    digest: bind(digest, deps),
    drill: bind(drill, deps),
    leaderboard: bind(leaderboard, deps),
    library: bind(library, deps),
    maintenance: bind(maintenance, deps),
    members: bind(members, deps),
    pairing: bind(pairing, deps),
    plan: bind(plan, deps),
    privacy: bind(privacy, deps),
    reconcile: bind(reconcile, deps),
    stats: bind(stats, deps),
    teams: bind(teams, deps),
    upvotes: bind(upvotes, deps),
    workspaces: bind(workspaces, deps),
  };
}

export type Services = ReturnType<typeof createServices>;
