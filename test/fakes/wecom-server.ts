/**
 * A fake WeCom API server on loopback, speaking the real protocol (PROTOCOLS.md
 * § WeCom customer service): gettoken (one token per secret), kf/sync_msg
 * paging by cursor over what customers wrote, kf/send_msg with its rules (only
 * while the bot holds the session, 48 hours after the customer's last message,
 * five messages per customer message), send_msg_on_event with one-time codes,
 * service_state get/trans enforcing the allowed moves and who is on duty, and
 * the internal application's message/send. It plays the customers and the
 * servicers too, and delivers signed, encrypted callbacks to the bot.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { encrypt, getSignature } from '@wecom/crypto';

export interface KfSent {
  path: string;
  body: any;
  at: number;
}

interface Session {
  state: number;
  servicer?: string;
  lastCustomerAt: number;
  sentSinceCustomer: number;
}

const ALLOWED: Record<number, number[]> = { 0: [1, 2, 3], 1: [2, 3], 2: [3], 3: [3, 4], 4: [] };
const WINDOW_MS = 48 * 3600 * 1000;

export class FakeWeComServer {
  readonly sent: KfSent[] = [];
  /** 'sent' with each message as it is recorded (benchmarks time the reply by it). */
  readonly events = new EventEmitter();
  /** The cursor each sync_msg call asked from ('' for none), in order. */
  readonly syncCalls: Array<{ cursor: string; openKfId: string }> = [];
  /** Errors to answer the next sync_msg / send_msg calls with, in order (after the token check). */
  readonly failNextSync: number[] = [];
  readonly failNextSends: number[] = [];
  /** An error for the n-th sync_msg call from now on (1-based), or undefined to answer it. */
  syncFault: ((call: number) => number | undefined) | undefined;
  private syncCount = 0;
  /** Milliseconds to hold the next sync_msg answers (a platform that hangs). */
  readonly delayNextSync: number[] = [];
  /** Items per sync_msg page at most, whatever the bot asks (to make paging visible). */
  pageSize = 1000;
  latencyMs = 0;
  tokensIssued = 0;
  readonly onDuty = new Set<string>();
  readonly items = new Map<string, any[]>(); // open_kfid → every item, in order
  readonly sessions = new Map<string, Session>(); // open_kfid:external → session
  private readonly tokens = new Map<string, string>(); // token → secret
  private readonly codes = new Map<string, { expires: number; external: string }>(); // one-time event code
  private server: Server | undefined;
  private seq = 0;
  url = '';
  now = () => Date.now();

  constructor(
    readonly corpId: string,
    readonly secrets: string[],
    readonly callback: { token: string; aesKey: string },
    /** The kf accounts that exist (sync_msg and send_msg answer 95000 for any other). */
    openKfIds: string[] = [],
  ) {
    for (const id of openKfIds) this.items.set(id, []);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const delay = req.url?.startsWith('/cgi-bin/kf/sync_msg') ? (this.delayNextSync.shift() ?? this.latencyMs) : this.latencyMs;
        setTimeout(() => {
          const json = this.answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x'), body);
          if (res.destroyed) return;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(json));
        }, delay);
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

  invalidateTokens(): void {
    this.tokens.clear();
  }

  session(openKfId: string, external: string): Session {
    const key = `${openKfId}:${external}`;
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { state: 0, lastCustomerAt: 0, sentSinceCustomer: 0 }));
    return s;
  }

  private push(openKfId: string, item: Record<string, unknown>): string {
    const msgid = `m${++this.seq}_${randomBytes(3).toString('hex')}`;
    const list = this.items.get(openKfId) ?? [];
    list.push({ msgid, open_kfid: openKfId, send_time: Math.floor(this.now() / 1000), ...item });
    this.items.set(openKfId, list);
    return msgid;
  }

  /** A customer writes (a tap on a menu item carries its id): a session that ended starts afresh. */
  customerWrites(openKfId: string, external: string, content: string, menuId?: string): string {
    const s = this.session(openKfId, external);
    if (s.state === 4) Object.assign(s, { state: 0, servicer: undefined });
    s.lastCustomerAt = this.now();
    s.sentSinceCustomer = 0;
    return this.push(openKfId, { external_userid: external, origin: 3, msgtype: 'text', text: { content, ...(menuId ? { menu_id: menuId } : {}) } });
  }

  /** A customer opens the chat: enter_session with a welcome code valid 20 s. */
  enterSession(openKfId: string, external: string): string {
    const code = `welcome_${randomBytes(6).toString('hex')}`;
    this.codes.set(code, { expires: this.now() + 20_000, external });
    this.push(openKfId, { origin: 4, msgtype: 'event', event: { event_type: 'enter_session', open_kfid: openKfId, external_userid: external, scene: '', welcome_code: code } });
    return code;
  }

  /** A servicer takes the session from the pool (change_type 1), or ends it (3). */
  servicerAccepts(openKfId: string, external: string, servicer: string): void {
    Object.assign(this.session(openKfId, external), { state: 3, servicer });
    this.push(openKfId, { origin: 4, msgtype: 'event', event: { event_type: 'session_status_change', open_kfid: openKfId, external_userid: external, change_type: 1, new_servicer_userid: servicer } });
  }

  servicerEnds(openKfId: string, external: string): void {
    Object.assign(this.session(openKfId, external), { state: 4 });
    this.push(openKfId, { origin: 4, msgtype: 'event', event: { event_type: 'session_status_change', open_kfid: openKfId, external_userid: external, change_type: 3 } });
  }

  servicerWrites(openKfId: string, external: string, servicer: string, content: string): void {
    this.push(openKfId, { external_userid: external, origin: 5, servicer_userid: servicer, msgtype: 'text', text: { content } });
  }

  /** Any item as the platform would list it (malformed ones included, for hostile-input tests). */
  pushRaw(openKfId: string, item: unknown): void {
    const list = this.items.get(openKfId) ?? [];
    list.push(item);
    this.items.set(openKfId, list);
  }

  /** The callback the platform sends after new items: kf_msg_or_event, signed and encrypted for the bot. */
  signedCallback(openKfId: string, options: { receiveId?: string; token?: string; timestamp?: number } = {}): { query: string; body: string } {
    const inner = `<xml><ToUserName><![CDATA[${this.corpId}]]></ToUserName><CreateTime>${Math.floor(this.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[${options.token ?? 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR'}]]></Token><OpenKfId><![CDATA[${openKfId}]]></OpenKfId></xml>`;
    return this.seal(inner, options);
  }

  seal(inner: string, options: { receiveId?: string; timestamp?: number } = {}): { query: string; body: string } {
    const sealed = encrypt(this.callback.aesKey, inner, options.receiveId ?? this.corpId);
    const timestamp = String(options.timestamp ?? Math.floor(this.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const signature = getSignature(this.callback.token, timestamp, nonce, sealed);
    return {
      query: `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
      body: `<xml><ToUserName><![CDATA[${this.corpId}]]></ToUserName><Encrypt><![CDATA[${sealed}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
    };
  }

  /** Delivers a callback to the bot; resolves with its HTTP status and body. */
  async deliverCallback(botUrl: string, openKfId: string, options: { receiveId?: string } = {}): Promise<{ status: number; body: string }> {
    const { query, body } = this.signedCallback(openKfId, options);
    const res = await fetch(`${botUrl}/wecom/kf?${query}`, { method: 'POST', body, headers: { 'Content-Type': 'text/xml' } });
    return { status: res.status, body: await res.text() };
  }

  /** The texts (and menu heads and items) sent to one customer, in order. */
  textsTo(external: string): string[] {
    return this.sent.filter((m) => m.body.touser === external || m.body.external === external).map((m) => render(m.body));
  }

  private answer(method: string, url: URL, raw: string): any {
    if (method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
      const secret = url.searchParams.get('corpsecret') ?? '';
      if (url.searchParams.get('corpid') !== this.corpId || !this.secrets.includes(secret)) return { errcode: 40001, errmsg: 'invalid secret' };
      for (const [t, s] of this.tokens) if (s === secret) this.tokens.delete(t);
      const token = randomBytes(16).toString('hex');
      this.tokens.set(token, secret);
      this.tokensIssued++;
      return { errcode: 0, access_token: token, expires_in: 7200 };
    }
    if (method !== 'POST') return { errcode: 404, errmsg: 'not found' };
    if (!this.tokens.has(url.searchParams.get('access_token') ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    switch (url.pathname) {
      case '/cgi-bin/kf/sync_msg': return this.sync(body);
      case '/cgi-bin/kf/send_msg': return this.sendMsg(body);
      case '/cgi-bin/kf/send_msg_on_event': return this.sendOnEvent(body);
      case '/cgi-bin/kf/service_state/get': {
        const s = this.session(body.open_kfid, body.external_userid);
        return { errcode: 0, service_state: s.state, servicer_userid: s.servicer ?? '' };
      }
      case '/cgi-bin/kf/service_state/trans': return this.trans(body);
      case '/cgi-bin/message/send':
        this.sent.push({ path: url.pathname, body, at: this.now() });
        return { errcode: 0, errmsg: 'ok', msgid: `a${this.sent.length}` };
      default:
        return { errcode: 404, errmsg: 'not found' };
    }
  }

  private sync(body: any): any {
    this.syncCalls.push({ cursor: body.cursor ?? '', openKfId: body.open_kfid });
    const injected = this.failNextSync.shift() ?? this.syncFault?.(++this.syncCount);
    if (injected !== undefined) return { errcode: injected, errmsg: 'injected' };
    const list = this.items.get(body.open_kfid);
    if (!list) return { errcode: 95000, errmsg: 'invalid open_kfid' };
    const from = body.cursor ? Number(String(body.cursor).slice(1)) : 0;
    const to = Math.min(list.length, from + Math.min(this.pageSize, Number(body.limit) || 1000));
    return { errcode: 0, errmsg: 'ok', next_cursor: `c${to}`, has_more: to < list.length ? 1 : 0, msg_list: list.slice(from, to) };
  }

  private sendMsg(body: any): any {
    const injected = this.failNextSends.shift();
    if (injected !== undefined) return { errcode: injected, errmsg: 'injected' };
    if (!this.items.has(body.open_kfid)) return { errcode: 95000, errmsg: 'invalid open_kfid' };
    const s = this.sessions.get(`${body.open_kfid}:${body.touser}`);
    if (!s) return { errcode: 40096, errmsg: 'invalid external userid' };
    if (s.state !== 0 && s.state !== 1) return { errcode: 95018, errmsg: 'session state does not allow sending' };
    if (this.now() - s.lastCustomerAt > WINDOW_MS || s.sentSinceCustomer >= 5) return { errcode: 95001, errmsg: 'send msg count limit' };
    s.sentSinceCustomer++;
    s.state = 1;
    this.sent.push({ path: '/cgi-bin/kf/send_msg', body, at: this.now() });
    this.events.emit('sent', body);
    return { errcode: 0, errmsg: 'ok', msgid: body.msgid ?? `s${this.sent.length}` };
  }

  private sendOnEvent(body: any): any {
    const code = this.codes.get(body.code);
    if (code === undefined || code.expires < this.now()) return { errcode: 95007, errmsg: 'invalid code' };
    this.codes.delete(body.code);
    this.sent.push({ path: '/cgi-bin/kf/send_msg_on_event', body: { ...body, external: code.external }, at: this.now() });
    return { errcode: 0, errmsg: 'ok' };
  }

  private trans(body: any): any {
    const s = this.session(body.open_kfid, body.external_userid);
    const to = Number(body.service_state);
    if (!ALLOWED[s.state]!.includes(to)) return { errcode: 95016, errmsg: `state ${s.state} cannot become ${to}` };
    if (to === 3 && !this.onDuty.has(body.servicer_userid)) return { errcode: 95014, errmsg: 'servicer not on duty' };
    Object.assign(s, { state: to, servicer: to === 3 ? body.servicer_userid : undefined });
    const code = `msgcode_${randomBytes(6).toString('hex')}`;
    this.codes.set(code, { expires: this.now() + 20_000, external: body.external_userid });
    return { errcode: 0, errmsg: 'ok', msg_code: code };
  }
}

/** A sent message as one string: the text, or the menu's head and items. */
function render(body: any): string {
  if (body.msgtype === 'text') return body.text.content;
  if (body.msgtype === 'msgmenu') return [body.msgmenu.head_content ?? '', ...body.msgmenu.list.map((x: any) => `[${x.click.content}]`)].filter(Boolean).join('\n');
  return `[${body.msgtype}]`;
}
