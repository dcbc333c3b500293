/** Identifiers of expected refusals; wording lives in `content/refusals.ts`, apart from the throw site. */
export type UserErrorId =
  | 'admin-only'
  | 'bad-arguments'
  | 'unknown-command'
  | 'cooldown'
  | 'scheduler-unavailable'
  | 'database-unavailable'
  | 'send-in-progress'
  | 'plan-date'
  | 'plan-date-past'
  | 'plan-date-far'
  | 'no-plan'
  | 'drill-item-gone'
  | 'no-cases'
  | 'prompt-not-found'
  | 'prompt-closed'
  | 'answer-too-long'
  | 'answer-empty'
  | 'not-in-channel'
  | 'unknown-case'
  | 'unknown-card'
  | 'team-exists'
  | 'unknown-team'
  | 'already-in-team'
  | 'not-in-team'
  | 'no-stats'
  | 'form-invalid'
  | 'not-opted-in'
  | 'pause-in-past'
  | 'avoid-self'
  | 'avoid-unknown-member'
  | 'skip-too-late'
  | 'not-your-mock'
  | 'mock-gone'
  | 'feedback-given'
  | 'not-your-button'
  | 'confirmation-expired'
  | 'purge-unknown-member';

/** An expected refusal shown to the user; never logged as a failure. */
export class UserError extends Error {
  constructor(
    readonly identifier: UserErrorId,
    readonly context: Record<string, string | number> = {},
    /** The form field the refusal is about: shown there when the input was that form, kept as typed. */
    readonly field?: string,
  ) {
    super(identifier);
    this.name = 'UserError';
  }
}

/**
 * A submitted form with values that cannot be taken. `problems` maps field ids to what is wrong, worded in
 * content/ by the thrower; the platform shows them at the fields and nothing typed is lost.
 */
export class FormError extends UserError {
  constructor(readonly problems: Record<string, string>) {
    super('form-invalid', { fields: Object.keys(problems).join(', ') });
    this.name = 'FormError';
  }
}

/** A dependency (Redis, the platform API) did not answer in time. */
export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Rejects with a TimeoutError when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
