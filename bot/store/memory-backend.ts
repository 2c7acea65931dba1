/**
 * In-memory twin of RedisBackend, for a laptop without Redis. Single process
 * only and lost on restart: the application refuses it in production mode.
 * Semantics mirror the Redis implementation; the same contract tests run on both.
 */
import { EventEmitter } from 'node:events';
import type { CasResult, SetOptions, StateBackend, StoredDocument } from './backend';

type Value = string | string[] | StoredDocument | Map<string, number>;

interface Entry {
  value: Value;
  expiresAt?: number;
}

export class MemoryBackend implements StateBackend {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly bus = new EventEmitter().setMaxListeners(0);

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, value: Value, ttlMs?: number): void {
    this.entries.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : undefined });
  }

  async get(key: string): Promise<string | null> {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : null;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    if (options.onlyIfAbsent && this.live(key)) return false;
    this.put(key, value, options.ttlMs);
    return true;
  }

  async del(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (!entry) return false;
    entry.expiresAt = Date.now() + ttlMs;
    return true;
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    if (this.live(key)?.value !== expected) return false;
    this.entries.delete(key);
    return true;
  }

  async expireIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (entry?.value !== expected) return false;
    entry.expiresAt = Date.now() + ttlMs;
    return true;
  }

  async appendOnce(claimKey: string, claimValue: string, listKey: string, value: string, ttlMs: number): Promise<{ appended: true; length: number } | { appended: false; existing: string }> {
    const claimed = this.live(claimKey)?.value;
    if (typeof claimed === 'string') return { appended: false, existing: claimed };
    this.put(claimKey, claimValue, ttlMs);
    const list = this.list(listKey);
    list.push(value);
    this.put(listKey, list, ttlMs);
    return { appended: true, length: list.length };
  }

  // No `await` before a write in this class: each method must be atomic, as a Redis command is.
  async incr(key: string, ttlMs = 0, floor = 0): Promise<number> {
    const entry = this.live(key);
    const next = Math.max(Number(typeof entry?.value === 'string' ? entry.value : '0') + 1, floor + 1);
    const expiresAt = entry?.expiresAt;
    this.entries.set(key, { value: String(next), expiresAt: ttlMs > 0 ? Date.now() + ttlMs : expiresAt });
    return next;
  }

  private list(key: string): string[] {
    const value = this.live(key)?.value;
    return Array.isArray(value) ? value : [];
  }

  async append(key: string, value: string, ttlMs = 0): Promise<number> {
    const entry = this.live(key);
    const list = Array.isArray(entry?.value) ? entry.value : [];
    list.push(value);
    this.entries.set(key, { value: list, expiresAt: ttlMs > 0 ? Date.now() + ttlMs : entry?.expiresAt });
    return list.length;
  }

  async dropFirst(key: string, count: number): Promise<void> {
    this.list(key).splice(0, count);
  }

  async range(key: string, start: number, stop: number): Promise<string[]> {
    const list = this.list(key);
    const from = start < 0 ? Math.max(list.length + start, 0) : start;
    const to = stop < 0 ? list.length + stop : Math.min(stop, list.length - 1);
    return list.slice(from, to + 1);
  }

  async length(key: string): Promise<number> {
    return this.list(key).length;
  }

  private sortedSet(key: string): Map<string, number> {
    const value = this.live(key)?.value;
    if (value instanceof Map) return value;
    const fresh = new Map<string, number>();
    this.entries.set(key, { value: fresh });
    return fresh;
  }

  async schedule(key: string, member: string, score: number): Promise<void> {
    this.sortedSet(key).set(member, score);
  }

  async due(key: string, maxScore: number, limit: number): Promise<string[]> {
    return [...this.sortedSet(key)]
      .filter(([, score]) => score <= maxScore)
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([member]) => member);
  }

  async unschedule(key: string, member: string): Promise<boolean> {
    return this.sortedSet(key).delete(member);
  }

  async dueWithScores(key: string, maxScore: number, limit: number): Promise<{ member: string; score: number }[]> {
    const members = await this.due(key, maxScore, limit);
    const set = this.sortedSet(key);
    return members.map((member) => ({ member, score: set.get(member)! }));
  }

  async scoreOf(key: string, member: string): Promise<number | undefined> {
    return this.sortedSet(key).get(member);
  }

  private document(key: string): StoredDocument | null {
    const value = this.live(key)?.value;
    return value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map) ? { ...value } : null;
  }

  async readDocuments(keys: string[]): Promise<(StoredDocument | null)[]> {
    return keys.map((key) => this.document(key));
  }

  async writeDocument(key: string, doc: StoredDocument, expectedETag: string | undefined, ttlMs = 0): Promise<CasResult> {
    const current = this.document(key);
    if (expectedETag !== undefined && expectedETag !== '*' && current && current.eTag !== expectedETag) {
      return 'conflict';
    }
    this.put(key, { ...doc }, ttlMs || undefined);
    return 'written';
  }

  async publish(channel: string, message: string): Promise<void> {
    // Deliver asynchronously, as Redis does, so publishers never run subscribers inline.
    setImmediate(() => this.bus.emit(channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    this.bus.on(channel, handler);
    return async () => {
      this.bus.off(channel, handler);
    };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bus.removeAllListeners();
  }
}
