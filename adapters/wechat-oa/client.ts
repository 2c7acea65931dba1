/**
 * The WeChat Official Account HTTP API: customer-service messages and template
 * messages, its error codes mapped to ours. The shared access_token, the retry
 * after a token error and the back-off are `../tencent/api-client.ts`.
 */
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { BUSY_ERRORS, TencentApiClient, TOKEN_ERRORS, type ApiAnswer } from '../tencent/api-client';
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

export function mapWeChatError(errcode: number, errmsg = ''): AppError {
  if (errcode === 45015) return new AppError('CHANNEL_WINDOW_CLOSED', 'outside the 48-hour customer-service window', 409);
  if (errcode === 45047) return new AppError('CHANNEL_QUOTA_EXCEEDED', 'too many messages since the customer last wrote', 429);
  if (BUSY_ERRORS.has(errcode)) return new AppError('CHANNEL_RATE_LIMITED', `WeChat is busy (${errcode})`, 503);
  if (TOKEN_ERRORS.has(errcode)) return new AppError('CHANNEL_TOKEN_INVALID', `access_token rejected (${errcode})`, 502);
  return new AppError('CHANNEL_API_ERROR', `WeChat error ${errcode} ${errmsg}`.trim(), 502);
}

/** The Official Account's API: its token URL and error codes on the shared client, and the two sends it makes. */
export class WeChatApiClient extends TencentApiClient {
  constructor(options: WeChatApiOptions) {
    const { appId, secret } = options;
    super({
      ...options,
      channel: WECHAT_OA_CHANNEL,
      account: appId,
      tokenPath: `/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(secret)}`,
      mapError: mapWeChatError,
    });
  }

  sendText(openId: string, content: string): Promise<ApiAnswer> {
    return this.post('/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content } });
  }

  sendTemplate(openId: string, templateId: string, data: Record<string, { value: string }>, url?: string): Promise<ApiAnswer> {
    return this.post('/cgi-bin/message/template/send', { touser: openId, template_id: templateId, url, data });
  }
}
