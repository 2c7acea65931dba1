/**
 * The few state operations the bot needs, behind one interface so that Redis
 * (production) and an in-memory twin (a laptop without Redis) behave the same.
 * Every atomic step is one call here: the Redis implementation uses Lua or a
 * single command, never read-then-write from Node.
 */
export interface SetOptions {
  /** Time to live in milliseconds; absent means no expiry. */
  ttlMs?: number;
  /** Only set when the key does not exist yet (Redis `SET NX`). */
  onlyIfAbsent?: boolean;
}

export type CasResult = 'written' | 'conflict';

export interface StoredDocument {
  eTag: string;
  json: string;
}

export interface StateBackend {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Returns false when `onlyIfAbsent` was set and the key existed. */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
  /** Sets a key's TTL; false when the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only if it still holds `expected` (releasing a lock we own). */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Extends the TTL only if the key still holds `expected` (renewing a lock we own). */
  expireIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean>;
  /**
   * Atomic increment; `ttlMs` (if > 0) refreshes the TTL. With `floor` the
   * result is always above it: a counter found at or below `floor` jumps to
   * `floor + 1` (so a sequence never goes below numbers already issued).
   */
  incr(key: string, ttlMs?: number, floor?: number): Promise<number>;
  /** Appends to a list and refreshes its TTL; returns the new length. */
  append(key: string, value: string, ttlMs?: number): Promise<number>;
  /** Inclusive range like Redis LRANGE (negative indexes count from the end). */
  range(key: string, start: number, stop: number): Promise<string[]>;
  /** Removes the first `count` items of a list in one step (what was appended meanwhile stays). */
  dropFirst(key: string, count: number): Promise<void>;
  length(key: string): Promise<number>;
  /**
   * Idempotent append, in one atomic step: if `claimKey` is absent it is set to
   * `claimValue` and `value` is appended to `listKey` (both get `ttlMs`), and the
   * new list length is returned; if `claimKey` exists nothing changes and its
   * value is returned. The claim and the stored item can never exist one without
   * the other. Both keys must hash to one Cluster slot (use a `{tag}`).
   */
  appendOnce(claimKey: string, claimValue: string, listKey: string, value: string, ttlMs: number): Promise<{ appended: true; length: number } | { appended: false; existing: string }>;
  /** Sorted set (Redis ZADD): `member` with `score` (a due time in ms). */
  schedule(key: string, member: string, score: number): Promise<void>;
  /** Members whose score is at most `maxScore`, earliest first, at most `limit`. */
  due(key: string, maxScore: number, limit: number): Promise<string[]>;
  /** Removes a member; true when it was there (so only one worker acts on it). */
  /** Members due at or before `maxScore` with their scores, lowest first. */
  dueWithScores(key: string, maxScore: number, limit: number): Promise<{ member: string; score: number }[]>;
  /** A member's score, or undefined when it is not in the set. */
  scoreOf(key: string, member: string): Promise<number | undefined>;
  unschedule(key: string, member: string): Promise<boolean>;
  readDocuments(keys: string[]): Promise<(StoredDocument | null)[]>;
  /**
   * Writes a document with optimistic concurrency. `expectedETag` undefined or
   * "*" writes unconditionally; otherwise the write succeeds only if the stored
   * eTag matches or the document does not exist (botbuilder's semantics).
   */
  writeDocument(key: string, doc: StoredDocument, expectedETag: string | undefined, ttlMs?: number): Promise<CasResult>;
  publish(channel: string, message: string): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<boolean>;
  /** Readiness: the store answers and accepts a write (`healthKey`, short-lived) within a short timeout; never throws. */
  healthy(healthKey: string): Promise<boolean>;
  close(): Promise<void>;
}
