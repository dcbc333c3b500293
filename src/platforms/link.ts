import type { Logger } from 'pino';

export type LinkState = 'connecting' | 'connected' | 'stopped';

export const LINK_DEFAULTS = {
  firstDelay: 1_000, // ms before the first retry
  maxDelay: 60_000, // ms: the longest wait between attempts
} as const;

/**
 * Keeps one platform connected: tries `connect`, and while the platform cannot be reached (a network blip,
 * an outage at boot) retries with capped exponential backoff, logging each failure. The process, its HTTP
 * server and the other platform keep running meanwhile; `/readyz` reports the state.
 */
export class PlatformLink {
  private current: LinkState = 'connecting';
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly connect: () => Promise<void>,
    private readonly log: Logger,
    private readonly delays: { firstDelay: number; maxDelay: number } = LINK_DEFAULTS,
  ) {}

  get state(): LinkState {
    return this.current;
  }

  get connected(): boolean {
    return this.current === 'connected';
  }

  /** Starts connecting in the background; resolves after the first attempt, whatever its outcome. */
  async start(): Promise<void> {
    let first: () => void = () => {};
    const firstAttempt = new Promise<void>((resolve) => {
      first = resolve;
    });
    this.running = this.loop(first);
    await firstAttempt;
  }

  private async loop(afterFirst: () => void): Promise<void> {
    while (this.current === 'connecting') {
      this.attempt += 1;
      try {
        await this.connect();
        if (this.current === 'connecting') {
          this.current = 'connected';
          this.log.info({ platform: this.name, attempts: this.attempt }, `${this.name} connected`);
        }
      } catch (error) {
        const delay = Math.min(this.delays.maxDelay, this.delays.firstDelay * 2 ** (this.attempt - 1));
        this.log.warn(
          { platform: this.name, attempt: this.attempt, retryInMs: delay, err: error },
          `${this.name} unreachable; retrying`,
        );
        afterFirst();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, delay);
        });
      }
      afterFirst();
    }
  }

  /** Stops retrying; a connection made already is closed by the adapter itself. */
  async stop(): Promise<void> {
    this.current = 'stopped';
    clearTimeout(this.timer);
    this.wake?.();
    await this.running?.catch(() => {});
  }
}
