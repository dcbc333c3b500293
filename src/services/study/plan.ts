import { DateTime } from 'luxon';
import type { PairJoined } from '../../../content/pairing-messages.ts';
import {
  type MorningView,
  morningMessage as morningMessageOf,
  type PlanView,
  planNudgeText,
} from '../../../content/study-messages.ts';
import { UserError } from '../../core/errors.ts';
import { STEP_TITLES } from '../../core/framework.ts';
import type { Actor, Place } from '../../core/types.ts';
import { findChannel } from '../../db/queries/channels.ts';
import type { MemberRow } from '../../db/queries/members.ts';
import { findPairMember } from '../../db/queries/pairing.ts';
import { sentKeys } from '../../db/queries/sends.ts';
import {
  addedSince,
  addItems,
  deletePlan,
  dueCount,
  dueToday,
  findPlan,
  itemCounts,
  itemKeys,
  listPlans,
  markNudged,
  type PlanRow,
  savePlan,
  setPlanTime,
} from '../../db/queries/study.ts';
import { newMemory } from '../../engines/study/fsrs.ts';
import {
  curriculum,
  type Level,
  newPerDay,
  type Phase,
  parseItemKey,
  phaseOn,
  planShape,
} from '../../engines/study/plan.ts';
import type { Deps } from '../deps.ts';
import { JOB, removeStaleSchedules } from '../jobs.ts';
import { ensureChannel, ensureMember, placeOfChannel } from '../members.ts';
import { join } from '../pairing/membership.ts';
import { sendOnce } from '../sends.ts';

/** The longest plan: an interview more than a year away gets a plan when it comes closer. */
const MAX_DAYS = 366;
/** New items a day: at most a dozen while learning, a few cards beside each day's case, five without a plan. */
const NEW_PER_DAY = { learnCap: 12, cardsWithCases: 5, withoutPlan: 5 } as const;
/** Quiet days before the one gentle nudge. */
const QUIET_DAYS = 3;
export const MORNING = { id: 'plan-morning', pattern: '*/5 * * * *' } as const; // checked every 5 minutes

/** The zone a member's days follow: their own, else the plan's channel's, else the default. */
const zoneOf = (deps: Deps, member: MemberRow, channelZone: string | null | undefined) =>
  member.timeZone ?? channelZone ?? deps.config.MLSD_DEFAULT_TIME_ZONE;

/** The zone a member's days follow (see zoneOf), reading the plan's channel only when it is needed. */
export async function memberZone(deps: Deps, member: MemberRow, channelId?: number | null): Promise<string> {
  if (member.timeZone) return member.timeZone;
  const channel = channelId ? await findChannel(deps.db, channelId) : undefined;
  return zoneOf(deps, member, channel?.timeZone);
}

/** The start of the member's local day. */
export const today = (now: Date, zone: string) => DateTime.fromJSDate(now, { zone }).startOf('day');
const daysBetween = (from: string, to: string, zone: string) =>
  Math.round(DateTime.fromISO(to, { zone }).diff(DateTime.fromISO(from, { zone }), 'days').days);

/** The curriculum a plan (or, without one, the standard two weeks) introduces, in order. */
function planItems(
  deps: Deps,
  plan: Pick<PlanRow, 'startDate' | 'interviewDate' | 'level'> | undefined,
  zone: string,
) {
  const days = plan ? daysBetween(plan.startDate, plan.interviewDate, zone) : 14;
  const shape = planShape(days);
  const input = {
    cards: [...deps.library.cards.values()].map((card) => ({ id: card.id, steps: card.steps })),
    cases: [...deps.library.cases.values()].map((study) => ({ id: study.id, difficulty: study.difficulty })),
  };
  return { shape, items: curriculum(input, shape, (plan?.level ?? 'mid') as Level) };
}

/** Names of items for people: a step's title, a card's title, "serving of Video recommendation". */
export function itemName(deps: Deps, key: string): string {
  const ref = parseItemKey(key);
  if (!ref) return key;
  if (ref.kind === 'step') return `step: ${STEP_TITLES[ref.step]}`;
  if (ref.kind === 'card') return deps.library.cards.get(ref.id)?.title ?? ref.id;
  return `${STEP_TITLES[ref.step].toLowerCase()} of ${deps.library.cases.get(ref.caseId)?.title ?? ref.caseId}`;
}

/**
 * Brings the day's new items into a member's drill, once a day and only when the earlier ones were seen: a
 * missed day rolls forward instead of piling up. Without a plan, the framework and cards at five a day.
 */
export async function introduce(
  deps: Deps,
  member: MemberRow,
  plan: PlanRow | undefined,
  zone: string,
): Promise<string[]> {
  const now = deps.clock.now();
  const dayStart = today(now, zone);
  const metToday = await addedSince(deps.db, member.id, dayStart.toJSDate());
  if (metToday.length > 0 || (await itemCounts(deps.db, member.id)).unseen > 0) return [];
  const { shape, items } = planItems(deps, plan, zone);
  const day = plan
    ? Math.max(0, daysBetween(plan.startDate, dayStart.toISODate() ?? plan.startDate, zone))
    : 0;
  const phase = phaseOn(shape, day);
  const rate = newPerDay(items, shape);
  const known = await itemKeys(deps.db, member.id);
  const left = (of: Phase) =>
    items.filter((item) => item.phase === of && !known.has(item.key)).map((item) => item.key);
  // A day meets at most a dozen cards; cards left over join the drill days beside the cases (and the
  // mock days, for a member behind).
  const next = !plan
    ? left('learn').slice(0, NEW_PER_DAY.withoutPlan)
    : phase === 'learn'
      ? left('learn').slice(0, Math.min(rate.learn, NEW_PER_DAY.learnCap))
      : [
          ...left('drill').slice(0, rate.drill || NEW_PER_DAY.learnCap),
          ...left('learn').slice(0, NEW_PER_DAY.cardsWithCases),
        ];
  return addItems(deps.db, member.id, next, newMemory(now));
}

/** The end of the member's local day: what is due "today" is due by then. */
export const endOfToday = (now: Date, zone: string) => today(now, zone).endOf('day').toJSDate();

/**
 * What a plan looks like today, for /mlsd plan, the morning DM and stats; `due` when the caller counted the
 * items due by the end of today already.
 */
export async function planView(
  deps: Deps,
  member: MemberRow,
  plan: PlanRow,
  zone: string,
  due?: { due: number; fresh: number },
): Promise<PlanView> {
  const now = deps.clock.now();
  const day = today(now, zone);
  const todayIso = day.toISODate() ?? plan.startDate;
  const { shape } = planItems(deps, plan, zone);
  const elapsed = Math.max(0, daysBetween(plan.startDate, todayIso, zone));
  const counts = due ?? (await dueCount(deps.db, member.id, endOfToday(now, zone)));
  return {
    interviewDate: plan.interviewDate,
    daysLeft: Math.max(0, daysBetween(todayIso, plan.interviewDate, zone)),
    level: plan.level,
    morningTime: plan.morningTime,
    zone,
    phase: phaseOn(shape, elapsed),
    day: elapsed + 1,
    shape,
    due: counts.due,
    unseen: counts.fresh,
  };
}

export type PlanInput = { date?: string | undefined; level?: Level | undefined };

/** `/mlsd plan <date> [level]`: sets (or moves) the plan; without a date, shows it. */
export async function setPlan(
  deps: Deps,
  place: Place,
  actor: Actor,
  input: PlanInput,
): Promise<{ view: PlanView; set: boolean }> {
  if (!input.date) return { view: await showPlan(deps, actor), set: false };
  const member = await ensureMember(deps, actor);
  const channel = place.threadId || !place.channelId ? undefined : await ensureChannel(deps, place);
  const existing = await findPlan(deps.db, member.id);
  const zone = await memberZone(deps, member, channel?.id ?? existing?.channelId);
  const todayIso = today(deps.clock.now(), zone).toISODate() ?? '';
  // "14d" or "3w": that far from today, where the member is.
  const relative = /^(\d{1,3})\s*(d|w)$/i.exec(input.date);
  const interviewDate = relative
    ? (today(deps.clock.now(), zone)
        .plus({ days: Number(relative[1]) * (relative[2]?.toLowerCase() === 'w' ? 7 : 1) })
        .toISODate() ?? input.date)
    : input.date;
  if (!DateTime.fromISO(interviewDate, { zone }).isValid)
    throw new UserError('plan-date', { date: input.date });
  const days = daysBetween(todayIso, interviewDate, zone);
  if (days < 1) throw new UserError('plan-date-past', { date: interviewDate, today: todayIso });
  if (days > MAX_DAYS) throw new UserError('plan-date-far', { date: interviewDate });
  const pair = channel ? await findPairMember(deps.db, channel.id, member.id) : undefined;
  const plan = await savePlan(deps.db, {
    memberId: member.id,
    channelId: channel?.id ?? existing?.channelId ?? null,
    interviewDate,
    startDate: todayIso,
    level: input.level ?? existing?.level ?? pair?.level ?? 'mid',
    morningTime: existing?.morningTime ?? '08:00',
    lastActiveAt: deps.clock.now(),
  });
  await introduce(deps, member, plan, zone);
  return { view: await planView(deps, member, plan, zone), set: true };
}

export async function showPlan(deps: Deps, actor: Actor): Promise<PlanView> {
  const member = await ensureMember(deps, actor);
  const plan = await findPlan(deps.db, member.id);
  if (!plan) throw new UserError('no-plan');
  return planView(deps, member, plan, await memberZone(deps, member, plan.channelId));
}

export async function removePlan(deps: Deps, actor: Actor): Promise<void> {
  const member = await ensureMember(deps, actor);
  if (!(await deletePlan(deps.db, member.id))) throw new UserError('no-plan');
}

export async function movePlanTime(
  deps: Deps,
  actor: Actor,
  time: string,
): Promise<{ time: string; zone: string }> {
  const member = await ensureMember(deps, actor);
  if (!(await setPlanTime(deps.db, member.id, time))) throw new UserError('no-plan');
  const plan = await findPlan(deps.db, member.id);
  return { time, zone: await memberZone(deps, member, plan?.channelId) };
}

/** Keeps the one scheduler that checks every few minutes whose morning it is. */
export async function reconcilePlans(deps: Deps): Promise<void> {
  await deps.scheduler.upsertSchedule(
    MORNING.id,
    { pattern: MORNING.pattern, tz: 'UTC' },
    { name: JOB.planMorning, data: {} },
  );
  await removeStaleSchedules(
    deps,
    (id) => id.startsWith('plan-') && id !== MORNING.id,
    new Set([MORNING.id]),
  );
}

/**
 * The morning round: each member whose local morning time has come gets the day's tasks by DM, once a
 * day (up to the interview); a plan quiet for three days gets one gentle nudge. Returns DMs sent.
 */
export async function sendMornings(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const morning: Array<{ plan: PlanRow; member: MemberRow; zone: string; key: string }> = [];
  for (const { plan, member, channelZone } of await listPlans(deps.db)) {
    const zone = zoneOf(deps, member, channelZone);
    const local = DateTime.fromJSDate(now, { zone });
    const date = local.toISODate() ?? '';
    if (date > plan.interviewDate || !deps.notifiers.has(member.platform as Place['platform'])) continue;
    const [hour = 8, minute = 0] = plan.morningTime.split(':').map(Number);
    if (local.hour * 60 + local.minute >= hour * 60 + minute)
      morning.push({ plan, member, zone, key: `plan-morning:${member.id}:${date}` });
    const quiet = now.getTime() - plan.lastActiveAt.getTime() >= QUIET_DAYS * 86_400_000;
    if (quiet && !plan.nudgedAt)
      await nudge(deps, member, Math.max(0, daysBetween(date, plan.interviewDate, zone)), plan);
  }
  // Every round checks all plans: one query tells which mornings went out already.
  const done = await sentKeys(
    deps.db,
    morning.map((item) => item.key),
  );
  const pending = morning.filter((item) => !done.has(item.key));
  // The day's new items first (once a day each), then every pending morning's due items in one query.
  const introduced = new Set<number>();
  for (const { plan, member, zone } of pending) {
    try {
      await introduce(deps, member, plan, zone);
      introduced.add(member.id);
    } catch (error) {
      deps.log.warn({ err: error, member: member.id }, 'could not bring in the day’s new drill items');
    }
  }
  const due = await dueToday(
    deps.db,
    pending
      .filter(({ member }) => introduced.has(member.id))
      .map(({ member, zone }) => ({ memberId: member.id, until: endOfToday(now, zone) })),
  );
  let sent = 0;
  for (const { plan, member, zone, key } of pending.filter(({ member }) => introduced.has(member.id))) {
    try {
      const notifier = deps.notifiers.get(member.platform as Place['platform']);
      if (!notifier) continue;
      const counts = due.get(member.id) ?? { due: 0, fresh: 0 };
      const { fresh } = await sendOnce(deps, key, async (once) => {
        const view = await morningView(deps, member, plan, zone, counts);
        return notifier.sendDirect(member.workspaceId, member.userId, morningMessageOf(view), once);
      });
      if (fresh) sent += 1;
    } catch (error) {
      // One member's failure (a DM refused) does not stop the others; the next round retries.
      deps.log.warn({ err: error, member: member.id }, 'could not send a morning plan DM');
    }
  }
  return sent;
}

/** The one gentle nudge of a quiet stretch. */
async function nudge(deps: Deps, member: MemberRow, days: number, plan: PlanRow): Promise<void> {
  const notifier = deps.notifiers.get(member.platform as Place['platform']);
  if (!notifier) return;
  try {
    await sendOnce(deps, `plan-nudge:${member.id}:${plan.lastActiveAt.toISOString()}`, (once) =>
      notifier.sendDirect(member.workspaceId, member.userId, { text: planNudgeText(days) }, once),
    );
    await markNudged(deps.db, member.id, deps.clock.now());
  } catch (error) {
    deps.log.warn({ err: error, member: member.id }, 'could not send a plan nudge');
  }
}

async function morningView(
  deps: Deps,
  member: MemberRow,
  plan: PlanRow,
  zone: string,
  due: { due: number; fresh: number },
): Promise<MorningView> {
  const view = await planView(deps, member, plan, zone, due);
  const met = await addedSince(deps.db, member.id, today(deps.clock.now(), zone).toJSDate());
  const cases = [
    ...new Set(
      met.flatMap((key) => {
        const ref = parseItemKey(key);
        return ref?.kind === 'recall' ? [deps.library.cases.get(ref.caseId)?.title ?? ref.caseId] : [];
      }),
    ),
  ];
  const joined = plan.channelId ? Boolean(await findPairMember(deps.db, plan.channelId, member.id)) : false;
  return {
    plan: view,
    fresh: met.filter((key) => parseItemKey(key)?.kind !== 'recall').map((key) => itemName(deps, key)),
    cases,
    mockChannel: plan.channelId ?? undefined,
    joined,
  };
}

/** The morning DM's "Join peer mocks" button: opts the member in where their plan was made. */
export async function joinMocks(deps: Deps, actor: Actor, channelId: number): Promise<PairJoined> {
  const channel = await findChannel(deps.db, channelId);
  if (!channel || channel.platform !== actor.platform || channel.workspaceId !== actor.workspaceId)
    throw new UserError('no-plan');
  return join(deps, placeOfChannel(channel), actor, {});
}
