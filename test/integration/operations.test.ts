/** /healthz, /readyz, /metrics and graceful shutdown, on the real app with Redis. */
import type { TurnContext } from 'botbuilder';
import { activities, http, postMessage, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';
import { deleteKeys, openTestBackend } from '../support/redis';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports health and readiness', async () => {
    expect((await http('GET', `${t.url}/healthz`)).status).toBe(200);
    const ready = await http<any>('GET', `${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ store: true, content: true });
  });

  it('counts turns and their latency', async () => {
    const conv = await startConversation(t.url);
    await postMessage(t.url, conv, '你好');
    await waitFor(() => activities(t.url, conv), (s) => s.activities.filter((a) => a.from.role === 'bot').length >= 2);
    // The greeting alone can bring two bot messages, and a turn is counted when it ends (after its replies):
    // wait for the message turn's count rather than read the metrics at a moment that may come before it.
    const metrics = await waitFor(async () => (await fetch(`${t.url}/metrics`)).text(), (m) => /type="message",outcome="ok"\} [1-9]/.test(m));
    expect(metrics).toMatch(/bot_turns_total\{channel="directline",type="message",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/bot_turn_duration_seconds_count\{channel="directline"\} [1-9]/);
  });
});

describe('readiness without Redis', () => {
  it('is not ready when the store does not answer', async () => {
    const t = await startTestApp();
    await t.backend.redis.quit();
    const ready = await http<any>('GET', `${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.store).toBe(false);
    await t.app.close();
    const cleaner = openTestBackend();
    await deleteKeys(cleaner.redis, t.prefix);
    await cleaner.close();
  });
});

describe('graceful shutdown', () => {
  it('lets a running turn finish and keeps its reply', async () => {
    let started = false;
    const t = await startTestApp({
      turnLogic: async (context: TurnContext) => {
        if (context.activity.type !== 'message') return;
        started = true;
        await new Promise((r) => setTimeout(r, 400));
        await context.sendActivity('finished after shutdown began');
      },
    });
    const conv = await startConversation(t.url);
    await postMessage(t.url, conv, 'slow');
    await waitFor(async () => started, (s) => s);
    const history = { conversationId: conv.conversationId };
    await t.app.close();
    // The app is closed; read what it stored straight from Redis.
    const stored = await t.backend.range(t.app.keys.directLineActivities(history.conversationId), 0, -1);
    expect(stored.map((s) => JSON.parse(s).text)).toContain('finished after shutdown began');
    await deleteKeys(t.backend.redis, t.prefix);
    await t.backend.close();
  });
});
