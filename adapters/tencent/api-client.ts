/**
 * The HTTP API both Tencent platforms share in shape (the WeChat Official
 * Account and WeCom): an access_token shared by every instance through Redis —
 * one refresher at a time under a lock, because each refresh may invalidate the
 * previous token ("获取 Access token" doc; PROTOCOLS.md) — and JSON POSTs with
 * one retry after a token error and back-off while the platform is busy. Each
 * platform gives its token URL and its own error mapping.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';

export interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

export interface TencentApiOptions {
  baseUrl: string;
  /** Path and query that issue a token (with the credentials in it). */
  tokenPath: string;
  /** Whose token it is, for the shared cache: the channel and the account (app id, or corp id and secret's use). */
  channel: string;
  account: string;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  /** The platform's error code as one of ours. */
  mapError: (errcode: number, errmsg?: string) => AppError;
  /** Attempts on "system busy" / rate-limit answers before giving up. */
  maxAttempts?: number;
  /** How long one API call may take before it counts as failed (a hanging platform must not hold a turn). */
  timeoutMs?: number;
}

export const TOKEN_ERRORS = new Set([40001, 40014, 42001]); // invalid, not latest, expired
export const BUSY_ERRORS = new Set([-1, 45009, 45011, 45033]); // system busy, quota per minute, frequency, concurrency

export class TencentApiClient {
  constructor(protected readonly options: TencentApiOptions) {}

  private get tokenKey(): string {
    return this.options.keys.channelToken(this.options.channel, this.options.account);
  }

  /** The shared token; refreshes only when none is cached, or when `stale` is still the cached one. */
  async accessToken(stale?: string): Promise<string> {
    const { backend, keys, channel, account } = this.options;
    const cached = await backend.get(this.tokenKey);
    if (cached && cached !== stale) return cached;
    const lockKey = keys.channelTokenLock(channel, account);
    const owner = randomUUID();
    if (await backend.set(lockKey, owner, { ttlMs: 10_000, onlyIfAbsent: true })) {
      try {
        const again = await backend.get(this.tokenKey);
        if (again && again !== stale) return again;
        return await this.fetchToken();
      } finally {
        await backend.deleteIfEquals(lockKey, owner);
      }
    }
    // Another instance is refreshing: wait for its result rather than invalidating it.
    for (let i = 0; i < 100; i++) {
      await sleep(50);
      const fresh = await backend.get(this.tokenKey);
      if (fresh && fresh !== stale) return fresh;
    }
    throw new AppError('CHANNEL_TOKEN_INVALID', 'timed out waiting for another instance to refresh the access_token', 503);
  }

  private async fetchToken(): Promise<string> {
    const answer = (await this.fetchJson(`${this.options.baseUrl}${this.options.tokenPath}`)) as ApiAnswer & { access_token?: string; expires_in?: number };
    if (!answer.access_token) throw this.options.mapError(answer.errcode ?? -2, answer.errmsg);
    // Refresh five minutes early: the old token stays valid for about that long after a new one is issued.
    const ttlMs = Math.max(60, (answer.expires_in ?? 7200) - 300) * 1000;
    await this.options.backend.set(this.tokenKey, answer.access_token, { ttlMs });
    this.options.logger.info({ channel: this.options.channel }, 'access_token refreshed');
    return answer.access_token;
  }

  /** GET or POST with a time limit; a network failure or timeout is "system busy" (-1), so it is retried like one. */
  private async fetchJson(url: string, body?: unknown): Promise<ApiAnswer> {
    try {
      const res = await fetch(url, {
        ...(body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      return (await res.json().catch(() => ({ errcode: -2, errmsg: `HTTP ${res.status}` }))) as ApiAnswer;
    } catch (error) {
      return { errcode: -1, errmsg: error instanceof Error ? error.name : 'network error' };
    }
  }

  /** POSTs to the API with the shared token; one retry after a token error, back-off when busy. */
  async post(path: string, body: unknown): Promise<ApiAnswer> {
    const attempts = this.options.maxAttempts ?? 3;
    let token = await this.accessToken();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.fetchJson(`${this.options.baseUrl}${path}?access_token=${encodeURIComponent(token)}`, body);
      const code = answer.errcode ?? 0;
      if (code === 0) return answer;
      if (TOKEN_ERRORS.has(code) && !refreshed) {
        refreshed = true;
        token = await this.accessToken(token);
        continue;
      }
      if (BUSY_ERRORS.has(code) && attempt < attempts) {
        await sleep(200 * 2 ** (attempt - 1) * (0.5 + Math.random()));
        continue;
      }
      throw this.options.mapError(code, answer.errmsg);
    }
  }
}
