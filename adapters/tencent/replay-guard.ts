/**
 * Remembers every callback's timestamp + nonce for as long as its timestamp
 * can pass the window check, together with a hash of the body that came with
 * them. The plain-mode signature covers only token, timestamp and nonce, so
 * without this a signature seen once could carry any body for the whole
 * window. WeChat's own retries resend the same body and pass; the same nonce
 * with another body is refused, in every mode.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../bot/errors';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';

/** `first`: never seen; `retry`: seen before with this very body (WeChat retried). */
export type Sighting = 'first' | 'retry';

export class ReplayGuard {
  private readonly ttlMs: number;

  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    windowSeconds: number,
    /** Another platform's callbacks (WeCom) keep their nonces apart from the Official Account's. */
    private readonly scope = '',
  ) {
    // A timestamp passes while it is within ±window of an instance's clock; twice the window
    // outlasts that on every instance, even with clocks a little apart.
    this.ttlMs = 2 * windowSeconds * 1000;
  }

  /** Call after the signature check (the nonce must be WeChat's) and before anything runs. Needs the store. */
  async check(timestamp: string, nonce: string, body: Buffer): Promise<Sighting> {
    const key = this.keys.wechatNonce(timestamp, this.scope ? `${this.scope}:${nonce}` : nonce);
    const hash = createHash('sha256').update(body).digest('base64url');
    // One atomic SET NX decides who saw the nonce first; on conflict the stored hash says whether this is a retry.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.backend.set(key, hash, { ttlMs: this.ttlMs, onlyIfAbsent: true })) return 'first';
      const seen = await this.backend.get(key);
      if (seen === hash) return 'retry';
      if (seen !== null) break;
      // Expired between the two calls: try to claim it again.
    }
    throw new AppError('WECHAT_REPLAYED', 'nonce already used with another body', 401);
  }
}
