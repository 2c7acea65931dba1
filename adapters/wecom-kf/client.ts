/**
 * WeCom's customer-service API (微信客服, PROTOCOLS.md): pulling messages
 * (kf/sync_msg), replying (kf/send_msg, send_msg_on_event) and the session
 * state (service_state/get, /trans), on the shared Tencent client — one token
 * for the kf secret, shared by every instance through Redis.
 */
import { AppError } from '../../bot/errors';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { BUSY_ERRORS, TencentApiClient, TOKEN_ERRORS } from '../tencent/api-client';
import { syncAnswerSchema, type SyncAnswer } from './messages';

export const WECOM_KF_CHANNEL = 'wecom-kf';

/** Session states (service_state): 0 new, 1 the bot, 2 waiting pool, 3 a human servicer, 4 ended. */
export const KfState = { New: 0, Bot: 1, Pool: 2, Servicer: 3, Ended: 4 } as const;

export function mapWeComError(errcode: number, errmsg = ''): AppError {
  // 95001: the messages allowed since the customer last wrote are used up.
  if (errcode === 95001) return new AppError('CHANNEL_QUOTA_EXCEEDED', 'kf message limit reached', 429);
  // 95018: the session is not the bot's (a servicer holds it, or it is waiting for one): the API may not send.
  if (errcode === 95018) return new AppError('CHANNEL_WINDOW_CLOSED', 'the kf session is not in a state the API may send in', 409);
  if (errcode === 95014) return new AppError('CHANNEL_NOBODY_ON_DUTY', 'the servicer is not on duty', 409);
  if (BUSY_ERRORS.has(errcode)) return new AppError('CHANNEL_RATE_LIMITED', `WeCom is busy (${errcode})`, 503);
  if (TOKEN_ERRORS.has(errcode)) return new AppError('CHANNEL_TOKEN_INVALID', `access_token rejected (${errcode})`, 502);
  return new AppError('CHANNEL_API_ERROR', `WeCom error ${errcode} ${errmsg}`.trim(), 502);
}

export interface KfClientOptions {
  baseUrl: string;
  corpId: string;
  secret: string;
  backend: StateBackend;
  keys: Keys;
  logger: Logger;
  maxAttempts?: number;
  timeoutMs?: number;
}

/** A message body for send_msg / send_msg_on_event: text, or a menu of choices. */
export type KfMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content?: string; list: Array<{ type: 'click'; click: { id: string; content: string } }>; tail_content?: string } };

export class WeComKfClient extends TencentApiClient {
  constructor(options: KfClientOptions) {
    const { corpId, secret } = options;
    super({
      ...options,
      channel: WECOM_KF_CHANNEL,
      account: corpId,
      tokenPath: `/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`,
      mapError: mapWeComError,
    });
  }

  /** One page of messages after `cursor` (the callback's token raises the rate the platform allows). */
  async syncMsg(openKfId: string, cursor: string | undefined, token: string | undefined, limit = 1000): Promise<SyncAnswer> {
    const answer = await this.post('/cgi-bin/kf/sync_msg', { open_kfid: openKfId, limit, voice_format: 0, ...(cursor ? { cursor } : {}), ...(token ? { token } : {}) });
    const parsed = syncAnswerSchema.safeParse(answer);
    if (!parsed.success) throw new AppError('CHANNEL_API_ERROR', `sync_msg answer malformed: ${parsed.error.issues[0]?.path.join('.')}`, 502);
    return parsed.data;
  }

  /** A reply; `msgid` (ours, ≤ 32 characters) makes a retry of the same send a no-op on the platform. */
  sendMsg(openKfId: string, externalUserId: string, message: KfMessage, msgid?: string): Promise<unknown> {
    return this.post('/cgi-bin/kf/send_msg', { touser: externalUserId, open_kfid: openKfId, ...(msgid ? { msgid } : {}), ...message });
  }

  /** The one message an event code allows (the welcome on entering, the words when a session moves). */
  sendOnEvent(code: string, message: KfMessage, msgid?: string): Promise<unknown> {
    return this.post('/cgi-bin/kf/send_msg_on_event', { code, ...(msgid ? { msgid } : {}), ...message });
  }

  async serviceState(openKfId: string, externalUserId: string): Promise<{ state: number; servicer?: string }> {
    const answer = await this.post('/cgi-bin/kf/service_state/get', { open_kfid: openKfId, external_userid: externalUserId });
    return { state: Number(answer.service_state ?? 0), ...(typeof answer.servicer_userid === 'string' && answer.servicer_userid ? { servicer: answer.servicer_userid } : {}) };
  }

  /** Moves the session (to the pool, or to a named servicer); the answer's msg_code allows one message about it. */
  async transfer(openKfId: string, externalUserId: string, state: number, servicer?: string): Promise<string | undefined> {
    const answer = await this.post('/cgi-bin/kf/service_state/trans', { open_kfid: openKfId, external_userid: externalUserId, service_state: state, ...(servicer ? { servicer_userid: servicer } : {}) });
    return typeof answer.msg_code === 'string' ? answer.msg_code : undefined;
  }
}
