/**
 * WeCom's error codes as ours, for every WeCom API the bot calls (customer service and the internal
 * application): PROTOCOLS.md § WeCom customer service.
 */
import { AppError } from '../../bot/errors';
import { BUSY_ERRORS, TOKEN_ERRORS } from './api-client';

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
