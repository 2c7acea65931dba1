/**
 * The desk's audit log: every staff action (login, failed login, logout,
 * claim, reply, transfer, end, hand back) as one line in a list per day (the
 * bank's time zone), kept `auditRetentionDays` after the day's last entry.
 * Replies are logged by chat and length, not text: the text is in the
 * transcript, and the log must not become a second copy of what customers said.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

export const AUDIT_ACTIONS = ['login', 'login_failed', 'logout', 'claim', 'reply', 'transfer', 'end', 'hand_back', 'complaint_move', 'callback_claim', 'callback_outcome', 'dead_letter', 'reveal', 'content_publish', 'content_restore'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  /** The account acting (for a failed login: the name that was tried, when it is a valid account name). */
  staff: string;
  action: AuditAction;
  /** The chat (channel:conversation) acted on. */
  chat?: string;
  /** The colleague a chat was transferred to. */
  to?: string;
  /** Whose chat a supervisor ended ('queue': one still waiting). */
  of?: string;
  /** The dead notice acted on. */
  notice?: string;
  /** The call-back acted on. */
  callback?: string;
  /** The complaint (ticket number) acted on, and the status it was moved to (or the call-back's outcome). */
  complaint?: string;
  status?: string;
  /** The content version published or restored (the console). */
  version?: number;
  /** Reply length in characters. */
  chars?: number;
  /** The client address cut to /24 (/48): enough to see a pattern, not to find a person. */
  client?: string;
}

export class AuditLog {
  private readonly day: Intl.DateTimeFormat;

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly retentionDays: number,
    timeZone: string,
    private readonly now: () => Date,
  ) {
    this.day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** Today in the bank's time zone, YYYY-MM-DD. */
  today(): string {
    return this.day.format(this.now());
  }

  async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const at = this.now();
    const line: AuditEntry = { at: at.toISOString(), ...entry };
    await this.backend.append(this.keys.deskAudit(this.day.format(at)), JSON.stringify(line), this.retentionDays * 86_400_000);
  }

  /** One day's entries, newest first: `limit` of them, skipping the `skip` newest. */
  async read(day: string, skip = 0, limit = 200): Promise<{ entries: AuditEntry[]; total: number }> {
    const key = this.keys.deskAudit(day);
    const total = await this.backend.length(key);
    const stop = total - 1 - skip;
    if (stop < 0) return { entries: [], total };
    const lines = await this.backend.range(key, Math.max(0, stop - limit + 1), stop);
    return { entries: lines.map((l) => JSON.parse(l) as AuditEntry).reverse(), total };
  }
}
