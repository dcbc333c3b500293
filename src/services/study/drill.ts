import type { DrillItemView, DrillStatsView, DrillView } from '../../../content/study-messages.ts';
import { UserError } from '../../core/errors.ts';
import { STEPS, type StepKey } from '../../core/framework.ts';
import type { Actor } from '../../core/types.ts';
import type { MemberRow } from '../../db/queries/members.ts';
import { appendCappedPointEvent } from '../../db/queries/points.ts';
import {
  type DrillItemRow,
  dueCount,
  dueTimes,
  findItem,
  findPlan,
  itemCounts,
  makeDue,
  memoryOf,
  nextDue,
  recordReview,
  removeItem,
  reviewsSince,
  reviewTally,
  touchPlan,
} from '../../db/queries/study.ts';
import { newMemory, review } from '../../engines/study/fsrs.ts';
import { itemKey, parseItemKey, ratingFromCoverage } from '../../engines/study/plan.ts';
import type { Deps } from '../deps.ts';
import { ensureMember } from '../members.ts';
import { gradeWithReviewer } from '../reviewer.ts';
import { formatLocal } from '../schedule.ts';
import { introduce, memberZone, today } from './plan.ts';

/** Drill reviews earn a point each, a few a day, so drilling cannot outscore answering the daily case. */
export const DRILL_POINTS = { perReview: 1, perDay: 5 } as const;

type Rating = 1 | 2 | 3 | 4;

/** How long until `due`, for people: "in 10 minutes", "tomorrow", "in 6 days". */
function nextIn(now: Date, due: Date): string {
  const minutes = Math.max(1, Math.round((due.getTime() - now.getTime()) / 60_000));
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `in ${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'tomorrow' : `in ${days} days`;
}

/** An item as the member sees it, or undefined when its content left the library. */
function itemView(deps: Deps, row: Pick<DrillItemRow, 'itemKey' | 'reps'>): DrillItemView | undefined {
  const ref = parseItemKey(row.itemKey);
  if (!ref) return undefined;
  const base = { key: row.itemKey, reps: row.reps };
  if (ref.kind === 'card') {
    const card = deps.library.cards.get(ref.id);
    return card
      ? {
          kind: 'card',
          ...base,
          title: card.title,
          question: card.question,
          answer: card.answer,
          when: card.when,
        }
      : undefined;
  }
  if (ref.kind === 'step') {
    const step = deps.library.framework?.steps.find((item) => item.key === ref.step);
    return step
      ? {
          kind: 'step',
          ...base,
          step: ref.step,
          number: STEPS.indexOf(ref.step) + 1,
          strong: step.parts['What a strong answer does'],
          questions: step.parts['Questions to ask'],
        }
      : undefined;
  }
  const study = deps.library.cases.get(ref.caseId);
  return study
    ? { kind: 'recall', ...base, step: ref.step, caseTitle: study.title, scenario: study.scenario }
    : undefined;
}

async function context(deps: Deps, actor: Actor) {
  const member = await ensureMember(deps, actor);
  const plan = await findPlan(deps.db, member.id);
  const zone = await memberZone(deps, member, plan?.channelId);
  return { member, plan, zone };
}

/** `/mlsd drill`: the member's most overdue item today, with what happened to the previous one. */
export async function nextDrill(deps: Deps, actor: Actor, saved?: DrillView['saved']): Promise<DrillView> {
  const { member, plan, zone } = await context(deps, actor);
  await introduce(deps, member, plan, zone);
  const now = deps.clock.now();
  const day = today(now, zone);
  const until = day.endOf('day').toJSDate();
  for (;;) {
    const row = await nextDue(deps.db, member.id, until);
    if (!row) break;
    const item = itemView(deps, row);
    if (item)
      return { ...(saved ? { saved } : {}), item, left: (await dueCount(deps.db, member.id, until)).due };
    // Content removed since the member met it: forgotten rather than served blank.
    await removeItem(deps.db, member.id, row.itemKey);
  }
  const upcoming = (await dueTimes(deps.db, member.id, new Date(now.getTime() + 30 * 86_400_000))).sort(
    (a, b) => a.getTime() - b.getTime(),
  )[0];
  return {
    ...(saved ? { saved } : {}),
    left: 0,
    doneToday: await reviewsSince(deps.db, member.id, day.toJSDate()),
    ...(upcoming ? { nextAt: formatLocal(upcoming, zone) } : {}),
  };
}

async function dueItem(deps: Deps, member: MemberRow, key: string, reps: number): Promise<DrillItemRow> {
  const row = await findItem(deps.db, member.id, key);
  if (!row || row.reps !== reps) throw new UserError('drill-item-gone');
  return row;
}

/** The back of a card or framework step, with the rating buttons. */
export async function revealDrill(
  deps: Deps,
  actor: Actor,
  key: string,
  reps: number,
): Promise<DrillItemView> {
  const { member } = await context(deps, actor);
  const item = itemView(deps, await dueItem(deps, member, key, reps));
  if (!item) throw new UserError('drill-item-gone');
  return item;
}

/** What a case-step recall needs to open its form. */
export async function recallItem(deps: Deps, actor: Actor, key: string, reps: number) {
  const item = await revealDrill(deps, actor, key, reps);
  if (item.kind !== 'recall') throw new UserError('drill-item-gone');
  return item;
}

/** Applies a rating once (a double click rates once), awards the day's capped points, then the next item. */
async function applyRating(
  deps: Deps,
  actor: Actor,
  input: { key: string; reps: number; rating: Rating; coverage?: number },
): Promise<{ member: MemberRow; due: Date }> {
  const { member, plan, zone } = await context(deps, actor);
  const row = await dueItem(deps, member, input.key, input.reps);
  const now = deps.clock.now();
  const after = review(memoryOf(row), now, input.rating);
  const applied = await recordReview(deps.db, {
    memberId: member.id,
    itemKey: input.key,
    reps: input.reps,
    before: row.state,
    rating: input.rating,
    coverage: input.coverage,
    after,
    at: now,
  });
  if (!applied) throw new UserError('drill-item-gone');
  const date = today(now, zone).toISODate() ?? '';
  await appendCappedPointEvent(
    deps.db,
    {
      memberId: member.id,
      channelId: plan?.channelId ?? null,
      kind: 'drill-review',
      ref: `drill:${member.id}:${date}:${input.key}:${input.reps}`,
      points: DRILL_POINTS.perReview,
      reason: 'Drill review',
      createdAt: now,
    },
    { refPrefix: `drill:${member.id}:${date}:`, cap: DRILL_POINTS.perDay },
  );
  if (plan) await touchPlan(deps.db, member.id, now);
  return { member, due: after.due };
}

/** A self-rating of a card or step: Again 1, Hard 2, Good 3, Easy 4. */
export async function rateDrill(
  deps: Deps,
  actor: Actor,
  key: string,
  reps: number,
  rating: Rating,
): Promise<DrillView> {
  const { due } = await applyRating(deps, actor, { key, reps, rating });
  return nextDrill(deps, actor, { rating, nextIn: nextIn(deps.clock.now(), due) });
}

/** A case step written from memory: graded against that step's rubric; the coverage sets the rating. */
export async function recallDrill(
  deps: Deps,
  actor: Actor,
  key: string,
  reps: number,
  text: string,
): Promise<DrillView> {
  const ref = parseItemKey(key);
  const study = ref?.kind === 'recall' ? deps.library.cases.get(ref.caseId) : undefined;
  if (ref?.kind !== 'recall' || !study) throw new UserError('drill-item-gone');
  if (!text.trim()) throw new UserError('answer-empty', {}, 'answer');
  const grade = await gradeWithReviewer(deps, study, text, ref.step);
  const step = grade.steps[ref.step];
  const rating = ratingFromCoverage(step.coverage);
  const { due } = await applyRating(deps, actor, { key, reps, rating, coverage: step.coverage });
  return nextDrill(deps, actor, {
    rating,
    nextIn: nextIn(deps.clock.now(), due),
    coverage: step.coverage,
    missed: step.missed.map((item) => item.term),
    outline: study.steps[ref.step].outline.trim(),
  });
}

/** `/mlsd drill stats`: items, due today, retention over 30 days and the week's forecast. */
export async function drillStats(deps: Deps, actor: Actor): Promise<DrillStatsView> {
  const { member, zone } = await context(deps, actor);
  const now = deps.clock.now();
  const day = today(now, zone);
  const [counts, tally, times] = await Promise.all([
    itemCounts(deps.db, member.id),
    reviewTally(deps.db, member.id, new Date(now.getTime() - 30 * 86_400_000)),
    dueTimes(deps.db, member.id, day.plus({ days: 7 }).toJSDate()),
  ]);
  const forecast = Array.from({ length: 7 }, (_, index) => {
    const start = index === 0 ? 0 : day.plus({ days: index }).toMillis();
    const end = day.plus({ days: index + 1 }).toMillis();
    return times.filter((due) => due.getTime() >= start && due.getTime() < end).length;
  });
  return {
    items: counts.items,
    unseen: counts.unseen,
    dueToday: forecast[0] ?? 0,
    reviews30: tally.reviews,
    recalled30: tally.recalled,
    forecast,
  };
}

/**
 * Misses feed the queue: the recall of a case's weak steps and the cards behind missed ideas or weak steps
 * become due now (added if the member has not met them yet).
 */
export async function feedMisses(
  deps: Deps,
  memberId: number,
  misses: { caseId?: string | undefined; steps: StepKey[]; cards: string[] },
): Promise<string[]> {
  const keys = [
    ...(misses.caseId ? misses.steps.map((step) => itemKey.recall(misses.caseId as string, step)) : []),
    ...misses.cards.filter((id) => deps.library.cards.has(id)).map((id) => itemKey.card(id)),
  ];
  const unique = [...new Set(keys)];
  await makeDue(deps.db, memberId, unique, newMemory(deps.clock.now()));
  return unique;
}
