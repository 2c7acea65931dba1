/**
 * Every failure of the store becomes one error: STORE_UNAVAILABLE, HTTP 503,
 * with a Retry-After hint. ioredis errors carry the command and its arguments
 * (a phone number in a transcript line, a ticket's JSON), so they are never
 * passed on, not even as `cause`: only a short reason made of Redis's own error
 * code ("OOM", "MISCONF", …) or the client's state ("timeout", "disconnected").
 */
import { AppError } from '../errors';

/**
 * What a 503 tells clients: try again in a few seconds. The client reconnects
 * at least every 2 s and fails a request within about a second, so 5 s is
 * enough for a short blip to pass without inviting a retry storm.
 */
export const STORE_RETRY_AFTER_SECONDS = 5;

export type StoreFailure = 'timeout' | 'disconnected' | 'closed' | string;

export class StoreUnavailableError extends AppError {
  readonly retryAfterSeconds = STORE_RETRY_AFTER_SECONDS;
  constructor(readonly reason: StoreFailure) {
    super('STORE_UNAVAILABLE', 'The service is briefly unavailable; please try again in a few seconds', 503);
    this.name = 'StoreUnavailableError';
  }
}

/** The reason without any part of the command: a Redis error code, or the client's state. */
export function failureReason(error: unknown): StoreFailure {
  if (error instanceof StoreUnavailableError) return error.reason;
  if (!(error instanceof Error)) return 'unknown';
  if (error.message === 'Command timed out') return 'timeout';
  if (error.name === 'MaxRetriesPerRequestError' || /Connection is closed|Stream isn't writeable|ECONN|EPIPE|socket/i.test(error.message)) {
    return 'disconnected';
  }
  if (error.name === 'ReplyError') {
    // Redis error replies start with an upper-case code: OOM, MISCONF, READONLY, LOADING, NOSCRIPT, WRONGTYPE, ERR …
    const code = /^([A-Z][A-Z_-]{1,31})\b/.exec(error.message)?.[1];
    return code ?? 'reply';
  }
  return 'error';
}

export function toStoreError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new StoreUnavailableError(failureReason(error));
}
