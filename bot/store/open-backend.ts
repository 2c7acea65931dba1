/**
 * The store the configuration asks for: Redis (directly or through Sentinel)
 * with the configured timeouts, or, without REDIS_URL, the in-memory twin with
 * a loud warning (config.ts refuses that in production).
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import type { StateBackend } from './backend';
import { MemoryBackend } from './memory-backend';
import { RedisBackend } from './redis-backend';
import { parseSentinels } from './redis-connection';

export function openBackend(config: Config, logger: Logger): StateBackend {
  if (config.REDIS_URL) {
    const timeouts = { connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, healthTimeoutMs: config.REDIS_HEALTH_TIMEOUT_MS };
    const sentinel = config.REDIS_SENTINELS
      ? { sentinels: parseSentinels(config.REDIS_SENTINELS), name: config.REDIS_SENTINEL_NAME, password: config.REDIS_SENTINEL_PASSWORD }
      : undefined;
    const backend = RedisBackend.connect(config.REDIS_URL, timeouts, sentinel);
    // ioredis's connection errors name the address and the cause ("connect ECONNREFUSED …"), never a command's arguments.
    backend.onError = (error) => logger.warn({ code: 'STORE_CONNECTION', err: error.message }, 'Redis connection problem (reconnecting)');
    return backend;
  }
  logger.warn(
    '*** REDIS_URL is not set: using the IN-MEMORY store. Conversations, tickets and tokens are lost on restart ' +
      'and nothing is shared between instances. Set REDIS_URL for anything but a try-out. ***',
  );
  return new MemoryBackend();
}
