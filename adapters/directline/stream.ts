/**
 * The Direct Line WebSocket stream: frames of `{activities, watermark}`, sent
 * from the requested watermark on, then whenever the conversation changes (on
 * any instance: the change arrives by Redis pub/sub). An empty frame is a keep-alive.
 *
 * Hostile input never reaches an uncaught exception: the raw socket has an
 * error listener from the moment the upgrade arrives, every WebSocket and the
 * server have one, and a bad frame (too large, invalid UTF-8, unmasked, unknown
 * opcode) closes only that socket with the close code RFC 6455 names (1009,
 * 1007, 1002), logged by code without personal data. Streams are bounded per
 * conversation and per client address (stream-registry.ts); wrong credentials
 * are throttled as on REST.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../bot/log';
import { AppError } from '../../bot/errors';
import { retryAfterOf } from '../../bot/http/respond';
import { limitKey, truncatedAddress } from '../../bot/http/client-address';
import { authoriseConversation, type DirectLineAuth } from './auth';
import type { ConversationHistory } from './history';
import { StreamRegistry } from './stream-registry';
import { parseWatermark } from './watermark';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const KEEP_ALIVE_MS = 20_000;

export interface StreamDeps {
  auth: DirectLineAuth;
  history: ConversationHistory;
  logger: Logger;
  /** The client's address, as for REST (bot/http/client-address.ts). */
  addressOf: (req: IncomingMessage) => string;
  /** Largest frame a client may send; clients only send keep-alives, activities go by POST. */
  maxPayloadBytes: number;
  streamsPerConversation: number;
  streamsPerAddress: number;
  keepAliveMs?: number;
}

export class DirectLineStreams {
  private readonly wss: WebSocketServer;
  private readonly registry: StreamRegistry;

  constructor(private readonly deps: StreamDeps) {
    // No permessage-deflate: a compressed frame could inflate far past maxPayload in memory before it is checked.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayloadBytes, perMessageDeflate: false });
    this.wss.on('error', (error: Error & { code?: string }) => deps.logger.warn({ code: error.code ?? 'WS_SERVER_ERROR' }, 'stream server error'));
    this.registry = new StreamRegistry({ perConversation: deps.streamsPerConversation, perAddress: deps.streamsPerAddress });
  }

  attach(server: HttpServer): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node removes its own error listener from a socket it hands over for an upgrade: without this one a client
      // that resets the connection while we authenticate would raise an uncaught ECONNRESET.
      socket.on('error', onRawSocketError);
      this.upgrade(req, socket, head).catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'stream upgrade failed');
        refuse(socket, 500, 'INTERNAL');
      });
    });
  }

  get openStreams(): number {
    return this.wss.clients.size;
  }

  /** Asks every client to go (they reconnect elsewhere), and cuts those that do not answer within a second. */
  closeAll(): void {
    for (const ws of this.wss.clients) {
      ws.close(1001, 'server shutting down');
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'NOT_FOUND');
    let conversationId: string;
    let watermark: number;
    try {
      conversationId = decodeURIComponent(match[1] ?? '');
      watermark = parseWatermark(url.searchParams.get('watermark') ?? undefined);
    } catch {
      return refuse(socket, 400, 'BAD_REQUEST');
    }
    try {
      const caller = await this.deps.auth.authenticateRequest(req, url.searchParams.get('t') ?? undefined, 'stream');
      authoriseConversation(caller, conversationId);
      if (!(await this.deps.history.get(conversationId))) throw new AppError('CONVERSATION_NOT_FOUND', 'Unknown conversation', 404);
    } catch (error) {
      const status = error instanceof AppError ? error.httpStatus : 500;
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      // A known fault (the store is down) is one line with its reason, as on the REST routes; only the unknown gets a stack.
      const reason = (error as { reason?: unknown }).reason;
      if (!(error instanceof AppError)) this.deps.logger.error({ err: error }, 'stream refused');
      else if (status >= 500) this.deps.logger.error({ code, ...(typeof reason === 'string' ? { reason } : {}) }, 'stream refused');
      else this.deps.logger.info({ code }, 'stream refused');
      return refuse(socket, status, code, error instanceof AppError ? retryAfterOf(error) : undefined);
    }
    if (!socket.writable) return; // the client left while we checked
    const address = this.deps.addressOf(req);
    const addressKey = limitKey(address);
    // Checked and taken with no await in between (handleUpgrade calls back synchronously), so the bound holds.
    if (!this.registry.addressHasRoom(addressKey)) {
      this.deps.logger.warn({ code: 'TOO_MANY_STREAMS', client: truncatedAddress(address) }, 'stream refused');
      return refuse(socket, 429, 'TOO_MANY_STREAMS');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onRawSocketError); // ws has its own listener on the socket from here on
      for (const old of this.registry.add(ws, conversationId, addressKey)) {
        old.close(1008, 'replaced by a newer stream');
        setTimeout(() => old.terminate(), 1000).unref();
      }
      ws.once('close', () => this.registry.remove(ws, conversationId, addressKey));
      void this.serve(ws, conversationId, watermark);
    });
  }

  private async serve(ws: WebSocket, conversationId: string, from: number): Promise<void> {
    // A frame the receiver refuses: ws has already closed the socket with the right code; say which, nothing more.
    ws.on('error', (error: Error & { code?: string }) => {
      this.deps.logger.info({ code: error.code ?? 'WS_ERROR' }, 'stream frame refused');
    });
    let sent = from;
    let pumping = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          const set = await this.deps.history.since(conversationId, sent);
          if (set.activities.length > 0 && ws.readyState === ws.OPEN) {
            ws.send(JSON.stringify(set));
            sent = Number(set.watermark);
          }
        } while (again);
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'stream pump failed');
      } finally {
        pumping = false;
      }
    };
    // Liveness: a client that answered no ping during a whole keep-alive period is gone (a half-open socket).
    let alive = true;
    ws.on('pong', () => (alive = true));
    ws.on('message', () => (alive = true)); // clients ping with empty frames; nothing else to do
    const keepAlive = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      if (ws.readyState !== ws.OPEN) return;
      ws.ping();
      ws.send('');
    }, this.deps.keepAliveMs ?? KEEP_ALIVE_MS);
    let unsubscribe: (() => Promise<void>) | undefined;
    let closed = false;
    ws.once('close', () => {
      closed = true;
      clearInterval(keepAlive);
      void unsubscribe?.().catch(() => undefined);
    });
    try {
      // Subscribe before the first read so nothing appended in between is missed.
      const off = await this.deps.history.onChange(conversationId, () => void pump());
      if (closed) return void off().catch(() => undefined);
      unsubscribe = off;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'stream subscribe failed');
      return ws.close(1011, 'try again');
    }
    await pump();
  }
}

function onRawSocketError(): void {
  // ECONNRESET and the like from a client that left mid-upgrade: the socket is destroyed; nothing to report.
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** Answers an upgrade we will not make, in the JSON error shape of the REST endpoints. */
function refuse(socket: Duplex, status: number, code: string, retryAfterSeconds?: number): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: { code, message: REASONS[status] ?? 'Refused' } });
  const retry = retryAfterSeconds !== undefined ? `Retry-After: ${retryAfterSeconds}\r\n` : '';
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `X-Content-Type-Options: nosniff\r\n${retry}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
