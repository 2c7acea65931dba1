/**
 * Live handoff between customers and staff, across every bot instance behind
 * one Redis: the queue of waiting chats, atomic claiming (ZREM on the queue:
 * exactly one claimer sees "removed"), staff replies delivered through the
 * customer's own channel, transfer, end and hand-back, and an event on the
 * pub/sub channel for each change so every open desk updates.
 */
import { AppError } from '../errors';
import type { NativeHandoff, ProactiveChannel } from '../channels';
import type { Translator } from '../content/i18n';
import type { SupportedLocale } from '../content/schemas';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { ChatDocuments } from './chat-documents';
import { HandoffPresence } from './presence';
import { queueScore, type HandoffChat, type HandoffEvent, type HandoffLevel, type RequestOutcome, type TranscriptEntry } from './model';

export interface HandoffRequest {
  channelId: string;
  conversationId: string;
  customerId: string;
  locale: SupportedLocale;
  level: HandoffLevel;
  reasons: string[];
  ticketNumber?: string;
  team?: string;
}

export interface HandoffDeps {
  backend: StateBackend;
  keys: Keys;
  translator: Translator;
  /** The customer's channel, to deliver staff replies and notices. */
  channel: (channelId: string) => ProactiveChannel | undefined;
  /** Whether staff answer now (office hours on working days). */
  inOfficeHours: (now: Date) => boolean;
  /** Minutes one chat takes a person, for the wait a customer is told. */
  minutesPerChat: number;
  /** How long a transcript is kept (the conversation state's TTL). */
  transcriptTtlMs: number;
  now?: () => Date;
  /** The menu's labels in a language: a chat handed back to the bot shows them at once. */
  menuChoices?: (locale: SupportedLocale) => string[];
  /** Figures for the operations dashboard (Prometheus in the app). */
  observe?: HandoffObserver;
}

export interface HandoffObserver {
  queueLength(n: number): void;
  /** A chat joined the queue at `position` (staff alerts for urgent ones). */
  queued?(chat: HandoffChat, position: number): void;
  firstReply(seconds: number): void;
  abandoned(): void;
}

const ALL = Number.MAX_SAFE_INTEGER;

export class HandoffService {
  readonly presence: HandoffPresence;
  private readonly chats: ChatDocuments;
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffDeps) {
    this.now = deps.now ?? (() => new Date());
    this.chats = new ChatDocuments(deps.backend, deps.keys);
    this.presence = new HandoffPresence(deps.backend, deps.keys, this.now);
  }

  /** Puts the conversation in the queue for a person, or says why nobody can take it now. */
  async request(r: HandoffRequest): Promise<RequestOutcome> {
    const key = `${r.channelId}:${r.conversationId}`;
    const existing = await this.active(key);
    if (existing) return { queued: false, reason: 'alreadyQueued', chat: existing };
    const now = this.now();
    if (!this.deps.inOfficeHours(now)) return { queued: false, reason: 'outsideHours' };
    const native = this.deps.channel(r.channelId)?.nativeHandoff;
    if (native) return this.handOverNatively(native, r, key, now);
    const online = await this.presence.online();
    if (online === 0) return { queued: false, reason: 'nobodyOnDuty' };
    const chat: HandoffChat = {
      key, channelId: r.channelId, conversationId: r.conversationId, customerId: r.customerId, locale: r.locale,
      status: 'waiting', level: r.level, reasons: r.reasons, askedAt: now.toISOString(),
      ...(r.ticketNumber ? { ticketNumber: r.ticketNumber } : {}), ...(r.team ? { team: r.team } : {}),
    };
    await this.chats.put(chat);
    await this.deps.backend.schedule(this.deps.keys.handoffQueue(), key, queueScore(r.level, now.getTime()));
    const queue = await this.waitingKeys();
    this.deps.observe?.queueLength(queue.length);
    const position = queue.indexOf(key) + 1;
    this.deps.observe?.queued?.(chat, position);
    await this.publish({ type: 'queued', key });
    return { queued: true, chat, position, waitMinutes: Math.max(1, Math.ceil((position * this.deps.minutesPerChat) / online)) };
  }

  /**
   * The platform's own people take the chat (WeCom's servicers): nothing waits in our queue, the platform
   * queues it. The customer is told as for our queue, first in line, one chat's time.
   */
  private async handOverNatively(native: NativeHandoff, r: HandoffRequest, key: string, now: Date): Promise<RequestOutcome> {
    await native.handOver({ customerId: r.customerId, conversationId: r.conversationId });
    const chat: HandoffChat = {
      key, channelId: r.channelId, conversationId: r.conversationId, customerId: r.customerId, locale: r.locale,
      status: 'waiting', level: r.level, reasons: r.reasons, askedAt: now.toISOString(),
    };
    return { queued: true, chat, position: 1, waitMinutes: Math.max(1, Math.ceil(this.deps.minutesPerChat)) };
  }

  /** The chat when the conversation is waiting for or talking with a person. */
  async active(key: string): Promise<HandoffChat | undefined> {
    const chat = await this.chats.get(key);
    return chat && chat.status !== 'ended' ? chat : undefined;
  }

  get(key: string): Promise<HandoffChat | undefined> {
    return this.chats.get(key);
  }

  /** Waiting chats, most serious first, then longest waiting. */
  async waiting(): Promise<HandoffChat[]> {
    return this.chats.many(await this.waitingKeys());
  }

  /** Chats with a person now, earliest claimed first. */
  async withStaff(): Promise<HandoffChat[]> {
    return this.chats.many(await this.deps.backend.due(this.deps.keys.handoffActive(), ALL, 500));
  }

  /** What was said, oldest first (the last `limit` lines). */
  async transcript(key: string, limit = 200): Promise<TranscriptEntry[]> {
    const lines = await this.deps.backend.range(this.deps.keys.handoffTranscript(key), -limit, -1);
    return lines.map((l) => JSON.parse(l) as TranscriptEntry);
  }

  /** Records a line of the conversation (every conversation, so staff see what came before the handoff). */
  async record(key: string, entry: TranscriptEntry, live: boolean): Promise<void> {
    await this.deps.backend.append(this.deps.keys.handoffTranscript(key), JSON.stringify(entry), this.deps.transcriptTtlMs);
    if (live) await this.publish({ type: 'message', key, entry });
  }

  /** Takes a waiting chat. Exactly one of any number of simultaneous claims succeeds. */
  async claim(key: string, staffId: string): Promise<'claimed' | 'taken' | 'ended' | 'unknown'> {
    const chat = await this.chats.get(key);
    if (!chat) return 'unknown';
    if (chat.status === 'ended') return 'ended';
    // ZREM is the arbiter: only the claimer that removed the chat from the queue owns it.
    if (!(await this.deps.backend.unschedule(this.deps.keys.handoffQueue(), key))) return (await this.chats.get(key))?.status === 'ended' ? 'ended' : 'taken';
    const now = this.now().toISOString();
    // The customer may have stopped waiting in between: a chat that ended stays ended.
    const claimed = await this.chats.update(key, (c) => (c.status === 'waiting' ? { ...c, status: 'with_staff', claimedBy: staffId, claimedAt: now } : undefined));
    if (!claimed) return 'ended';
    await this.deps.backend.schedule(this.deps.keys.handoffActive(), key, Date.parse(now));
    this.deps.observe?.queueLength((await this.waitingKeys()).length);
    await this.tell(claimed, 'handoff:claimed');
    await this.publish({ type: 'claimed', key });
    return 'claimed';
  }

  /** A staff reply, delivered through the customer's channel, then recorded. */
  async reply(key: string, staffId: string, text: string): Promise<TranscriptEntry> {
    const chat = await this.owned(key, staffId);
    const channel = this.deps.channel(chat.channelId);
    if (!channel) throw new AppError('CHANNEL_API_ERROR', `no channel ${chat.channelId} to reach the customer`, 502);
    await channel.notify({ customerId: chat.customerId, conversationId: chat.conversationId }, { text });
    const entry: TranscriptEntry = { from: 'staff', text, at: this.now().toISOString(), staffId };
    if (!chat.firstStaffReplyAt) {
      const first = await this.chats.update(key, (c) => (c.firstStaffReplyAt ? undefined : { ...c, firstStaffReplyAt: entry.at }));
      if (first) this.deps.observe?.firstReply((Date.parse(entry.at) - Date.parse(first.askedAt)) / 1000);
    }
    await this.record(key, entry, true);
    return entry;
  }

  /** Gives the chat to a colleague (who then owns it). */
  async transfer(key: string, fromStaffId: string, toStaffId: string): Promise<HandoffChat> {
    await this.owned(key, fromStaffId);
    const chat = await this.chats.update(key, (c) => (c.status === 'with_staff' && c.claimedBy === fromStaffId ? { ...c, claimedBy: toStaffId } : undefined));
    if (!chat) throw new AppError('STATE_CONFLICT', 'this chat changed hands or ended meanwhile', 409);
    await this.publish({ type: 'transferred', key });
    return chat;
  }

  /**
   * Ends the chat: `staff` (finished), `bot` (handed back to the bot), or
   * `customer` (stopped waiting; the turn itself answers them). The customer
   * is told through their channel in the first two cases. `supervising`: a
   * supervisor ends a chat that is not theirs (waiting, or a colleague's who
   * has gone), so ownership is not required.
   */
  async end(key: string, by: string, how: 'staff' | 'bot' | 'customer', supervising = false): Promise<HandoffChat> {
    const before = how === 'customer' || supervising ? await this.chats.get(key) : await this.owned(key, by);
    if (!before || before.status === 'ended') throw new AppError('STATE_CONFLICT', 'this chat has already ended', 409);
    const chat = await this.chats.update(key, (c) => (c.status === 'ended' ? undefined : { ...c, status: 'ended', endedAt: this.now().toISOString(), endedBy: by, endedHow: how }));
    if (!chat) throw new AppError('STATE_CONFLICT', 'this chat has already ended', 409);
    await this.deps.backend.unschedule(this.deps.keys.handoffQueue(), key);
    await this.deps.backend.unschedule(this.deps.keys.handoffActive(), key);
    if (how !== 'customer') await this.tell(chat, how === 'bot' ? 'handoff:handedBack' : 'handoff:ended', this.deps.menuChoices?.(chat.locale as SupportedLocale));
    else if (before.status === 'waiting') this.deps.observe?.abandoned();
    this.deps.observe?.queueLength((await this.waitingKeys()).length);
    await this.publish({ type: 'ended', key });
    return chat;
  }

  /** The customer has been brought back to the menu after the chat ended. */
  async markResumed(key: string): Promise<void> {
    await this.chats.update(key, (c) => (c.resumed ? undefined : { ...c, resumed: true }));
  }

  /** A waiting customer was told their message reached the desk. */
  async noted(key: string, at: string): Promise<void> {
    await this.chats.update(key, (c) => ({ ...c, notedAt: at }));
  }

  async subscribe(handler: (event: HandoffEvent) => void): Promise<() => Promise<void>> {
    return this.deps.backend.subscribe(this.deps.keys.handoffEvents(), (message) => handler(JSON.parse(message) as HandoffEvent));
  }

  private async owned(key: string, staffId: string): Promise<HandoffChat> {
    const chat = await this.chats.get(key);
    if (!chat) throw new AppError('NOT_FOUND', 'no such chat', 404);
    if (chat.status === 'ended') throw new AppError('STATE_CONFLICT', 'this chat has already ended', 409);
    if (chat.status !== 'with_staff' || chat.claimedBy !== staffId) throw new AppError('FORBIDDEN', 'this chat is not yours: claim it first', 403);
    return chat;
  }

  private async waitingKeys(): Promise<string[]> {
    return this.deps.backend.due(this.deps.keys.handoffQueue(), ALL, 500);
  }

  /** A sentence to the customer through their channel; a closed channel is logged by the caller's error, not fatal here. */
  private async tell(chat: HandoffChat, key: string, choices?: string[]): Promise<void> {
    const locale = chat.locale as SupportedLocale;
    const text = this.deps.translator.t(locale, key);
    const channel = this.deps.channel(chat.channelId);
    try {
      await channel?.notify({ customerId: chat.customerId, conversationId: chat.conversationId }, { text, choices, locale });
      await this.record(chat.key, { from: 'bot', text, at: this.now().toISOString() }, true);
    } catch {
      // The customer's channel cannot take it now (WeChat window closed): the desk still sees the change.
    }
  }

  private publish(event: HandoffEvent): Promise<void> {
    return this.deps.backend.publish(this.deps.keys.handoffEvents(), JSON.stringify(event));
  }
}
