/**
 * WeCom's customer-service API (微信客服, PROTOCOLS.md): pulling messages
 * (kf/sync_msg), replying (kf/send_msg, send_msg_on_event) and the session
 * state (service_state/get, /trans), on the shared Tencent client — one token
 * for the kf secret, shared by every instance through Redis.
 */
import { AppError } from '../../bot/errors';
import { mapWeComError } from '../tencent/wecom-errors';
import type { Logger } from '../../bot/log';
import type { StateBackend } from '../../bot/store/backend';
import type { Keys } from '../../bot/store/keys';
import { TencentApiClient } from '../tencent/api-client';
import { syncAnswerSchema, type SyncAnswer } from './messages';

export const WECOM_KF_CHANNEL = 'wecom-kf';

/** Session states (service_state): 0 new, 1 the bot, 2 waiting pool, 3 a human servicer, 4 ended. */
export const KfState = { New: 0, Bot: 1, Pool: 2, Servicer: 3, Ended: 4 } as const;

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
