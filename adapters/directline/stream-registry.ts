/**
 * The open streams of this instance, by conversation and by client address,
 * so both can be bounded. Per instance on purpose: the bound protects this
 * process's sockets and memory, which is what a flood exhausts.
 *
 * Over the per-address bound the new stream is refused (429): closing someone
 * else's stream would let one customer behind a shared address (a carrier NAT)
 * cut off another. Over the per-conversation bound the OLDEST stream of that
 * conversation is closed instead: a client that reconnects after a network
 * change leaves a half-open socket behind until keep-alive notices, and
 * refusing would lock the customer out of their own chat until then; the newest
 * stream is the one a person is looking at.
 */
import type { WebSocket } from 'ws';

export interface StreamLimits {
  perConversation: number;
  perAddress: number;
}

export class StreamRegistry {
  private readonly byConversation = new Map<string, WebSocket[]>();
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly limits: StreamLimits) {}

  /** False when the address already holds its maximum of streams. */
  addressHasRoom(addressKey: string): boolean {
    return (this.byAddress.get(addressKey) ?? 0) < this.limits.perAddress;
  }

  /** Records an open stream; returns the streams of the conversation that must now be closed (oldest first). */
  add(ws: WebSocket, conversationId: string, addressKey: string): WebSocket[] {
    this.byAddress.set(addressKey, (this.byAddress.get(addressKey) ?? 0) + 1);
    const list = this.byConversation.get(conversationId) ?? [];
    list.push(ws);
    this.byConversation.set(conversationId, list);
    return list.length > this.limits.perConversation ? list.splice(0, list.length - this.limits.perConversation) : [];
  }

  /** Forgets a stream (on close; safe to call twice for the conversation list). */
  remove(ws: WebSocket, conversationId: string, addressKey: string): void {
    const left = (this.byAddress.get(addressKey) ?? 1) - 1;
    if (left > 0) this.byAddress.set(addressKey, left);
    else this.byAddress.delete(addressKey);
    const list = this.byConversation.get(conversationId);
    if (!list) return;
    const at = list.indexOf(ws);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byConversation.delete(conversationId);
  }
}
