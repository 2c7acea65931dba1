/** Handoff chats as documents with optimistic concurrency: every change is read, changed and written back only if nobody wrote in between. */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { StateBackend } from '../store/backend';
import type { Keys } from '../store/keys';
import { handoffChatSchema, type HandoffChat } from './model';

/** Chats are kept for a month after they end, for the desk's history and the figures. */
const CHAT_TTL_MS = 31 * 86_400_000;
const MAX_ATTEMPTS = 20;

export class ChatDocuments {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
  ) {}

  async get(key: string): Promise<HandoffChat | undefined> {
    const [doc] = await this.backend.readDocuments([this.keys.handoffChat(key)]);
    return doc ? handoffChatSchema.parse(JSON.parse(doc.json)) : undefined;
  }

  async many(keys: string[]): Promise<HandoffChat[]> {
    if (keys.length === 0) return [];
    const docs = await this.backend.readDocuments(keys.map((k) => this.keys.handoffChat(k)));
    return docs.flatMap((d) => (d ? [handoffChatSchema.parse(JSON.parse(d.json))] : []));
  }

  /** A new chat (replaces an ended one of the same conversation). */
  async put(chat: HandoffChat): Promise<void> {
    await this.backend.writeDocument(this.keys.handoffChat(chat.key), { eTag: randomUUID(), json: JSON.stringify(chat) }, '*', CHAT_TTL_MS);
  }

  /**
   * Applies `change` to the latest version; `change` returns undefined to leave
   * the chat as it is (the move is no longer allowed), and then so does this.
   */
  async update(key: string, change: (chat: HandoffChat) => HandoffChat | undefined): Promise<HandoffChat | undefined> {
    const docKey = this.keys.handoffChat(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [doc] = await this.backend.readDocuments([docKey]);
      if (!doc) throw new AppError('NOT_FOUND', 'no such chat', 404);
      const next = change(handoffChatSchema.parse(JSON.parse(doc.json)));
      if (!next) return undefined;
      const written = await this.backend.writeDocument(docKey, { eTag: randomUUID(), json: JSON.stringify(next) }, doc.eTag, CHAT_TTL_MS);
      if (written === 'written') return next;
    }
    throw new AppError('STATE_CONFLICT', 'the chat kept changing; try again', 409);
  }
}
