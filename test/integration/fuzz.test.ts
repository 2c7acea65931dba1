/**
 * Property-based fuzzing (fast-check) of every endpoint a stranger can reach:
 * the Direct Line REST surface, the Emulator endpoint (/api/messages, on in
 * development), the WeChat callback (/wechat/oa) and WebSocket frames on the
 * Direct Line stream. Thousands of generated methods, paths, headers, query
 * strings, bodies and frames; the promises checked are: never a 5xx, the
 * process keeps answering /healthz, and the heap after the run (after a full
 * GC) stays within a bound of the heap before it.
 *
 * Runs on the real app with a real Redis; the WeChat API is the fake server,
 * and the Emulator's replies go to a local sink that accepts anything.
 */
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getSignature } from '@wecom/crypto';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { startConversation, startTestApp, type TestApp } from '../support/harness';
import { rawConnect, within } from '../support/raw-websocket';
import { activity, body, contentType, frameBytes, goodActivity, method, oddSegment, text, wechatXml } from '../support/fuzz-inputs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const WECHAT = { APP_ID: 'wx1234567890abcdef', SECRET: 'fuzz-app-secret', TOKEN: 'fuzztoken2026' };
/** Generous: a leak of a few hundred bytes per request over ~4000 requests shows; V8's own churn does not. */
const HEAP_GROWTH_BOUND = 32 * 1024 * 1024;
const WARM_UP = 0.1;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

interface Answer {
  status: number;
  what: string;
}

describe('fuzzing the public endpoints', () => {
  const fake = new FakeWeChatServer(WECHAT.APP_ID, WECHAT.SECRET);
  let sink: Server;
  let sinkUrl: string;
  let t: TestApp;
  let conv: { conversationId: string; token: string };
  let other: { conversationId: string; token: string };
  const fiveHundreds: Answer[] = [];
  /** Answers by status, per test: shows how deep the generated input got (a fuzzer stopped at 401 tests nothing). */
  const statuses = new Map<number, number>();
  let heapBefore = 0;

  beforeAll(async () => {
    await fake.start();
    sink = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"id":"sink"}');
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
    t = await startTestApp({
      env: {
        WECHAT_OA_APP_ID: WECHAT.APP_ID, WECHAT_OA_APP_SECRET: WECHAT.SECRET, WECHAT_OA_TOKEN: WECHAT.TOKEN, WECHAT_API_BASE_URL: fake.url,
        // Limits high enough that the fuzzer reaches the parsers instead of the throttles.
        DIRECT_LINE_AUTH_FAILURES_PER_MINUTE: '1000000', WEBCHAT_TOKENS_PER_MINUTE: '1000000', DIRECT_LINE_STREAMS_PER_ADDRESS: '10000',
        LOG_LEVEL: 'warn',
      },
    });
    conv = await startConversation(t.url);
    other = await startConversation(t.url);
    console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} repeats this run)`);
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await fake.stop();
    await new Promise((r) => sink?.close(r));
  });

  async function send(method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array): Promise<number> {
    let status: number;
    try {
      const res = await fetch(`${t.url}${path}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      status = res.status;
    } catch (error) {
      // fetch refuses some inputs itself (a header value it cannot send): not the server's doing.
      if (error instanceof TypeError && !/fetch failed|terminated|other side closed/i.test(String(error.message))) return 0;
      throw error;
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500) fiveHundreds.push({ status, what: `${method} ${path} ${JSON.stringify(headers).slice(0, 200)} ${String(body).slice(0, 300)}` });
    return status;
  }

  beforeEach(() => {
    fiveHundreds.length = 0;
    statuses.clear();
  });
  afterEach(() => {
    if (statuses.size > 0) console.log(`${expect.getState().currentTestName}: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  });

  async function alive(): Promise<void> {
    const res = await fetch(`${t.url}/healthz`, { signal: AbortSignal.timeout(2000) });
    expect(res.status).toBe(200);
  }

  async function fuzzDirectLine(scale: number): Promise<void> {
    const id = fc.oneof(fc.constant(() => conv.conversationId), fc.constant(() => other.conversationId), oddSegment.map((s) => () => s));
    const path = fc.tuple(
      fc.constantFrom('/tokens/generate', '/tokens/refresh', '/conversations', '/conversations/:id', '/conversations/:id/activities', '/conversations/:id/stream', '/conversations/:id/upload', '/:id'),
      id,
    ).map(([p, pick]) => `/v3/directline${p.replace(':id', pick())}`);
    const query = fc.oneof(
      fc.constant(''),
      fc.string().map((s) => `?watermark=${encodeURIComponent(s)}`),
      fc.constantFrom('?watermark=1e20', '?watermark=-1', '?watermark=99999999999999999999', '?watermark=1&watermark=2', '?watermark[a]=1', '?%', '?a=%E0'),
      fc.dictionary(fc.constantFrom('watermark', 't', 'x', 'lang', '__proto__'), fc.string(), { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d)}`),
    );
    const auth = fc.oneof(
      fc.constant(() => `Bearer ${t.app.directLineSecret}`),
      fc.constant(() => `Bearer ${conv.token}`),
      fc.constant(() => `Bearer ${other.token}`),
      fc.constant(() => ''),
      fc.string().map((s) => () => `Bearer ${s}`),
      fc.string().map((s) => () => s),
    );
    await fc.assert(
      fc.asyncProperty(method, path, query, auth, contentType, body, async (m, p, q, a, ct, b) => {
        const headers: Record<string, string> = { 'Content-Type': ct };
        const credential = a();
        if (credential) headers.Authorization = credential;
        const status = await send(m, `${p}${q}`, headers, b);
        return status < 500;
      }),
      { numRuns: runs(2500, scale), seed: SEED },
    );
    // Activities with a valid token to a real conversation: the parser and the turn, not just the gates.
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: goodActivity }, { weight: 1, arbitrary: activity }), async (a) => {
        const status = await send('POST', `/v3/directline/conversations/${conv.conversationId}/activities`, { Authorization: `Bearer ${conv.token}`, 'Content-Type': 'application/json' }, JSON.stringify(a));
        return status < 500;
      }),
      { numRuns: runs(600, scale), seed: SEED },
    );
    await alive();
    expect(fiveHundreds).toEqual([]);
  }

  async function fuzzEmulator(scale: number): Promise<void> {
    const emulatorActivity = fc.record(
      {
        type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'event', 'typing', 'invoke', 'installationUpdate', 'trace', 'messageReaction'), fc.string()),
        id: fc.string(),
        serviceUrl: fc.constantFrom(sinkUrl, `${sinkUrl}/`, 'not a url', ''),
        channelId: fc.oneof(fc.constantFrom('emulator', 'directline', 'msteams'), fc.string()),
        conversation: fc.oneof(fc.record({ id: fc.string() }), fc.anything()),
        from: fc.oneof(fc.record({ id: fc.string(), name: fc.string() }), fc.anything()),
        recipient: fc.oneof(fc.record({ id: fc.string() }), fc.anything()),
        text,
        locale: fc.string(),
        membersAdded: fc.array(fc.record({ id: fc.string() }), { maxLength: 3 }),
        value: fc.anything(),
        channelData: fc.anything(),
        attachments: fc.anything(),
      },
      { requiredKeys: ['type', 'channelId', 'conversation', 'from'] },
    );
    // Well-formed activities (they run real turns, whose replies go to the sink), with generated content.
    const wellFormed = fc.record({
      type: fc.constantFrom('message', 'message', 'conversationUpdate', 'event', 'typing', 'endOfConversation', 'messageReaction'),
      text,
      conversation: fc.constantFrom('emu-1', 'emu-2', 'emu-3').map((id) => ({ id })),
      from: fc.constantFrom('u1', 'u2').map((id) => ({ id, name: 'User' })),
      value: fc.anything(),
      channelData: fc.object(),
      locale: fc.constantFrom('en-US', 'zh-CN', 'xx', ''),
    }).map((a) => ({ ...a, id: Math.random().toString(36).slice(2), channelId: 'emulator', serviceUrl: sinkUrl, recipient: { id: 'bot' } }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(wellFormed.map((a) => JSON.stringify(a)), emulatorActivity.map((a) => JSON.stringify(a)), body), fc.oneof({ weight: 5, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: method }), contentType, async (b, m, ct) => {
        const status = await send(m, '/api/messages', { 'Content-Type': ct }, b);
        return status < 500;
      }),
      { numRuns: runs(800, scale), seed: SEED },
    );
    await alive();
    expect(fiveHundreds).toEqual([]);
  }

  async function fuzzWeChat(scale: number): Promise<void> {
    const signedQuery = fc.record({
      // WeChat's nonces are digits; a generated string now and then.
      nonce: fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^\d{1,9}$/) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) }),
      // Mostly within the timestamp window, sometimes outside it.
      skew: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -60, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) }),
      extra: fc.dictionary(fc.constantFrom('encrypt_type', 'msg_signature', 'openid', 'echostr'), fc.string(), { maxKeys: 2 }),
    });
    const query = fc.oneof(
      { weight: 3, arbitrary: signedQuery.map(({ nonce, skew, extra }) => {
        const timestamp = String(Math.floor(Date.now() / 1000) + skew);
        // A fresh nonce per request, so that replay protection is not what answers.
        const n = `${nonce}${String(Math.random()).slice(2, 8)}`;
        return `?${new URLSearchParams({ ...extra, timestamp, nonce: n, signature: getSignature(WECHAT.TOKEN, timestamp, n, '') })}`;
      }) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('signature', 'timestamp', 'nonce', 'echostr', 'encrypt_type', 'msg_signature', 'openid'), fc.string(), { maxKeys: 6 }).map((d) => `?${new URLSearchParams(d)}`) },
      { weight: 1, arbitrary: fc.constantFrom('', '?timestamp=1e20&nonce=1&signature=x', '?signature[]=1', '?%') },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT'), query, wechatXml, async (m, q, b) => {
        const status = await send(m, `/wechat/oa${q}`, { 'Content-Type': 'text/xml' }, b);
        return status < 500;
      }),
      { numRuns: runs(1200, scale), seed: SEED },
    );
    await alive();
    expect(fiveHundreds).toEqual([]);
  }

  async function fuzzFrames(scale: number): Promise<void> {
    const streamUrl = `${t.url.replace('http', 'ws')}/v3/directline/conversations/${conv.conversationId}/stream?t=${conv.token}&watermark=100000`;
    await fc.assert(
      fc.asyncProperty(frameBytes, async (b) => {
        const s = await rawConnect(streamUrl);
        if (s.status !== 101) throw new Error(`upgrade answered ${s.status}`);
        s.socket.write(b);
        await within(s.closed, 30, 'open');
        s.socket.destroy();
        return true;
      }),
      { numRuns: runs(500, scale), seed: SEED },
    );
    await alive();
  }

  // ---- the runs ---------------------------------------------------------------------------------
  // The heap baseline is taken after a small round of every fuzzer, so modules, JIT code and caches are
  // warm and what the full run adds is what it retains.
  beforeAll(async () => {
    await fuzzDirectLine(WARM_UP);
    await fuzzEmulator(WARM_UP);
    await fuzzWeChat(WARM_UP);
    await fuzzFrames(WARM_UP);
    await settle();
    heapBefore = process.memoryUsage().heapUsed;
  }, 60_000);

  it('Direct Line REST: no 5xx for generated methods, paths, credentials, queries and bodies', () => fuzzDirectLine(1), 90_000);
  it('Emulator endpoint: no 5xx for generated activities and bodies', () => fuzzEmulator(1), 90_000);
  it('WeChat callback: no 5xx for generated queries, signatures and XML', () => fuzzWeChat(1), 90_000);
  it('WebSocket stream: generated frames close only their own socket', () => fuzzFrames(1), 90_000);

  it('keeps the heap bounded over the whole run', async () => {
    await settle();
    const after = process.memoryUsage().heapUsed;
    console.log(`heap after warm-up ${(heapBefore / 1048576).toFixed(1)} MB, after the run ${(after / 1048576).toFixed(1)} MB`);
    expect(after - heapBefore).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 30_000);
});

/** numRuns for a fuzzer at a scale (the warm-up runs a tenth). */
function runs(full: number, scale: number): number {
  return Math.max(10, Math.round(full * scale));
}

/** Lets background turns finish, then collects garbage fully. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  gc();
  gc();
}
