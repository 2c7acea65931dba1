/**
 * The Direct Line WebSocket stream: frames of `{activities, watermark}`, sent
 * from the requested watermark on, then whenever the conversation changes (on
 * any instance: the change arrives by Redis pub/sub). An empty frame is a keep-alive.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../bot/log';
import { AppError } from '../../bot/errors';
import { authenticate, authoriseConversation } from './auth';
import type { ConversationHistory } from './history';
import type { DirectLineTokens } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const KEEP_ALIVE_MS = 20_000;

export interface StreamDeps {
  tokens: DirectLineTokens;
  history: ConversationHistory;
  logger: Logger;
}

export class DirectLineStreams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  constructor(private readonly deps: StreamDeps) {}

  attach(server: HttpServer): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head);
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
    if (!match) return refuse(socket, 404, 'Not Found');
    const conversationId = decodeURIComponent(match[1] ?? '');
    try {
      const caller = authenticate(this.deps.tokens, url.searchParams.get('t') ?? undefined);
      authoriseConversation(caller, conversationId);
      if (!(await this.deps.history.get(conversationId))) throw new AppError('CONVERSATION_NOT_FOUND', 'Unknown conversation', 404);
    } catch (error) {
      const status = error instanceof AppError ? error.httpStatus : 500;
      this.deps.logger.info({ code: error instanceof AppError ? error.code : 'INTERNAL' }, 'stream refused');
      return refuse(socket, status, status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : 'Forbidden');
    }
    const watermark = Math.max(0, Number(url.searchParams.get('watermark') ?? 0) || 0);
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.serve(ws, conversationId, watermark));
  }

  private async serve(ws: WebSocket, conversationId: string, from: number): Promise<void> {
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
    // Subscribe before the first read so nothing appended in between is missed.
    const unsubscribe = await this.deps.history.onChange(conversationId, () => void pump());
    const keepAlive = setInterval(() => ws.readyState === ws.OPEN && ws.send(''), KEEP_ALIVE_MS);
    ws.on('close', () => {
      clearInterval(keepAlive);
      void unsubscribe();
    });
    ws.on('message', () => undefined); // clients ping with empty frames; nothing to do
    await pump();
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
