/** Prometheus metrics (prom-client), one registry per app so tests can run several apps. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  readonly handoffFirstReply = new Histogram({
    name: 'bot_handoff_first_reply_seconds',
    help: 'Time from a customer asking for a person to the first staff reply',
    buckets: [10, 30, 60, 120, 300, 600, 1200, 3600],
    registers: [this.registry],
  });
  readonly handoffQueue = new Gauge({
    name: 'bot_handoff_queue_length',
    help: 'Chats waiting for a person (as last seen by this instance)',
    registers: [this.registry],
  });
  readonly handoffAbandoned = new Counter({
    name: 'bot_handoff_abandoned_total',
    help: 'Customers who stopped waiting for a person before anyone took the chat',
    registers: [this.registry],
  });

  readonly faqLookups = new Counter({
    name: 'bot_faq_lookups_total',
    help: 'Questions looked up in the knowledge base, by what the customer got (answer, choices, none)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly faqFeedback = new Counter({
    name: 'bot_faq_feedback_total',
    help: '"Did this help?" answered, by verdict (helped, notHelped)',
    labelNames: ['verdict'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
