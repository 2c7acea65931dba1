/**
 * Wrong Direct Line secrets and forged tokens are throttled per client address:
 * after the allowance (here 5 a minute) every request from that address gets
 * 429 RATE_LIMITED with Retry-After for the rest of the clock minute, on REST and on the stream upgrade, even
 * with a right credential; other addresses are not affected; the refusals are
 * logged with a code and a truncated address, never the credential.
 */
import { http, startConversation, startTestApp, type TestApp } from '../support/harness';
import { rawConnect } from '../support/raw-websocket';

const ALLOWANCE = 5;

describe('throttling of wrong Direct Line credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    // TRUST_PROXY=1: the address is the last X-Forwarded-For entry, so the test can speak from several addresses.
    t = await startTestApp({ env: { DIRECT_LINE_AUTH_FAILURES_PER_MINUTE: String(ALLOWANCE), TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  // Counts are per clock minute: keep each test clear of a minute boundary so its count is not reset halfway.
  beforeEach(async () => {
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 57_000) await new Promise((r) => setTimeout(r, 60_100 - intoMinute));
  });

  const from = (address: string) => ({ 'X-Forwarded-For': `198.51.100.7, ${address}` });
  const wrongSecret = 'wrong-secret-wrong-secret-wrong-secret-000';

  it('answers the allowance of wrong secrets with 403, then 429 with Retry-After for everything from that address', async () => {
    const address = '203.0.113.10';
    for (let i = 0; i < ALLOWANCE; i++) {
      const r = await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: wrongSecret, body: {}, headers: from(address) });
      expect(r.status).toBe(403);
    }
    const res = await fetch(`${t.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${wrongSecret}`, ...from(address) } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    // The right secret is refused too while the address is blocked: a guess cannot be confirmed.
    const right = await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: t.app.directLineSecret, body: {}, headers: from(address) });
    expect(right.status).toBe(429);
    // Another address is not affected.
    const other = await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: t.app.directLineSecret, body: {}, headers: from('203.0.113.99') });
    expect(other.status).toBe(200);
  });

  it('counts parallel guesses atomically: no more than the allowance get an answer', async () => {
    const address = '203.0.113.20';
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        http('GET', `${t.url}/v3/directline/conversations/x/activities`, { token: `forged.${i}.token`, headers: from(address) }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 403)).toHaveLength(ALLOWANCE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - ALLOWANCE);
  });

  it('throttles forged tokens on the stream upgrade too', async () => {
    const address = '203.0.113.30';
    const conv = await startConversation(t.url);
    const streamUrl = `${t.url.replace('http', 'ws')}/v3/directline/conversations/${conv.conversationId}/stream`;
    for (let i = 0; i < ALLOWANCE; i++) {
      const s = await rawConnect(`${streamUrl}?t=forged${i}`, from(address));
      expect(s.status).toBe(403);
      s.socket.destroy();
    }
    const blocked = await rawConnect(`${streamUrl}?t=forged-again`, from(address));
    expect(blocked.status).toBe(429);
    expect(blocked.head).toMatch(/Retry-After: \d+/i);
    blocked.socket.destroy();
    const fine = await rawConnect(`${streamUrl}?t=forged-elsewhere`, from('203.0.113.31'));
    expect(fine.status).toBe(403);
    fine.socket.destroy();
  });

  it('lets a genuine token through from a blocked address: one guesser must not cut off every customer behind a shared address', async () => {
    const address = '203.0.113.50';
    const conv = await startConversation(t.url);
    for (let i = 0; i < ALLOWANCE + 5; i++) {
      await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: wrongSecret, body: {}, headers: from(address) });
    }
    expect((await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: t.app.directLineSecret, body: {}, headers: from(address) })).status).toBe(429);
    const posted = await http('POST', `${t.url}/v3/directline/conversations/${conv.conversationId}/activities`, {
      token: conv.token, body: { type: 'message', text: 'still here', from: { id: 'x' } }, headers: from(address),
    });
    expect(posted.status).toBe(200);
    const streamUrl = `${t.url.replace('http', 'ws')}/v3/directline/conversations/${conv.conversationId}/stream`;
    const stream = await rawConnect(`${streamUrl}?t=${conv.token}`, from(address));
    expect(stream.status).toBe(101);
    stream.socket.destroy();
    // A customer arriving now gets a token from the site and can start their chat.
    const token = await http<{ token: string }>('POST', `${t.url}/webchat/token`, { headers: from(address) });
    const started = await http('POST', `${t.url}/v3/directline/conversations`, { token: token.body.token, body: {}, headers: from(address) });
    expect([200, 201]).toContain(started.status);
  });

  it('does not count a missing or expired credential as a guess', async () => {
    const address = '203.0.113.40';
    for (let i = 0; i < ALLOWANCE * 2; i++) {
      expect((await http('POST', `${t.url}/v3/directline/tokens/generate`, { body: {}, headers: from(address) })).status).toBe(401);
    }
    expect((await http('POST', `${t.url}/v3/directline/tokens/generate`, { token: t.app.directLineSecret, body: {}, headers: from(address) })).status).toBe(200);
  });

  it('logs refusals with a code and a truncated address, never the credential or the full address', async () => {
    const logged = t.logs.join('');
    expect(logged).toMatch(/"msg":"credential refused"/);
    expect(logged).toMatch(/"client":"203\.0\.113\.0\/24"/);
    expect(logged).toMatch(/"code":"RATE_LIMITED"/);
    expect(logged).not.toContain(wrongSecret);
    expect(logged).not.toContain('forged.1.token');
    expect(logged).not.toContain('203.0.113.10');
  });

  it('keeps its counters in Redis under the deployment prefix (shared by every instance)', async () => {
    const keys = await t.backend.redis.keys(`${t.prefix}rate:dl-auth:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
