/**
 * How the bot connects to Redis: fail fast, never resend behind the caller's
 * back, reconnect forever with a short back-off.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisTimeouts {
  /** TCP connect (and TLS) to Redis; a dead or black-holed host fails after this and is retried. */
  connectTimeoutMs: number;
  /** Any one command; also how long a command may wait for a lost connection to return. */
  commandTimeoutMs: number;
  /** The readiness probe (PING + a short-lived write), kept below the 2 s /readyz promise. */
  healthTimeoutMs: number;
}

/** Connecting through Redis Sentinel: the sentinels, the name of the monitored primary, their password. */
export interface SentinelSettings {
  sentinels: { host: string; port: number }[];
  name: string;
  password?: string;
}

/** "host:port,host:port" (IPv6 as [::1]:26379) → the list ioredis takes. */
export function parseSentinels(list: string): { host: string; port: number }[] {
  return list.split(',').map((entry) => {
    const trimmed = entry.trim();
    const at = trimmed.lastIndexOf(':');
    return { host: trimmed.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(trimmed.slice(at + 1)) };
  });
}

export const DEFAULT_REDIS_TIMEOUTS: RedisTimeouts = { connectTimeoutMs: 1000, commandTimeoutMs: 1000, healthTimeoutMs: 500 };

/** Reconnect back-off: 50 ms doubling to at most this, so a returning Redis is used again within ~2 s. */
export const RECONNECT_MAX_DELAY_MS = 2000;

export function reconnectDelay(attempt: number): number {
  const jitter = Math.floor(Math.random() * 100);
  return Math.min(50 * 2 ** Math.max(0, attempt - 1), RECONNECT_MAX_DELAY_MS) + jitter;
}

export function redisOptions(timeouts: RedisTimeouts): RedisOptions {
  return {
    connectTimeout: timeouts.connectTimeoutMs,
    commandTimeout: timeouts.commandTimeoutMs,
    // Never returns null: keep trying for as long as the process lives; /readyz tells the balancer meanwhile.
    retryStrategy: reconnectDelay,
    // RedisBackend's commands wait in ConnectionGate (bounded) and reach ioredis only when connected, so
    // ioredis's own offline queue, which would send a command after its caller was told it failed, only
    // serves direct users of the client (the credential throttle, start-up checks). It is bounded too:
    // each entry by commandTimeout, and the whole queue is failed whenever a connection attempt fails
    // (maxRetriesPerRequest 0).
    enableOfflineQueue: true,
    // Commands in flight when the connection drops fail at once instead of being retried on the next
    // connection (ioredis's default retries 20 times, about 20 s): a write answered 503 must not happen later.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // After a failover the old primary may still hold our connection as a replica: writes answer
    // READONLY. Reconnecting asks Sentinel for the new primary.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    enableAutoPipelining: true,
    lazyConnect: false,
  };
}

/**
 * A client for `url`; with `sentinel`, the primary is found through Sentinel
 * (and found again after a failover) while `url` gives credentials, database and TLS.
 */
export function connectRedis(url: string, timeouts: RedisTimeouts = DEFAULT_REDIS_TIMEOUTS, sentinel?: SentinelSettings): Redis {
  const options = redisOptions(timeouts);
  if (!sentinel) return new Redis(url, options);
  return new Redis(url, {
    ...options,
    sentinels: sentinel.sentinels,
    name: sentinel.name,
    sentinelPassword: sentinel.password,
    // Sentinels answer or not like any server: the same connect timeout, retried with the same back-off.
    sentinelRetryStrategy: reconnectDelay,
    enableTLSForSentinelMode: url.startsWith('rediss:'),
  });
}
