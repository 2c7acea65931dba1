/**
 * The WeChat Official Account HTTP API: access_token shared by every instance
 * through Redis (one refresher at a time under a lock, because each refresh
 * invalidates the previous token — "获取 Access token" doc), customer-service
 * messages, template messages; platform error codes mapped to ours, with one
 * retry after a token error and back-off on rate limits.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { WECHAT_OA_CHANNEL } from './parse';

export interface WeChatApiOptions {
  baseUrl: string;
  appId: string;
  secret: string;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  /** Attempts on "system busy" / rate-limit answers before giving up. */
  maxAttempts?: number;
}

interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

const TOKEN_ERRORS = new Set([40001, 40014, 42001]); // invalid, not latest, expired
const BUSY_ERRORS = new Set([-1, 45009, 45011]); // system busy, API quota per minute, API frequency

export function mapWeChatError(errcode: number, errmsg = ''): AppError {
  if (errcode === 45015) return new AppError('CHANNEL_WINDOW_CLOSED', 'outside the 48-hour customer-service window', 409);
  if (errcode === 45047) return new AppError('CHANNEL_QUOTA_EXCEEDED', 'too many messages since the customer last wrote', 429);
  if (BUSY_ERRORS.has(errcode)) return new AppError('CHANNEL_RATE_LIMITED', `WeChat is busy (${errcode})`, 503);
  if (TOKEN_ERRORS.has(errcode)) return new AppError('CHANNEL_TOKEN_INVALID', `access_token rejected (${errcode})`, 502);
  return new AppError('CHANNEL_API_ERROR', `WeChat error ${errcode} ${errmsg}`.trim(), 502);
}

export class WeChatApiClient {
  constructor(private readonly options: WeChatApiOptions) {}

  private get tokenKey(): string {
    return this.options.keys.channelToken(WECHAT_OA_CHANNEL, this.options.appId);
  }

  /** The shared token; refreshes only when none is cached, or when `stale` is still the cached one. */
  async accessToken(stale?: string): Promise<string> {
    const { backend, keys, appId } = this.options;
    const cached = await backend.get(this.tokenKey);
    if (cached && cached !== stale) return cached;
    const lockKey = keys.channelTokenLock(WECHAT_OA_CHANNEL, appId);
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
    const { baseUrl, appId, secret } = this.options;
    const url = `${baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(secret)}`;
    const answer = (await (await fetch(url)).json()) as ApiAnswer & { access_token?: string; expires_in?: number };
    if (!answer.access_token) throw mapWeChatError(answer.errcode ?? -2, answer.errmsg);
    // Refresh five minutes early: WeChat keeps the old token valid for about that long after a new one is issued.
    const ttlMs = Math.max(60, (answer.expires_in ?? 7200) - 300) * 1000;
    await this.options.backend.set(this.tokenKey, answer.access_token, { ttlMs });
    this.options.logger.info({ channel: WECHAT_OA_CHANNEL }, 'access_token refreshed');
    return answer.access_token;
  }

  /** POSTs to the API with the shared token; one retry after a token error, back-off when busy. */
  async post(path: string, body: unknown): Promise<ApiAnswer> {
    const attempts = this.options.maxAttempts ?? 3;
    let token = await this.accessToken();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.options.baseUrl}${path}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json().catch(() => ({ errcode: -2, errmsg: `HTTP ${res.status}` }))) as ApiAnswer;
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
      throw mapWeChatError(code, answer.errmsg);
    }
  }

  sendText(openId: string, content: string): Promise<ApiAnswer> {
    return this.post('/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content } });
  }

  sendTemplate(openId: string, templateId: string, data: Record<string, { value: string }>, url?: string): Promise<ApiAnswer> {
    return this.post('/cgi-bin/message/template/send', { touser: openId, template_id: templateId, url, data });
  }
}
