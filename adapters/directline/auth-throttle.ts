/**
 * Throttles wrong Direct Line credentials per client address: after N wrong
 * secrets or forged tokens within a clock minute, every request from that
 * address is refused (429) for the rest of that minute, whatever it carries,
 * so a guess can never be confirmed while blocked.
 *
 * Counted with the StateBackend's atomic INCR (Redis in production), so every
 * instance sees the same count and Redis faults behave as everywhere else (the
 * backend's bounded wait for a reconnect, then STORE_UNAVAILABLE). Not
 * rate-limiter-flexible's RateLimiterRedis on the raw ioredis client: that
 * bypasses the backend's connection gate and, on every blip, falls back to
 * its in-memory stand-in, splitting one address's count in two. While the
 * store does not answer, an in-memory limiter (rate-limiter-flexible) counts
 * for this instance alone.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { limitKey, truncatedAddress } from '../../bot/http/client-address';

export interface CredentialThrottleOptions {
  backend: StateBackend;
  keys: Keys;
  failuresPerMinute: number;
  logger: Logger;
  now?: () => number;
}

const WINDOW_MS = 60_000;

export class CredentialThrottle {
  private readonly standIn: RateLimiterMemory;
  private readonly now: () => number;

  constructor(private readonly options: CredentialThrottleOptions) {
    this.standIn = new RateLimiterMemory({ points: options.failuresPerMinute, duration: WINDOW_MS / 1000 });
    this.now = options.now ?? Date.now;
  }

  /** Seconds the address must wait when it is blocked; undefined when it may try. */
  async blocked(address: string): Promise<number | undefined> {
    let failures: number;
    try {
      failures = Number(await this.options.backend.get(this.key(address))) || 0;
    } catch {
      failures = (await this.standIn.get(limitKey(address)).catch(() => null))?.consumedPoints ?? 0;
    }
    return failures >= this.options.failuresPerMinute ? this.secondsLeft() : undefined;
  }

  /**
   * Counts one wrong credential, atomically: of N parallel guesses only the
   * allowance gets an answer. Returns the seconds to wait when this failure
   * went over the limit, undefined while within it.
   */
  async failed(address: string, code: string, where: string): Promise<number | undefined> {
    const client = truncatedAddress(address);
    let failures: number;
    try {
      failures = await this.options.backend.incr(this.key(address), WINDOW_MS);
    } catch {
      this.options.logger.warn({ code: 'STORE_UNAVAILABLE', where }, 'credential throttle counting in memory');
      failures = await this.standIn.consume(limitKey(address)).then(
        (res) => res.consumedPoints,
        (rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection.consumedPoints : 0),
      );
    }
    if (failures <= this.options.failuresPerMinute) {
      this.options.logger.info({ code, where, client }, 'credential refused');
      return undefined;
    }
    this.options.logger.warn({ code: 'RATE_LIMITED', cause: code, where, client }, 'credential refused: address throttled');
    return this.secondsLeft();
  }

  private key(address: string): string {
    return this.options.keys.rateWindow(`dl-auth:${limitKey(address)}`, Math.floor(this.now() / WINDOW_MS));
  }

  /** Until the end of the current clock minute, when the count starts again. */
  private secondsLeft(): number {
    return Math.max(1, Math.ceil((WINDOW_MS - (this.now() % WINDOW_MS)) / 1000));
  }
}
