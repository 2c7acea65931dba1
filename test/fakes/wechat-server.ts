/**
 * A fake WeChat API server on loopback, speaking the real protocol:
 * GET /cgi-bin/token (tokens expire; a new one invalidates the previous after
 * an overlap, as the platform does), POST /cgi-bin/message/custom/send and
 * /cgi-bin/message/template/send (recorded), with error and latency injection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface SentMessage {
  path: string;
  token: string;
  body: any;
  at: number;
}

/** Every send request the fake answered, successful or not, in order. */
export interface SendAttempt {
  path: string;
  at: number;
  errcode: number;
}

export class FakeWeChatServer {
  readonly sent: SentMessage[] = [];
  readonly attempts: SendAttempt[] = [];
  tokensIssued = 0;
  /**
   * Errors to answer the next sends with, in order (e.g. [40001] or [45015]),
   * after the token check: an injected 40001/42001 is a token the platform
   * rejects although it believes it issued it.
   */
  readonly failNextSends: number[] = [];
  latencyMs = 0;
  tokenLifetimeSeconds = 7200;
  private validTokens = new Map<string, number>(); // token → expires at (ms)
  private server: Server | undefined;
  url = '';

  constructor(
    readonly appId: string,
    readonly secret: string,
  ) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        setTimeout(() => this.answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x'), body, (status, json) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(json));
        }), this.latencyMs);
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Makes every current token invalid (as when another party refreshed it). */
  invalidateTokens(): void {
    this.validTokens.clear();
  }

  /** Forgets what was sent and any errors still waiting to be answered. */
  reset(): void {
    this.sent.length = 0;
    this.attempts.length = 0;
    this.failNextSends.length = 0;
  }

  texts(): string[] {
    return this.sent.filter((m) => m.body.msgtype === 'text').map((m) => m.body.text.content as string);
  }

  private answer(method: string, url: URL, body: string, reply: (status: number, json: unknown) => void): void {
    if (method === 'GET' && url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('appid') !== this.appId || url.searchParams.get('secret') !== this.secret) {
        return reply(200, { errcode: 40013, errmsg: 'invalid appid' });
      }
      this.tokensIssued++;
      const token = randomBytes(16).toString('hex');
      // A new token invalidates older ones (after an overlap we do not model here).
      this.validTokens = new Map([[token, Date.now() + this.tokenLifetimeSeconds * 1000]]);
      return reply(200, { access_token: token, expires_in: this.tokenLifetimeSeconds });
    }
    if (method === 'POST' && (url.pathname === '/cgi-bin/message/custom/send' || url.pathname === '/cgi-bin/message/template/send')) {
      const token = url.searchParams.get('access_token') ?? '';
      const expires = this.validTokens.get(token);
      const fail = (errcode: number, errmsg: string) => {
        this.attempts.push({ path: url.pathname, at: Date.now(), errcode });
        reply(200, { errcode, errmsg });
      };
      if (!expires) return fail(40001, 'invalid credential, access_token is invalid or not latest');
      if (expires < Date.now()) return fail(42001, 'access_token expired');
      const injected = this.failNextSends.shift();
      if (injected !== undefined) return fail(injected, 'injected');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return fail(47001, 'data format error');
      }
      this.attempts.push({ path: url.pathname, at: Date.now(), errcode: 0 });
      this.sent.push({ path: url.pathname, token, body: parsed, at: Date.now() });
      return reply(200, url.pathname.endsWith('template/send') ? { errcode: 0, errmsg: 'ok', msgid: this.sent.length } : { errcode: 0, errmsg: 'ok' });
    }
    reply(404, { errcode: 404, errmsg: 'not found' });
  }
}
