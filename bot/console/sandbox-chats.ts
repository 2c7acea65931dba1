/**
 * The console's test chat: each supervisor talks to a sandbox bot built from
 * their draft (or the live version when they have none) — the whole bot, on an
 * in-memory store, so a complaint filed there is not real and nothing reaches
 * a customer or the desk. One sandbox per supervisor, rebuilt when the draft
 * changes; at most `max` on an instance (the least recently used is closed),
 * and closed after `idleMs` without a message.
 */
import type { Content } from '../content/loader';

/** A reply as the test chat shows it. */
export interface SandboxReply {
  text: string;
  choices: string[];
}

export interface SandboxChat {
  say(conversationId: string, customerId: string, locale: string, text?: string): Promise<SandboxReply[]>;
  close(): Promise<void>;
}

export type OpenSandbox = (content: Content) => Promise<SandboxChat>;

interface Entry {
  tag: string;
  chat: Promise<SandboxChat>;
  usedAt: number;
}

export class SandboxChats {
  private readonly open = new Map<string, Entry>();

  constructor(
    private readonly openSandbox: OpenSandbox,
    private readonly max = 4,
    private readonly idleMs = 15 * 60_000,
  ) {}

  /** `tag` names the content version (a new tag: a new sandbox); `content` is loaded only when one is built. */
  async say(username: string, tag: string, content: () => Content, conversationId: string, locale: string, text?: string): Promise<SandboxReply[]> {
    this.closeIdle();
    let entry = this.open.get(username);
    if (!entry || entry.tag !== tag) {
      if (entry) this.close(username, entry);
      entry = { tag, chat: this.openSandbox(content()), usedAt: Date.now() };
      this.open.set(username, entry);
      this.closeLeastUsed();
    }
    entry.usedAt = Date.now();
    const chat = await entry.chat;
    return chat.say(conversationId, `console-${username}`, locale, text);
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((e) => e.chat.then((c) => c.close()).catch(() => undefined)));
  }

  private close(username: string, entry: Entry): void {
    this.open.delete(username);
    void entry.chat.then((c) => c.close()).catch(() => undefined);
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [user, e] of this.open) if (now - e.usedAt > this.idleMs) this.close(user, e);
  }

  private closeLeastUsed(): void {
    while (this.open.size > this.max) {
      const [user, e] = [...this.open].sort((a, b) => a[1].usedAt - b[1].usedAt)[0]!;
      this.close(user, e);
    }
  }
}
