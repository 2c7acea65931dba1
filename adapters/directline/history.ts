/**
 * Direct Line conversations and their activities, in the StateBackend (Redis)
 * with a TTL: a list per conversation whose index is the watermark, plus a
 * pub/sub channel that tells every instance's WebSocket streams "something new".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';

export interface ConversationMeta {
  conversationId: string;
  userId?: string;
  locale?: string;
  createdAt: string;
}

export interface ActivitySet {
  activities: Activity[];
  watermark: string;
}

export class ConversationHistory {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly ttlMs: number,
  ) {}

  static newConversationId(): string {
    // URL-safe and unguessable: the id appears in URLs and must not be enumerable.
    return randomBytes(18).toString('base64url');
  }

  /** Creates the conversation; false when it already existed (a reconnect with the same token). */
  async create(meta: ConversationMeta): Promise<boolean> {
    return this.backend.set(this.keys.directLineConversation(meta.conversationId), JSON.stringify(meta), {
      ttlMs: this.ttlMs,
      onlyIfAbsent: true,
    });
  }

  async get(conversationId: string): Promise<ConversationMeta | undefined> {
    const raw = await this.backend.get(this.keys.directLineConversation(conversationId));
    return raw ? (JSON.parse(raw) as ConversationMeta) : undefined;
  }

  static newActivityId(conversationId: string): string {
    return `${conversationId}|${randomUUID()}`;
  }

  /** Stores an activity, stamps it (id unless given, timestamp), notifies streams; returns the stored activity. */
  async append(conversationId: string, activity: Partial<Activity>): Promise<Activity> {
    const stored = this.stamp(conversationId, activity);
    const key = this.keys.directLineActivities(conversationId);
    await Promise.all([
      this.backend.append(key, JSON.stringify(stored), this.ttlMs),
      // The conversation lives as long as its newest activity.
      this.backend.expire(this.keys.directLineConversation(conversationId), this.ttlMs),
    ]);
    await this.backend.publish(this.keys.directLineEvents(conversationId), '1');
    return stored;
  }

  /**
   * Accepts what a customer sent: stores it in the transcript and claims its
   * client activity id in one atomic step, so a resend of something accepted
   * gets the first id back (no second turn) and a send that failed before it
   * was stored can be retried. Returns the stored activity, or the id it got.
   */
  async acceptInbound(
    conversationId: string,
    activity: Partial<Activity> & { id: string },
    clientActivityId: string | undefined,
  ): Promise<{ stored: Activity } | { duplicateOf: string }> {
    const stored = this.stamp(conversationId, activity);
    const claim = this.keys.directLineClientIds(conversationId, clientActivityId ?? `server:${activity.id}`);
    const result = await this.backend.appendOnce(claim, activity.id, this.keys.directLineActivities(conversationId), JSON.stringify(stored), this.ttlMs);
    if (!result.appended) return { duplicateOf: result.existing };
    await this.backend.expire(this.keys.directLineConversation(conversationId), this.ttlMs);
    await this.backend.publish(this.keys.directLineEvents(conversationId), '1');
    return { stored };
  }

  private stamp(conversationId: string, activity: Partial<Activity>): Activity {
    return {
      ...activity,
      id: activity.id ?? ConversationHistory.newActivityId(conversationId),
      timestamp: new Date().toISOString(),
      conversation: { ...(activity.conversation ?? {}), id: conversationId },
      channelId: 'directline',
    } as unknown as Activity; // timestamps travel as ISO strings in JSON
  }

  length(conversationId: string): Promise<number> {
    return this.backend.length(this.keys.directLineActivities(conversationId));
  }

  async since(conversationId: string, watermark: number): Promise<ActivitySet> {
    const raw = await this.backend.range(this.keys.directLineActivities(conversationId), Math.max(0, watermark), -1);
    return { activities: raw.map((r) => JSON.parse(r) as Activity), watermark: String(Math.max(0, watermark) + raw.length) };
  }

  onChange(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    return this.backend.subscribe(this.keys.directLineEvents(conversationId), listener);
  }
}
