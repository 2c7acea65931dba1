/**
 * Tells "the store is unavailable" apart from every other failure, so the
 * WeChat callback can ask the customer to resend instead of letting WeChat
 * show its error page. The store reports its faults as AppError
 * STORE_UNAVAILABLE; a raw ioredis error (connection refused or closed,
 * retries or time used up, Redis refusing writes) means the same.
 */
import { AppError } from '../../bot/errors';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const IOREDIS_MESSAGES = /^(Connection is closed|Command timed out|Stream isn't writeable|Reached the max retries per request limit)/;
/** Redis error replies that mean "cannot serve now", not "bad command". */
const UNAVAILABLE_REPLIES = /^(OOM|MISCONF|READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|BUSY)\b/;

export function isStoreFault(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (error instanceof AppError && error.code === 'STORE_UNAVAILABLE') return true;
  if (!(error instanceof AppError)) {
    if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
    const code = (error as NodeJS.ErrnoException).code;
    if (code && NETWORK_CODES.has(code)) return true;
    if (IOREDIS_MESSAGES.test(error.message)) return true;
    if (error.name === 'ReplyError' && UNAVAILABLE_REPLIES.test(error.message)) return true;
  }
  return isStoreFault(error.cause, depth + 1);
}

/** What kind of fault it was, for the log: a code or an error class name, never the message (it may carry command arguments). */
export function faultKind(error: unknown): string {
  if (error instanceof AppError) {
    // The store's own error says why in words made for logs ("timeout", "disconnected", "OOM").
    const reason = (error as { reason?: unknown }).reason;
    return typeof reason === 'string' ? `${error.code}:${reason}` : error.code;
  }
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return 'unknown';
}
