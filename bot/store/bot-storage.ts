/**
 * botbuilder `Storage` over a StateBackend, with eTag optimistic concurrency.
 * (No maintained Redis Storage for botbuilder exists; the one on npm ignores eTags.)
 * Semantics follow botbuilder's MemoryStorage: a write whose eTag is absent or
 * "*" overwrites; otherwise it must match the stored eTag.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { AppError } from '../errors';
import type { StateBackend } from './backend';
import type { Keys } from './keys';

export interface BotStorageOptions {
  /** State of a conversation nobody touched for this long is dropped. 0 keeps it forever. */
  ttlMs?: number;
}

export class BackendStorage implements Storage {
  constructor(
    private readonly backend: StateBackend,
    private readonly keys: Keys,
    private readonly options: BotStorageOptions = {},
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const docs = await this.backend.readDocuments(keys.map((k) => this.keys.botState(k)));
    const items: StoreItems = {};
    docs.forEach((doc, i) => {
      const key = keys[i];
      if (doc && key !== undefined) items[key] = { ...JSON.parse(doc.json), eTag: doc.eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag: expected, ...rest } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
        const result = await this.backend.writeDocument(
          this.keys.botState(key),
          { eTag: randomUUID(), json: JSON.stringify(rest) },
          expected,
          this.options.ttlMs,
        );
        if (result === 'conflict') {
          throw new AppError('STORAGE_ETAG_CONFLICT', `Storage: eTag conflict writing "${key}"`, 409);
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await this.backend.del(...keys.map((k) => this.keys.botState(k)));
  }
}
