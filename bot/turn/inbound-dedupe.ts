/**
 * Remembers which inbound messages have already started a turn, so that a
 * platform's retry (WeChat retries three times, Direct Line clients resend on
 * network errors) never runs a second turn. One `SET NX` with a TTL per message.
 */
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';

export class InboundDedupe {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly ttlMs: number,
  ) {}

  /** True the first time a (channel, message id) pair is seen within the TTL. */
  firstSighting(channelId: string, messageId: string): Promise<boolean> {
    return this.backend.set(this.keys.inboundSeen(channelId, messageId), '1', {
      ttlMs: this.ttlMs,
      onlyIfAbsent: true,
    });
  }
}
