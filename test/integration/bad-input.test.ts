/**
 * Bad input gets a clear 4xx in the documented shape `{error: {code, message}}`,
 * never a 5xx: deeply nested JSON, odd watermarks, unknown routes and methods,
 * malformed HTTP, and a Host header that must not end up in the stream URL.
 */
import { connect } from 'node:net';
import { http, startConversation, startTestApp, type TestApp } from '../support/harness';

const errorShape = (code: string) => ({ error: { code, message: expect.any(String) } });

/** Sends raw bytes as one HTTP request and returns the status line's code and the body. */
function rawHttp(base: string, request: string): Promise<{ status: number; head: string; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    setTimeout(() => socket.end(), 1000).unref();
  });
}

describe('bad input gets a 4xx, never a 5xx', () => {
  let t: TestApp;
  let conv: { conversationId: string; token: string };
  beforeAll(async () => {
    // The largest body allowed, so that 100 000 levels of nesting are not stopped by the size limit first.
    t = await startTestApp({ env: { MAX_ACTIVITY_BYTES: '1048576' } });
    conv = await startConversation(t.url);
  });
  afterAll(() => t.close());

  const activitiesUrl = () => `${t.url}/v3/directline/conversations/${conv.conversationId}/activities`;
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it.each([
    ['100 000 levels of arrays', () => nested(100_000)],
    ['deep nesting inside channelData', () => `{"type":"message","text":"hi","channelData":{"x":${nested(5000)}}}`],
    ['deep objects inside an attachment', () => `{"type":"message","text":"hi","attachments":[${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}]}`],
    ['65 levels (one past the limit)', () => `{"type":"message","text":"hi","channelData":${'['.repeat(64)}${']'.repeat(64)}}`],
  ])('answers %s in an activity with 400', async (_name, body) => {
    const r = await http('POST', activitiesUrl(), { token: conv.token, raw: body() });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(errorShape('BAD_REQUEST'));
  });

  it('still accepts ordinary nesting (brackets inside strings do not count)', async () => {
    const text = '[[[[{{{{'.repeat(20);
    const r = await http('POST', activitiesUrl(), { token: conv.token, body: { type: 'message', text, channelData: { a: [[[{ b: 1 }]]] } } });
    expect(r.status).toBe(200);
  });

  it('answers deep nesting with 400 on every JSON endpoint', async () => {
    const deep = nested(100_000);
    const secret = t.app.directLineSecret;
    for (const [path, token] of [['/v3/directline/tokens/generate', secret], ['/v3/directline/conversations', secret], ['/api/messages', undefined]] as const) {
      const r = await http('POST', `${t.url}${path}`, { token, raw: `{"a":${deep}}` });
      expect([path, r.status, r.body]).toEqual([path, 400, errorShape('BAD_REQUEST')]);
    }
  });

  it.each(['1e20', '-1', 'abc', '1.5', '99999999999999999999', '0x10', '1e3', ' 1', '%00', '9007199254740993'])(
    'answers watermark=%s with 400',
    async (watermark) => {
      const r = await http('GET', `${activitiesUrl()}?watermark=${watermark}`, { token: conv.token });
      expect(r.status).toBe(400);
      expect(r.body).toEqual(errorShape('BAD_REQUEST'));
    },
  );

  it('answers watermark given twice with 400, and an empty or plain one with 200', async () => {
    expect((await http('GET', `${activitiesUrl()}?watermark=1&watermark=2`, { token: conv.token })).status).toBe(400);
    expect((await http('GET', `${activitiesUrl()}?watermark=`, { token: conv.token })).status).toBe(200);
    expect((await http('GET', `${activitiesUrl()}?watermark=0`, { token: conv.token })).status).toBe(200);
    expect((await http('GET', `${activitiesUrl()}?watermark=999999999999999`, { token: conv.token })).status).toBe(200);
  });

  it('answers unknown routes with 404 and wrong methods with 405 in the same shape', async () => {
    const notFound = await http('GET', `${t.url}/no/such/route`);
    expect(notFound.status).toBe(404);
    expect(notFound.body).toEqual(errorShape('NOT_FOUND'));
    expect(JSON.stringify(notFound.body)).not.toMatch(/no\/such/); // the path is not echoed back
    const res = await fetch(`${t.url}/healthz`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toMatch(/GET/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual(errorShape('METHOD_NOT_ALLOWED'));
  });

  it('answers malformed HTTP with a JSON 400 and keeps serving', async () => {
    const r = await rawHttp(t.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual(errorShape('BAD_REQUEST'));
    expect((await http('GET', `${t.url}/healthz`)).status).toBe(200);
  });

  it('sends nosniff with JSON answers', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a Host header that is not a plain host[:port] instead of reflecting it into the stream URL (development)', async () => {
    const port = new URL(t.url).port;
    for (const host of [`evil.example/path`, `user@evil.example`, `a b`]) {
      const body = '{}';
      const r = await rawHttp(
        t.url,
        `POST /v3/directline/conversations HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${t.app.directLineSecret}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect([host, r.status]).toEqual([host, 400]);
      expect(r.body).not.toMatch(/evil/);
    }
    const ok = await rawHttp(
      t.url,
      `POST /v3/directline/conversations HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${t.app.directLineSecret}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.body).streamUrl).toMatch(new RegExp(`^ws://localhost:${port}/v3/directline/conversations/`));
  });
});

describe('with PUBLIC_URL the stream URL never comes from the Host header', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://chat.example-bank.cn' } });
  });
  afterAll(() => t.close());

  it('builds the stream URL from PUBLIC_URL whatever Host says', async () => {
    const r = await rawHttp(
      t.url,
      `POST /v3/directline/conversations HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer ${t.app.directLineSecret}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(r.status).toBe(201);
    expect(JSON.parse(r.body).streamUrl).toMatch(/^wss:\/\/chat\.example-bank\.cn\/v3\/directline\/conversations\/[^/]+\/stream\?t=/);
  });
});
