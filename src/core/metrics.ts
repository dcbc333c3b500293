import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Notifier } from './types.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]; // seconds

/** The Prometheus metrics of one process, served at GET /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: 'mlsd_invocations_total',
    help: 'Commands, buttons and forms handled, by kind, name and outcome',
    labelNames: ['kind', 'name', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: 'mlsd_invocation_duration_seconds',
    help: 'Time from receipt to the end of the handler',
    labelNames: ['kind', 'name'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'mlsd_jobs_total',
    help: 'Jobs run, by name and outcome',
    labelNames: ['name', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobSeconds = new Histogram({
    name: 'mlsd_job_duration_seconds',
    help: 'Job run time',
    labelNames: ['name'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly answersGraded = new Counter({
    name: 'mlsd_answers_graded_total',
    help: 'Answers graded (new or replaced)',
    registers: [this.registry],
  });
  readonly reviews = new Counter({
    name: 'mlsd_llm_reviews_total',
    help: 'Answers sent to the language-model reviewer, by outcome (ok, timeout, error, malformed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly platformErrors = new Counter({
    name: 'mlsd_platform_api_errors_total',
    help: 'Failed calls to a chat platform, by platform and operation',
    labelNames: ['platform', 'operation'] as const,
    registers: [this.registry],
  });
  readonly rateLimits = new Counter({
    name: 'mlsd_platform_rate_limited_total',
    help: 'Times a platform asked us to wait (HTTP 429), by platform',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'mlsd_queue_jobs',
    help: 'Jobs in each queue by state, read when scraped',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts failed platform calls of a notifier, platform-neutrally, and rethrows. */
  instrument(notifier: Notifier): Notifier {
    const count = this.platformErrors;
    return new Proxy(notifier, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          try {
            return await value.apply(target, args);
          } catch (error) {
            count.inc({ platform: target.platform, operation: String(property) });
            throw error;
          }
        };
      },
    });
  }
}
