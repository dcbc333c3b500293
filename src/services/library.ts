import type { CardView, CaseView, FrameworkView } from '../../content/messages.ts';
import { UserError } from '../core/errors.ts';
import type { StepKey } from '../core/framework.ts';
import type { Deps } from './deps.ts';

/** `/mlsd case [id]`: a case's prompt (never its reference), or the list of cases. */
export function showCase(deps: Deps, id?: string): CaseView {
  const cases = [...deps.library.cases.values()];
  if (!id) return { kind: 'list', cases };
  const study = deps.library.cases.get(id.toLowerCase());
  if (!study) throw new UserError('unknown-case', { id, known: cases.map((item) => item.id).join(', ') });
  return {
    kind: 'case',
    study,
    tradeoffs: study.tradeoffs.map((cardId) => deps.library.cards.get(cardId)?.title ?? cardId),
  };
}

/** `/mlsd card [id]`: a trade-off card, a random one without an id. */
export function showCard(deps: Deps, id?: string, random: () => number = Math.random): CardView {
  const cards = [...deps.library.cards.values()];
  const card = id ? deps.library.cards.get(id.toLowerCase()) : cards[Math.floor(random() * cards.length)];
  if (!card) {
    const words = (id ?? '')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    const close = cards.filter((item) => words.some((word) => item.id.includes(word))).map((item) => item.id);
    throw new UserError('unknown-card', {
      id: id ?? '',
      close: (close.length ? close : cards.map((item) => item.id)).slice(0, 12).join(', '),
    });
  }
  return { card, caseTitles: card.cases.map((caseId) => deps.library.cases.get(caseId)?.title ?? caseId) };
}

/** `/mlsd framework [step]`: the 7 steps with their time budgets, or one step in depth. */
export function showFramework(deps: Deps, step?: StepKey): FrameworkView {
  const framework = deps.library.framework;
  if (!framework) throw new Error('content/framework.md did not load');
  if (!step) return { kind: 'overview', framework };
  const found = framework.steps.find((item) => item.key === step);
  if (!found) throw new Error(`framework step ${step} missing`);
  return { kind: 'step', step: found, number: framework.steps.indexOf(found) + 1 };
}
