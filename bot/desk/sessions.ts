/**
 * Desk sessions: a random token in an HttpOnly, SameSite=Strict cookie
 * (Secure behind https); in the store only its SHA-256, so a copy of Redis
 * holds no usable cookie. A session ends when unused for the idle time, after
 * the absolute time whatever happens, at logout, and when the account's
 * password changes or it is disabled (the account's epoch moves on).
 *
 * The record and "last used" are two keys: touching writes only the second,
 * so a request racing a logout can never bring the deleted session back.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { DeskPolicy } from './policy';
import type { StaffDirectory, StaffUser } from './staff';

interface SessionRecord {
  username: string;
  /** Sent back in the X-CSRF-Token header on every change. */
  csrf: string;
  createdAt: number;
  expiresAt: number;
  epoch: number;
}

export interface DeskSession {
  tokenHash: string;
  csrf: string;
  expiresAt: number;
  user: StaffUser;
}

export type SessionCheck = { ok: true; session: DeskSession } | { ok: false; reason: 'expired' };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class DeskSessions {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly staff: StaffDirectory,
    private readonly policy: DeskPolicy['session'],
    private readonly now: () => Date,
  ) {}

  get idleMs(): number {
    return this.policy.idleMinutes * 60_000;
  }

  get absoluteMs(): number {
    return this.policy.absoluteHours * 3_600_000;
  }

  async create(user: StaffUser): Promise<{ token: string; session: DeskSession }> {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashOf(token);
    const at = this.now().getTime();
    const record: SessionRecord = { username: user.username, csrf: randomBytes(24).toString('base64url'), createdAt: at, expiresAt: at + this.absoluteMs, epoch: user.epoch };
    await this.backend.set(this.keys.deskSession(tokenHash), JSON.stringify(record), { ttlMs: this.absoluteMs });
    await this.backend.set(this.keys.deskSessionSeen(tokenHash), String(at), { ttlMs: this.idleMs });
    return { token, session: { tokenHash, csrf: record.csrf, expiresAt: record.expiresAt, user } };
  }

  /**
   * The session behind a cookie token. `touch` counts the request as the staff
   * member's activity (the idle clock restarts); background refreshes and the
   * live-event heartbeat do not, so an unattended desk still times out.
   */
  check(token: string, touch: boolean): Promise<SessionCheck> {
    return this.checkHash(hashOf(token), touch);
  }

  /** The same, by the token's hash (an open live stream re-checks its session with it). */
  async checkHash(tokenHash: string, touch: boolean): Promise<SessionCheck> {
    const [raw, seen] = await Promise.all([this.backend.get(this.keys.deskSession(tokenHash)), this.backend.get(this.keys.deskSessionSeen(tokenHash))]);
    if (!raw) return { ok: false, reason: 'expired' };
    const record = JSON.parse(raw) as SessionRecord;
    const now = this.now().getTime();
    const user = await this.staff.get(record.username);
    const idle = !seen || now - Number(seen) > this.idleMs;
    if (now >= record.expiresAt || idle || !user || user.disabled || user.epoch !== record.epoch) {
      await this.destroy(tokenHash);
      return { ok: false, reason: 'expired' };
    }
    if (touch) await this.touch(tokenHash);
    return { ok: true, session: { tokenHash, csrf: record.csrf, expiresAt: record.expiresAt, user } };
  }

  /** The staff member used the session now: the idle clock starts again. */
  async touch(tokenHash: string): Promise<void> {
    await this.backend.set(this.keys.deskSessionSeen(tokenHash), String(this.now().getTime()), { ttlMs: this.idleMs });
  }

  async destroy(tokenHash: string): Promise<void> {
    await this.backend.del(this.keys.deskSession(tokenHash), this.keys.deskSessionSeen(tokenHash));
  }
}

/** Constant-time comparison of the CSRF header with the session's token (hashed first: equal lengths whatever was sent). */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The cookie. Behind https it is `__Host-` prefixed (the browser then insists
 * on Secure, Path=/ and no Domain, so no sibling host can plant one).
 */
export function cookieName(secure: boolean): string {
  return secure ? '__Host-desk' : 'desk_session';
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${cookieName(secure)}=${token}`, secure ? 'Path=/' : 'Path=/desk', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function tokenFromCookies(header: string | undefined, secure: boolean): string | undefined {
  const name = cookieName(secure);
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      const value = v.join('=');
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
