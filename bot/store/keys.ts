/**
 * Every Redis key the application uses is named here, so the key space can be
 * read in one place and the prefix (one per deployment, one per test run) is
 * applied consistently.
 */
export class Keys {
  constructor(readonly prefix: string) {}

  botState(storageKey: string): string {
    return `${this.prefix}state:${storageKey}`;
  }
  inboundSeen(channelId: string, messageId: string): string {
    return `${this.prefix}seen:${channelId}:${messageId}`;
  }
  turnLock(conversationKey: string): string {
    return `${this.prefix}lock:turn:${conversationKey}`;
  }
  directLineConversation(conversationId: string): string {
    return `${this.prefix}dl:conv:${conversationId}`;
  }
  directLineActivities(conversationId: string): string {
    return `${this.prefix}dl:acts:${conversationId}`;
  }
  directLineClientIds(conversationId: string, clientActivityId: string): string {
    return `${this.prefix}dl:client:${conversationId}:${clientActivityId}`;
  }
  directLineEvents(conversationId: string): string {
    return `${this.prefix}dl:events:${conversationId}`;
  }
  channelToken(channel: string, appId: string): string {
    return `${this.prefix}token:${channel}:${appId}`;
  }
  channelTokenLock(channel: string, appId: string): string {
    return `${this.prefix}lock:token:${channel}:${appId}`;
  }
  serviceWindow(channel: string, customerId: string): string {
    return `${this.prefix}window:${channel}:${customerId}`;
  }
  serviceWindowSends(channel: string, customerId: string): string {
    return `${this.prefix}window:${channel}:${customerId}:sent`;
  }
  inboundReply(channel: string, messageKey: string): string {
    return `${this.prefix}reply:${channel}:${messageKey}`;
  }
  ticket(number: string): string {
    return `${this.prefix}ticket:${number}`;
  }
  ticketSequence(localDate: string): string {
    return `${this.prefix}ticket-seq:${localDate}`;
  }
  customerTickets(channelId: string, customerId: string): string {
    return `${this.prefix}tickets-of:${channelId}:${customerId}`;
  }
  numberedChoices(channel: string, customerId: string): string {
    return `${this.prefix}choices:${channel}:${customerId}`;
  }
  /** Notices waiting for delivery: a sorted set of ids by due time, each notice a string key. */
  outboxSchedule(): string {
    return `${this.prefix}outbox:due`;
  }
  outboxItem(id: string): string {
    return `${this.prefix}outbox:item:${id}`;
  }
  outboxDead(): string {
    return `${this.prefix}outbox:dead`;
  }
  outboxTickLock(): string {
    return `${this.prefix}lock:outbox-tick`;
  }
  callbackQueue(): string {
    return `${this.prefix}callbacks`;
  }
  rateWindow(bucket: string, window: number): string {
    return `${this.prefix}rate:${bucket}:${window}`;
  }
}
