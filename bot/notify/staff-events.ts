/**
 * What staff should hear of at once, from wherever it happens: a chat handed to
 * a person at level urgent, the waiting queue growing, a promised date near or
 * missed, a category of complaints surging. Features emit; sinks (the WeCom internal application,
 * adapters/wecom-app) deliver. Each event is emitted once, by the instance that
 * caused it (a queued request, or the schedule's once-only alert record), so
 * sinks need not deduplicate. A failing sink is logged and never reaches the
 * emitter.
 */
import type { Logger } from '../log';

export type StaffEvent =
  | { kind: 'urgentChat'; reasons: string[]; waiting: number }
  | { kind: 'waiting'; waiting: number }
  | { kind: 'remind' | 'escalate'; number: string; department: string; promised: string }
  /** A category's complaints today well above its recent daily average (bot/reports/surge.ts). */
  | { kind: 'complaintSurge'; category: string; categoryName: string; today: number; baseline: number };

export type StaffEventSink = (event: StaffEvent) => Promise<void>;

export class StaffEvents {
  private readonly sinks: StaffEventSink[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  subscribe(sink: StaffEventSink): void {
    this.sinks.push(sink);
  }

  /** Hands the event to every sink without waiting for them. */
  emit(event: StaffEvent): void {
    for (const sink of this.sinks) {
      const p = sink(event)
        .catch((error: unknown) => this.logger.warn({ err: error, kind: event.kind }, 'staff alert not delivered'))
        .finally(() => this.running.delete(p));
      this.running.add(p);
    }
  }

  /** Resolves when every delivery started so far has finished (shutdown, tests). */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
