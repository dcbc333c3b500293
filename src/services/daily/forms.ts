import type { CaseStudy } from '../../../content/schema.ts';
import { UserError } from '../../core/errors.ts';
import { STEPS, type StepKey } from '../../core/framework.ts';
import type { Actor, Place } from '../../core/types.ts';
import { findMemberAnswer } from '../../db/queries/answers.ts';
import { findChannel } from '../../db/queries/channels.ts';
import { findMemberByUser } from '../../db/queries/members.ts';
import { findLatestPrompt, findPrompt } from '../../db/queries/prompts.ts';
import type { Deps } from '../deps.ts';
import { ensureChannel } from '../members.ts';
import { formatLocal } from '../schedule.ts';

import { studyFor } from './post.ts';
/** What the "Submit answer" button needs to open its form, or undefined when the prompt is gone. */
export async function findPromptForForm(
  deps: Deps,
  promptId: number,
  actor: Actor,
): Promise<
  | {
      id: number;
      title: string;
      closed: boolean;
      closesAt: string;
      /** The member's answer so far (a revision form starts from it). */
      answer?: string | undefined;
      probes: Partial<Record<StepKey, string>>;
    }
  | undefined
> {
  const prompt = await findPrompt(deps.db, promptId);
  const study = prompt ? deps.library.cases.get(prompt.caseId) : undefined;
  const channel = prompt ? await findChannel(deps.db, prompt.channelId) : undefined;
  if (!prompt || !study || !channel || channel.workspaceId !== actor.workspaceId) return undefined;
  const member = await findMemberByUser(deps.db, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    userId: actor.userId,
  });
  const answer = member ? await findMemberAnswer(deps.db, prompt.id, member.id) : undefined;
  return {
    id: prompt.id,
    title: study.title,
    closed: Boolean(prompt.closedAt) || prompt.closesAt.getTime() < deps.clock.now().getTime(),
    closesAt: formatLocal(prompt.closesAt, channel.timeZone),
    answer: answer?.text,
    probes: Object.fromEntries(STEPS.map((step) => [step, study.steps[step].probes[0]])),
  };
}

/** The clarifying facts of a prompt's case (the daily post's button), for the person who asked. */
export async function promptFacts(deps: Deps, promptId: number, actor: Actor): Promise<CaseStudy> {
  const prompt = await findPrompt(deps.db, promptId);
  const channel = prompt ? await findChannel(deps.db, prompt.channelId) : undefined;
  if (!prompt || !channel || channel.workspaceId !== actor.workspaceId)
    throw new UserError('prompt-not-found');
  return studyFor(deps, prompt.caseId);
}

/** `/mlsd daily facts`: the clarifying facts of this channel's latest case. */
export async function todayFacts(deps: Deps, place: Place): Promise<CaseStudy> {
  const channel = await ensureChannel(deps, place);
  const prompt = await findLatestPrompt(deps.db, channel.id);
  if (!prompt) throw new UserError('prompt-not-found');
  return studyFor(deps, prompt.caseId);
}
