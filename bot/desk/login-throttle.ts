/**
 * Login rate limiting for the desk, per account and per client address:
 * wrong passwords are counted in fixed windows (policy/desk.json `login`);
 * once either count reaches its limit, every login for that account, or from
 * that address, is refused until the window ends — the right password too,
 * so a guess can never be confirmed while blocked.
 *
 * Counted with the store's atomic INCR, so all instances share the counts
 * (as adapters/directline/auth-throttle.ts does, for the same reasons); while
 * the store does not answer, rate-limiter-flexible's in-memory limiter counts
 * for this instance alone.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { limitKey, truncatedAddress } from '../http/client-address';
import type { Logger } from '../log';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import type { DeskPolicy } from './policy';

type Kind = 'account' | 'address';

export class LoginThrottle {
  private readonly standIn: Record<Kind, RateLimiterMemory>;
  private readonly windowMs: number;

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly policy: DeskPolicy['login'],
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.windowMs = policy.windowMinutes * 60_000;
    const duration = policy.windowMinutes * 60;
    this.standIn = {
      account: new RateLimiterMemory({ points: policy.failuresPerAccount, duration }),
      address: new RateLimiterMemory({ points: policy.failuresPerAddress, duration }),
    };
  }

  /** Seconds to wait when the account or the address is blocked; undefined when a login may be tried. */
  async blocked(username: string, address: string): Promise<number | undefined> {
    const [account, fromAddress] = await Promise.all([this.count('account', username), this.count('address', address)]);
    const over = account >= this.policy.failuresPerAccount || fromAddress >= this.policy.failuresPerAddress;
    return over ? this.secondsLeft() : undefined;
  }

  /** Counts a wrong password; returns the seconds to wait when this one reached a limit. */
  async failed(username: string, address: string): Promise<number | undefined> {
    const [account, fromAddress] = await Promise.all([this.add('account', username), this.add('address', address)]);
    const over = account >= this.policy.failuresPerAccount || fromAddress >= this.policy.failuresPerAddress;
    if (over) this.logger.warn({ code: 'RATE_LIMITED', where: 'desk.login', client: truncatedAddress(address) }, 'desk login throttled');
    return over ? this.secondsLeft() : undefined;
  }

  /** A successful login clears the account's count (not the address's: one right password must not reset a spray). */
  async succeeded(username: string): Promise<void> {
    await this.backend.del(this.key('account', username)).catch(() => undefined);
    await this.standIn.account.delete(username).catch(() => undefined);
  }

  private async count(kind: Kind, id: string): Promise<number> {
    try {
      return Number(await this.backend.get(this.key(kind, id))) || 0;
    } catch {
      return (await this.standIn[kind].get(this.standInKey(kind, id)).catch(() => null))?.consumedPoints ?? 0;
    }
  }

  private async add(kind: Kind, id: string): Promise<number> {
    try {
      return await this.backend.incr(this.key(kind, id), this.windowMs);
    } catch {
      this.logger.warn({ code: 'STORE_UNAVAILABLE', where: 'desk.login' }, 'desk login throttle counting in memory');
      return this.standIn[kind].consume(this.standInKey(kind, id)).then(
        (res) => res.consumedPoints,
        (rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection.consumedPoints : 0),
      );
    }
  }

  private standInKey(kind: Kind, id: string): string {
    return kind === 'address' ? limitKey(id) : id;
  }

  private key(kind: Kind, id: string): string {
    return this.keys.rateWindow(`desk-login-${kind}:${this.standInKey(kind, id)}`, Math.floor(this.now() / this.windowMs));
  }

  /** Until the end of the current window, when the counts start again. */
  private secondsLeft(): number {
    return Math.max(1, Math.ceil((this.windowMs - (this.now() % this.windowMs)) / 1000));
  }
}
