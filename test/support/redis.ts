/** A Redis backend with a key prefix of its own, and a clean-up that deletes only those keys. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisBackend } from '../../bot/store/redis-backend';

export function testRedisUrl(): string {
  return process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
}

export function uniquePrefix(label: string): string {
  return `test:${label}:${randomUUID().slice(0, 8)}:`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export function openTestBackend(): RedisBackend {
  return RedisBackend.connect(testRedisUrl());
}
