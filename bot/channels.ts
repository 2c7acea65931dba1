/**
 * What the scheduler (status pushes) asks of a channel, without knowing the
 * platform: deliver this notification now, or say it cannot (then the
 * scheduler keeps it and tries again later). Channel rules live in the adapter.
 */
import type { SupportedLocale } from './content/schemas';

export interface ChannelNotification {
  /** The full text, in the customer's language. */
  text: string;
  /** A named template and its values, for platforms that can reach a customer outside the service window. */
  template?: { name: string; values: Record<string, string> };
  /** Answers to offer with it (buttons where the channel has them, a numbered list where not): the menu after a person hands back. */
  choices?: string[];
  /** The customer's language, for the channel's own words around the choices ("reply with the number"). */
  locale?: SupportedLocale;
}

export type DeliveredAs = 'message' | 'template';

/** Who to reach: the customer's channel identity, and the conversation where the channel needs one (web chat). */
export interface Recipient {
  customerId: string;
  conversationId?: string;
}

/** A platform with its own people (WeCom's servicers): a handoff moves the session there instead of to our desk. */
export interface NativeHandoff {
  handOver(recipient: Recipient): Promise<void>;
}

export interface ProactiveChannel {
  readonly channelId: string;
  /** Present when handoffs on this channel go to the platform's own people. */
  readonly nativeHandoff?: NativeHandoff;
  /** Throws AppError CHANNEL_WINDOW_CLOSED (or another CHANNEL_* code) when it cannot deliver now. */
  notify(recipient: Recipient, notification: ChannelNotification): Promise<DeliveredAs>;
}
