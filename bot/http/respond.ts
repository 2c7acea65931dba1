/** Uniform HTTP answers: JSON bodies, and errors as `{error: {code, message}}` (Direct Line's shape). */
import type { ServerResponse } from 'node:http';
import { AppError } from '../errors';
import type { Logger } from '../log';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

/** A 503 without a hint of its own tells the client to come back after this many seconds. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Retry-After (seconds) for an error: its own `retryAfterSeconds` (STORE_UNAVAILABLE
 * carries one), else the default for any 503 (RFC 9110 §10.2.3).
 */
export function retryAfterOf(error: AppError): number | undefined {
  const own = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof own === 'number' && Number.isFinite(own) && own > 0) return Math.ceil(own);
  return error.httpStatus === 503 ? DEFAULT_RETRY_AFTER_SECONDS : undefined;
}

/** Answers an error. AppErrors say what was wrong; anything else is a 500 with no internals. */
export function sendError(res: ServerResponse, error: unknown, logger: Logger, route: string): void {
  if (error instanceof AppError) {
    // `reason` (STORE_UNAVAILABLE: "timeout", "OOM", …) says why without any of the failed command's arguments.
    const reason = (error as { reason?: unknown }).reason;
    if (error.httpStatus >= 500) logger.error({ code: error.code, route, ...(typeof reason === 'string' ? { reason } : {}) }, 'request failed');
    else logger.info({ code: error.code, route, status: error.httpStatus }, 'request refused');
    const retryAfter = retryAfterOf(error);
    const headers: Record<string, string> = retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
    if (!res.headersSent) sendJson(res, error.httpStatus, { error: { code: error.code, message: error.message } }, headers);
    return;
  }
  logger.error({ err: error, route }, 'request failed unexpectedly');
  if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
}
