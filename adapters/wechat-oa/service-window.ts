/**
 * The customer-service window: WeChat lets us message a customer only within
 * 48 hours of their last message, and only a few times per message of theirs
 * ("客服消息" doc: 5 within 48 h). Tracked per customer in Redis so every
 * instance — and the scheduler — can ask before sending.
 */
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { WECHAT_OA_CHANNEL } from './parse';

export const WINDOW_MS = 48 * 3600 * 1000;
export const MESSAGES_PER_CUSTOMER_MESSAGE = 5;

export class ServiceWindow {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
  ) {}

  /** The customer wrote: the window opens (again) with a fresh allowance. */
  async customerWrote(openId: string): Promise<void> {
    await Promise.all([
      this.backend.set(this.keys.serviceWindow(WECHAT_OA_CHANNEL, openId), String(Date.now()), { ttlMs: WINDOW_MS }),
      this.backend.del(this.keys.serviceWindowSends(WECHAT_OA_CHANNEL, openId)),
    ]);
  }

  /** Takes one message from the allowance; false when the window is closed or used up. */
  async take(openId: string): Promise<boolean> {
    if (!(await this.backend.get(this.keys.serviceWindow(WECHAT_OA_CHANNEL, openId)))) return false;
    const sent = await this.backend.incr(this.keys.serviceWindowSends(WECHAT_OA_CHANNEL, openId), WINDOW_MS);
    return sent <= MESSAGES_PER_CUSTOMER_MESSAGE;
  }
}
