import { type Card, createEmptyCard, fsrs, type Grade, State } from 'ts-fsrs';

/**
 * Spaced repetition by FSRS (ts-fsrs): what a review does to an item's memory state, and when it comes
 * back. Aims at 90% recall; an item seen "Again" returns within minutes, the same session.
 */
const scheduler = fsrs({ request_retention: 0.9, maximum_interval: 365, enable_fuzz: false });

/** The memory state of one item, as stored. */
export type MemoryState = {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
};

export const RATINGS = { again: 1, hard: 2, good: 3, easy: 4 } as const;
export type RatingName = keyof typeof RATINGS;

const toCard = (memory: MemoryState): Card => ({
  due: memory.due,
  stability: memory.stability,
  difficulty: memory.difficulty,
  elapsed_days: memory.elapsedDays,
  scheduled_days: memory.scheduledDays,
  learning_steps: memory.learningSteps,
  reps: memory.reps,
  lapses: memory.lapses,
  state: memory.state as State,
  ...(memory.lastReview ? { last_review: memory.lastReview } : {}),
});

const fromCard = (card: Card): MemoryState => ({
  due: card.due,
  stability: card.stability,
  difficulty: card.difficulty,
  elapsedDays: card.elapsed_days,
  scheduledDays: card.scheduled_days,
  learningSteps: card.learning_steps,
  reps: card.reps,
  lapses: card.lapses,
  state: card.state,
  lastReview: card.last_review ?? null,
});

/** A new item, due at `now`. */
export function newMemory(now: Date): MemoryState {
  return fromCard(createEmptyCard(now));
}

/** The state after a review rated `grade` (1 Again, 2 Hard, 3 Good, 4 Easy) at `now`. */
export function review(memory: MemoryState, now: Date, grade: 1 | 2 | 3 | 4): MemoryState {
  return fromCard(scheduler.next(toCard(memory), now, grade as Grade).card);
}

/** The chance the member still recalls the item at `now` (0..1); 0 for an item never reviewed. */
export function recallChance(memory: MemoryState, now: Date): number {
  if (memory.state === State.New) return 0;
  return scheduler.get_retrievability(toCard(memory), now, false);
}
