/**
 * Errors with stable codes. Logs and HTTP answers carry the code, never the
 * internals; where a customer sees the outcome, `i18nKey` names the sentence.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONTENT_INVALID'
  | 'STORAGE_ETAG_CONFLICT'
  | 'TURN_LOCK_TIMEOUT'
  | 'TURN_FAILED'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'TOKEN_EXPIRED'
  | 'CONVERSATION_NOT_FOUND'
  | 'WECHAT_SIGNATURE_INVALID'
  | 'WECHAT_TIMESTAMP_STALE'
  | 'WECHAT_XML_INVALID'
  | 'CHANNEL_WINDOW_CLOSED'
  | 'CHANNEL_QUOTA_EXCEEDED'
  | 'CHANNEL_RATE_LIMITED'
  | 'CHANNEL_TOKEN_INVALID'
  | 'CHANNEL_API_ERROR'
  | 'CHANNEL_NOBODY_ON_DUTY'
  | 'STATE_CONFLICT'
  | 'STALE_VERSION'
  | 'NOTHING_CHANGED'
  | 'ALREADY_MERGED'
  | 'TICKET_NOT_FOUND'
  | 'TICKET_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'STORE_NOT_PERSISTENT'
  | 'WECHAT_REPLAYED'
  | 'WECHAT_PLAINTEXT_REFUSED'
  | 'TOO_MANY_STREAMS';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly httpStatus = 500,
    readonly i18nKey?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'INTERNAL';
}
