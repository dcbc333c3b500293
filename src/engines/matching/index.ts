import { avoidedByEveryone, preparePool } from './pool.ts';
import { matchPool, repairOddRound } from './repair.ts';
import { recencyWindow } from './score.ts';
import { assemble, chooseObserver } from './solve.ts';
import type { MatchInput, MatchResult, Unmatched } from './types.ts';

/**
 * The peer-mock matcher: pure, no I/O, deterministic for a seed. types (members, groups), score (the one
 * pair-score formula and its weights), pool (members and history indexed for scoring), graph (candidate
 * edges, augmenting paths), solve (greedy, 2-opt, odd counts and observers), repair (repeats within the
 * recency window).
 */

export {
  createScoreContext,
  groupScore,
  pairKey,
  pairScore,
  recencyWindow,
  SCORE,
} from './score.ts';
export type * from './types.ts';
export { LEVELS } from './types.ts';

/**
 * Groups members for one round of mock interviews: pairs maximising the summed `pairScore`, no repeat
 * within the recency window when a repeat-free round exists, never an avoided pair, one trio with an
 * observer when the count is odd, and everyone who cannot be placed listed with the reason.
 */
export function matchMembers(input: MatchInput): MatchResult {
  const members = [...new Map(input.members.map((member) => [member.id, member])).values()].sort(
    (a, b) => a.id - b.id,
  );
  if (members.length <= 1) {
    return {
      groups: [],
      unmatched: members.map((member) => ({ id: member.id, reason: 'only-member' })),
      window: recencyWindow(members.length),
      repeats: 0,
    };
  }
  const shunned = avoidedByEveryone(members, input.avoid);
  const unmatched: Unmatched[] = members
    .filter((member) => shunned.has(member.id))
    .map((member) => ({ id: member.id, reason: 'avoided-by-everyone' }));
  const pool = preparePool(
    members.filter((member) => !shunned.has(member.id)),
    input,
  );
  if (pool.size < 2) {
    for (const member of pool.members) unmatched.push({ id: member.id, reason: 'avoided-by-everyone' });
    return { groups: [], unmatched, window: pool.window, repeats: 0 };
  }
  const { mate, graph } = matchPool(pool);
  if (pool.size % 2 === 1) chooseObserver(pool, graph, mate);
  const { groups, left, repeats } = repairOddRound(pool, graph, mate, input, assemble(pool, mate));
  for (const index of left) unmatched.push({ id: pool.members[index]!.id, reason: 'avoided-by-everyone' });
  unmatched.sort((a, b) => a.id - b.id);
  return { groups, unmatched, window: pool.window, repeats };
}
