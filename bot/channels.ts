/**
 * What the scheduler (status pushes) asks of a channel, without knowing the
 * platform: deliver this notification now, or say it cannot (then the
 * scheduler keeps it and tries again later). Channel rules live in the adapter.
 */
export interface ChannelNotification {
  /** The full text, in the customer's language. */
  text: string;
  /** A named template and its values, for platforms that can reach a customer outside the service window. */
  template?: { name: string; values: Record<string, string> };
}

export type DeliveredAs = 'message' | 'template';

export interface ProactiveChannel {
  readonly channelId: string;
  /** Throws AppError CHANNEL_WINDOW_CLOSED (or another CHANNEL_* code) when it cannot deliver now. */
  notify(customerId: string, notification: ChannelNotification): Promise<DeliveredAs>;
}
