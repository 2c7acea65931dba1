/**
 * The in-process Direct Line, driven by the official botframework-directlinejs
 * client (WebSocket and polling), plus tokens and bad input over raw HTTP.
 */
import WebSocket from 'ws';
import type { TurnContext } from 'botbuilder';
import { DirectLineTokens } from '../../adapters/directline/tokens';
import { activities, http, postMessage, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';

// directlinejs is written for browsers: give it XMLHttpRequest and WebSocket.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(globalThis as any).XMLHttpRequest = require('xhr2');
(globalThis as any).WebSocket = WebSocket;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');

function collect(dl: any): { list: any[]; stop: () => void; until: (pred: (list: any[]) => boolean, ms?: number) => Promise<any[]> } {
  const list: any[] = [];
  const subscription = dl.activity$.subscribe((a: any) => list.push(a), () => undefined); // end() errors the stream by design
  return {
    list,
    // Unsubscribing closes the client's WebSocket and its ping timer.
    stop: () => subscription.unsubscribe(),
    // Generous: the first turn of a fresh process on a loaded 2-core CI machine can take seconds.
    until: (pred, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          if (pred(list)) return resolve(list);
          if (Date.now() - started > ms) return reject(new Error(`timed out; got ${JSON.stringify(list.map((a) => a.text))}`));
          setTimeout(tick, 20);
        };
        tick();
      }),
  };
}

function post(dl: any, activity: any): Promise<string> {
  return new Promise((resolve, reject) => dl.postActivity(activity).subscribe(resolve, reject));
}

describe('Direct Line with the official client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([['WebSocket', true], ['polling', false]])('holds a conversation over %s', async (_name, webSocket) => {
    const token = (await http<any>('POST', `${t.url}/webchat/token`)).body.token;
    const dl = new DirectLine({ domain: `${t.url}/v3/directline`, token, webSocket, pollingInterval: 200 });
    const got = collect(dl);
    try {
      // The bot greets when the conversation starts.
      await got.until((l) => l.some((a) => a.from.role === 'bot' && /您好/.test(a.text)));
      const id = await post(dl, { type: 'message', from: { id: 'web-user' }, text: 'English', locale: 'zh-CN' });
      expect(id).toMatch(/\|/);
      const list = await got.until((l) => l.some((a) => a.replyToId === id));
      // The customer's own message is echoed back (Web Chat needs it), then the bot answers in English.
      expect(list.some((a) => a.id === id && a.from.role === 'user')).toBe(true);
      const reply = list.find((a) => a.replyToId === id);
      expect(reply.text).toMatch(/English/);
      expect(dl.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);
    } finally {
      got.stop();
      dl.end();
    }
  });

  it('starts a conversation with the secret and reconnects with a watermark', async () => {
    const secret = t.app.directLineSecret;
    const started = await http<any>('POST', `${t.url}/v3/directline/conversations`, { token: secret, body: {} });
    expect(started.status).toBe(201);
    expect(started.body.streamUrl).toMatch(/^ws:\/\/.*\/stream\?t=/);
    const conv = { conversationId: started.body.conversationId, token: started.body.token };
    await postMessage(t.url, conv, '帮助');
    const reconnect = await http<any>('GET', `${t.url}/v3/directline/conversations/${conv.conversationId}?watermark=1`, { token: conv.token });
    expect(reconnect.status).toBe(200);
    expect(reconnect.body.conversationId).toBe(conv.conversationId);
  });

  it('refreshes a token for the same conversation', async () => {
    const conv = await startConversation(t.url);
    const r = await http<any>('POST', `${t.url}/v3/directline/tokens/refresh`, { token: conv.token });
    expect(r.status).toBe(200);
    expect(r.body.conversationId).toBe(conv.conversationId);
    // The new token reads the same conversation: the customer's message sent with the old one is there.
    await postMessage(t.url, conv, 'before refresh');
    const set = await activities(t.url, { ...conv, token: r.body.token });
    expect(set.activities.filter((a) => a.from.role === 'user').map((a) => a.text)).toEqual(['before refresh']);
  });

  it('streams from the requested watermark over a raw WebSocket', async () => {
    const conv = await startConversation(t.url);
    await postMessage(t.url, conv, '你好');
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/v3/directline/conversations/${conv.conversationId}/stream?t=${conv.token}&watermark=0`);
    const frames: any[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const text = data.toString();
        if (!text) return;
        frames.push(JSON.parse(text));
        const all = frames.flatMap((f) => f.activities);
        if (all.filter((a: any) => a.from.role === 'bot').length >= 2) resolve();
      });
      ws.on('error', reject);
      setTimeout(() => reject(new Error('no frames')), 5000);
    });
    await new Promise((r) => {
      ws.once('close', r);
      ws.close();
    });
    expect(Number(frames.at(-1).watermark)).toBeGreaterThanOrEqual(3);
  });
});

describe('Direct Line tokens and bad input', () => {
  let t: TestApp;
  const turns: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({
      env: { MAX_ACTIVITY_BYTES: '4096' },
      turnLogic: async (context: TurnContext) => {
        if (context.activity.type === 'message') turns.push(context.activity.text ?? '');
      },
    });
  });
  afterAll(() => t.close());

  const url = (id: string) => `${t.url}/v3/directline/conversations/${id}/activities`;

  /**
   * Turns of one conversation run in arrival order: once a message sent after a
   * refused one has had its turn, a turn for the refused one would have run too.
   */
  async function afterQueuedTurns(conv: { conversationId: string; token: string }): Promise<void> {
    const marker = `barrier-${Math.random().toString(36).slice(2)}`;
    expect((await postMessage(t.url, conv, marker)).status).toBe(200);
    await waitFor(async () => turns, (list) => list.includes(marker));
  }

  it('refuses an expired token', async () => {
    const conv = await startConversation(t.url);
    // The same claims and key: valid for a minute, or expired a minute ago (no waiting for a clock to pass).
    const valid = new DirectLineTokens(t.app.directLineSecret, 60).issue({ conversationId: conv.conversationId });
    const expired = new DirectLineTokens(t.app.directLineSecret, -60).issue({ conversationId: conv.conversationId });
    expect((await http('GET', url(conv.conversationId), { token: valid })).status).toBe(200);
    const r = await http<any>('POST', url(conv.conversationId), { token: expired, body: { type: 'message', text: 'late' } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('TOKEN_EXPIRED');
    const refresh = await http<any>('POST', `${t.url}/v3/directline/tokens/refresh`, { token: expired });
    expect(refresh.status).toBe(403);
    await afterQueuedTurns(conv);
    expect(turns).not.toContain('late');
  });

  it("rejects a token for conversation X on conversation Y, on REST and on the stream", async () => {
    const x = await startConversation(t.url);
    const y = await startConversation(t.url);
    const r = await http<any>('POST', url(y.conversationId), { token: x.token, body: { type: 'message', text: 'intruder' } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    expect((await http('GET', url(y.conversationId), { token: x.token })).status).toBe(403);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/v3/directline/conversations/${y.conversationId}/stream?t=${x.token}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
    await afterQueuedTurns(y);
    expect(turns).not.toContain('intruder');
  });

  it.each([
    ['missing token', undefined, 401, 'UNAUTHORIZED'],
    ['forged token', 'eyJhbGciOiJIUzI1NiJ9.eyJjb252IjoieCJ9.forged', 403, 'FORBIDDEN'],
  ])('answers a %s (token %p) with %d and runs no turn', async (_name, token, status, code) => {
    const conv = await startConversation(t.url);
    const r = await http<any>('POST', url(conv.conversationId), { token, body: { type: 'message', text: `bad-${status}` } });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    await afterQueuedTurns(conv);
    expect(turns).not.toContain(`bad-${status}`);
  });

  it('answers malformed JSON with 400', async () => {
    const conv = await startConversation(t.url);
    const r = await http<any>('POST', url(conv.conversationId), { token: conv.token, raw: '{"type":"message","text":' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
  });

  it('answers an activity of an unknown type or shape with 400', async () => {
    const conv = await startConversation(t.url);
    const r = await http<any>('POST', url(conv.conversationId), { token: conv.token, body: { type: 'deleteUserData', text: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/type/);
  });

  it('answers an oversized activity with 413', async () => {
    const conv = await startConversation(t.url);
    const r = await http<any>('POST', url(conv.conversationId), { token: conv.token, body: { type: 'message', text: '长'.repeat(5000) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown conversation with 404 (secret holder) or 403 (token of another one)', async () => {
    const bySecret = await http<any>('POST', url('no-such-conversation'), { token: t.app.directLineSecret, body: { type: 'message', text: 'ghost' } });
    expect(bySecret.status).toBe(404);
    expect(bySecret.body.error.code).toBe('CONVERSATION_NOT_FOUND');
    const conv = await startConversation(t.url);
    expect((await http('POST', url('no-such-conversation'), { token: conv.token, body: { type: 'message', text: 'ghost' } })).status).toBe(403);
  });

  it('keeps earlier accepted messages after bad input', async () => {
    const conv = await startConversation(t.url);
    await postMessage(t.url, conv, 'kept');
    await http('POST', url(conv.conversationId), { token: conv.token, raw: 'not json' });
    const set = await activities(t.url, conv);
    expect(set.activities.map((a) => a.text)).toContain('kept');
  });

  it('refuses token generation without the secret', async () => {
    const conv = await startConversation(t.url);
    expect((await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: conv.token })).status).toBe(403);
    const ok = await http<any>('POST', `${t.url}/v3/directline/tokens/generate`, { token: t.app.directLineSecret, body: { user: { id: 'dl_abc' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toBeTruthy();
  });
});
