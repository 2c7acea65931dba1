/**
 * The customer-service window: WeChat lets us message a customer only within
 * 48 hours of their last message, and only a few times per message of theirs
 * ("客服消息" doc: 5 within 48 h); WeCom's customer service (kf/send_msg) has
 * the same rule (PROTOCOLS.md), so both channels keep one each. Tracked per customer in Redis so every
 * instance — and the scheduler — can ask before sending.
 *
 * The window is measured on the app's clock (the injected `now`), from the time
 * stored when the customer wrote; the key's Redis TTL only clears old entries.
 * When WeChat itself says the window is closed (45015) or the allowance is used
 * up (45047), it is believed: the window is closed or used up here too, so no
 * instance keeps knocking until the customer writes again.
 */
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';

export const WINDOW_MS = 48 * 3600 * 1000;
export const MESSAGES_PER_CUSTOMER_MESSAGE = 5;

export class ServiceWindow {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly now: () => Date = () => new Date(),
    /** Whose customers: the Official Account's unless another channel says so. */
    private readonly channel = 'wechat-oa',
  ) {}

  private windowKey(openId: string): string {
    return this.keys.serviceWindow(this.channel, openId);
  }

  private sendsKey(openId: string): string {
    return this.keys.serviceWindowSends(this.channel, openId);
  }

  /** The customer wrote: the window opens (again) with a fresh allowance. */
  async customerWrote(openId: string): Promise<void> {
    await Promise.all([
      this.backend.set(this.windowKey(openId), String(this.now().getTime()), { ttlMs: WINDOW_MS }),
      this.backend.del(this.sendsKey(openId)),
    ]);
  }

  /** True while fewer than 48 hours (on the app's clock) have passed since the customer last wrote. */
  async isOpen(openId: string): Promise<boolean> {
    const wroteAt = Number(await this.backend.get(this.windowKey(openId)));
    return Number.isFinite(wroteAt) && wroteAt > 0 && this.now().getTime() - wroteAt < WINDOW_MS;
  }

  /** Takes one message from the allowance; false when the window is closed or used up. */
  async take(openId: string): Promise<boolean> {
    if (!(await this.isOpen(openId))) return false;
    const sent = await this.backend.incr(this.sendsKey(openId), WINDOW_MS);
    return sent <= MESSAGES_PER_CUSTOMER_MESSAGE;
  }

  /** WeChat answered 45015 (outside the window): closed until the customer writes again. */
  async close(openId: string): Promise<void> {
    await this.backend.del(this.windowKey(openId));
  }

  /** WeChat answered 45047 (too many messages): nothing more until the customer writes again. */
  async useUp(openId: string): Promise<void> {
    await this.backend.set(this.sendsKey(openId), String(MESSAGES_PER_CUSTOMER_MESSAGE), { ttlMs: WINDOW_MS });
  }
}
