/**
 * Reminders and escalations for staff (the status schedule): the handler's team is reminded before a promised
 * date, supervisors hear of a missed one. Kept in the store, newest last; the desk lists them
 * (GET /desk/api/alerts) and `npm run notify:due` prints them. Each is recorded once per complaint, kind and
 * promised date (an idempotency key), however often the schedule runs it.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { StaffEvents } from './staff-events';

const ALERT_TTL_MS = 90 * 86_400_000;

export interface StaffAlert {
  kind: 'remind' | 'escalate';
  number: string;
  department: string;
  owner?: string;
  /** The promised date the alert is about. */
  promised: string;
  at: string;
}

export class StaffAlerts {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    /** Told of each alert once, when it is recorded (WeCom staff alerts). */
    private readonly events?: StaffEvents,
  ) {}

  /** Records the alert unless one with this key was recorded before (true: recorded now). */
  async add(alert: StaffAlert, onceKey: string): Promise<boolean> {
    const result = await this.backend.appendOnce(this.keys.outboxOnce(`alert:${onceKey}`), alert.at, this.keys.staffAlerts(), JSON.stringify(alert), ALERT_TTL_MS);
    if (result.appended) this.events?.emit({ kind: alert.kind, number: alert.number, department: alert.department, promised: alert.promised });
    return result.appended;
  }

  /** The newest `limit` alerts, newest first. */
  async recent(limit = 200): Promise<StaffAlert[]> {
    return (await this.backend.range(this.keys.staffAlerts(), -limit, -1)).map((l) => JSON.parse(l) as StaffAlert).reverse();
  }
}
