/** Prometheus metrics (prom-client), one registry per app so tests can run several apps. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class BotMetrics {
  readonly registry = new Registry();
  readonly turns = new Counter({
    name: 'bot_turns_total',
    help: 'Turns run, by channel, activity type and outcome',
    labelNames: ['channel', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly turnDuration = new Histogram({
    name: 'bot_turn_duration_seconds',
    help: 'Time from the start of a turn (after HTTP parsing) to its end, including waiting for the conversation lock',
    labelNames: ['channel'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'bot_errors_total',
    help: 'Errors by stable error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'bot_inbound_duplicates_total',
    help: 'Inbound messages dropped because the same message id was already handled',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
