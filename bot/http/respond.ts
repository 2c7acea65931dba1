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
    ...headers,
  });
  res.end(payload);
}

/** Answers an error. AppErrors say what was wrong; anything else is a 500 with no internals. */
export function sendError(res: ServerResponse, error: unknown, logger: Logger, route: string): void {
  if (error instanceof AppError) {
    if (error.httpStatus >= 500) logger.error({ code: error.code, route }, 'request failed');
    else logger.info({ code: error.code, route, status: error.httpStatus }, 'request refused');
    if (!res.headersSent) sendJson(res, error.httpStatus, { error: { code: error.code, message: error.message } });
    return;
  }
  logger.error({ err: error, route }, 'request failed unexpectedly');
  if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
}
