/**
 * The live handoff's core pieces, built once for the composition root: the
 * service (queue, claims, relay, events) and the turn middleware that routes
 * a conversation's messages to the desk while it is with a person.
 */
import type { Middleware } from 'botbuilder';
import type { ProactiveChannel } from '../channels';
import type { Config } from '../config';
import type { BotMetrics } from '../metrics';
import type { DayCounters } from '../reports/day-counters';
import type { CommandRecognizer } from '../content/commands';
import type { Translator } from '../content/i18n';
import type { SupportedLocale } from '../content/schemas';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { isWorkingDay, localDate, localTime } from '../tickets/calendar';
import type { ComplaintPolicy } from '../tickets/policy';
import type { StaffEvents } from '../notify/staff-events';
import { HandoffService } from './handoff-service';
import { HandoffRelayMiddleware } from './relay-middleware';
import { TriageMiddleware } from './triage-middleware';
import { Triage, type TriagePolicy } from '../triage/triage';
import type { TriageWeights } from '../triage/weights';

export interface HandoffCore {
  service: HandoffService;
  /** In pipeline order: the relay (with a person → to the desk), then triage (a person now?). */
  middleware: Middleware[];
  /** Takes a published content version's triage rules. */
  retune(policy: TriagePolicy, weights?: TriageWeights): void;
}

/** Staff answer live chats inside office hours on working days (the same hours as call-backs). */
export function officeHoursOpen(hours: ComplaintPolicy['officeHours']): (now: Date) => boolean {
  return (now) => {
    const day = localDate(now, hours.timezone);
    return isWorkingDay(day) && now >= localTime(day, hours.open, hours.timezone) && now < localTime(day, hours.close, hours.timezone);
  };
}

export function createHandoff(deps: {
  config: Config;
  backend: StateBackend;
  keys: Keys;
  translator: Translator;
  commands: CommandRecognizer;
  policy: ComplaintPolicy;
  channels: Map<string, ProactiveChannel>;
  metrics: BotMetrics;
  /** The day's figures for the supervisors' reports (hand-offs, waits, chats given up). */
  counters?: DayCounters;
  triage: TriagePolicy;
  /** Learned anger weights a supervisor published (content/policy/triage-weights.json), if any. */
  triageWeights?: TriageWeights;
  now: () => Date;
  /** The menu's labels in a language (the root flow's): a chat handed back to the bot shows them at once. */
  menuChoices?: (locale: SupportedLocale) => string[];
  /** Where urgent chats and the queue's length are told, for staff alerts. */
  staffEvents?: StaffEvents;
}): HandoffCore {
  const { metrics } = deps;
  const { config } = deps;
  const service = new HandoffService({
    backend: deps.backend,
    keys: deps.keys,
    translator: deps.translator,
    channel: (id) => deps.channels.get(id),
    inOfficeHours: config.HANDOFF_HOURS === 'always' ? () => true : officeHoursOpen(deps.policy.officeHours),
    minutesPerChat: config.HANDOFF_MINUTES_PER_CHAT,
    transcriptTtlMs: config.STATE_TTL_DAYS * 86_400_000,
    now: deps.now,
    menuChoices: deps.menuChoices,
    observe: {
      queueLength: (n) => {
        metrics.handoffQueue.set(n);
        deps.staffEvents?.emit({ kind: 'waiting', waiting: n });
      },
      queued: (chat, position) => {
        deps.counters?.add('handoffs');
        deps.counters?.add(`handoffs.${chat.channelId}`);
        if (chat.level === 'urgent' || chat.level === 'major') deps.staffEvents?.emit({ kind: 'urgentChat', reasons: chat.reasons, waiting: position });
      },
      firstReply: (seconds) => {
        metrics.handoffFirstReply.observe(seconds);
        deps.counters?.waited(seconds);
      },
      abandoned: () => {
        metrics.handoffAbandoned.inc();
        deps.counters?.add('abandoned');
      },
    },
  });
  const relay = new HandoffRelayMiddleware(service, deps.commands, deps.translator, { notedEveryMs: config.HANDOFF_NOTED_EVERY_SECONDS * 1000, now: deps.now });
  const triage = new TriageMiddleware(new Triage(deps.triage, deps.triageWeights), service, deps.backend, deps.keys, deps.translator, config.STATE_TTL_DAYS * 86_400_000);
  return {
    service,
    middleware: [relay, triage],
    retune: (policy, weights) => triage.retune(new Triage(policy, weights)),
  };
}
