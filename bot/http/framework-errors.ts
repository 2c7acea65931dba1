/**
 * Errors that never reach one of our route handlers, answered in the same
 * `{error: {code, message}}` shape as everything else: restify's own (unknown
 * route 404, wrong method 405 with Allow, anything a plugin refuses) and
 * Node's (a request line or headers that are not HTTP at all).
 */
import type { Socket } from 'node:net';
import type { Server } from 'restify';
import type { Logger } from '../log';

interface RestifyError extends Error {
  statusCode?: number;
}

/** Our stable code for a status restify chose. */
function codeFor(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL';
  return 'BAD_REQUEST';
}

const MESSAGES: Record<string, string> = {
  NOT_FOUND: 'No such endpoint',
  METHOD_NOT_ALLOWED: 'Method not allowed here',
  INTERNAL: 'Internal error',
};

export function answerFrameworkErrorsAsJson(server: Server, logger: Logger): void {
  // 'restifyError' fires for every error restify itself would answer (NotFound, MethodNotAllowed, plugin errors).
  server.on('restifyError', (_req, res, err: RestifyError, done: () => void) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    const code = codeFor(status);
    if (status >= 500) logger.error({ err, code }, 'request failed in the framework');
    else logger.debug({ code, status }, 'request refused by the framework');
    if (!res.headersSent) {
      // A message we chose: restify's would echo the path back.
      const body = JSON.stringify({ error: { code, message: MESSAGES[code] ?? (status >= 500 ? 'Internal error' : 'Bad request') } });
      const allow = res.getHeader('Allow');
      res.sendRaw(status, body, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...(allow ? { Allow: String(allow) } : {}),
      });
    }
    done();
  });

  // Malformed HTTP (a bad request line, headers too large, a timeout): Node would answer a bare 400 and close.
  server.server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'Malformed HTTP request' } });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `Connection: close\r\nContent-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
