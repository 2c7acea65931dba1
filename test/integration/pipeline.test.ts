/**
 * The turn pipeline over real HTTP and Redis: inbound dedupe, one turn at a
 * time per conversation (in arrival order, also across two instances), and
 * different conversations in parallel.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { activities, http, postMessage, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';

/** Turn logic that records what ran and how many turns overlapped. */
function probe(delayMs: number) {
  const state = { active: 0, maxActive: 0, perConversationMax: new Map<string, number>(), active_: new Map<string, number>(), seen: [] as string[] };
  const logic = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    const conv = context.activity.conversation.id;
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    const now = (state.active_.get(conv) ?? 0) + 1;
    state.active_.set(conv, now);
    state.perConversationMax.set(conv, Math.max(state.perConversationMax.get(conv) ?? 0, now));
    state.seen.push(`${conv}:${context.activity.text}`);
    await new Promise((r) => setTimeout(r, delayMs));
    await context.sendActivity(`echo ${context.activity.text}`);
    state.active_.set(conv, (state.active_.get(conv) ?? 1) - 1);
    state.active--;
  };
  return { state, logic };
}

describe('turn pipeline', () => {
  let t: TestApp;
  const p = probe(30);
  beforeAll(async () => {
    t = await startTestApp({ turnLogic: p.logic });
  });
  afterAll(() => t.close());

  it('runs 20 concurrent messages of one conversation one at a time, in arrival order', async () => {
    const conv = await startConversation(t.url);
    const posts = await Promise.all(Array.from({ length: 20 }, (_, i) => postMessage(t.url, conv, `m${i}`)));
    expect(posts.every((r) => r.status === 200)).toBe(true);
    const set = await waitFor(() => activities(t.url, conv), (s) => s.activities.filter((a) => a.from.role === 'bot').length === 20, 10_000);
    expect(p.state.perConversationMax.get(conv.conversationId)).toBe(1);
    // Arrival order is the order the messages were stored in the history.
    const arrival = set.activities.filter((a) => a.from.role === 'user').map((a) => a.text);
    const processed = p.state.seen.filter((s) => s.startsWith(conv.conversationId)).map((s) => s.split(':')[1]);
    expect(processed).toEqual(arrival);
    const replies = set.activities.filter((a) => a.from.role === 'bot').map((a) => a.text);
    expect(replies).toEqual(arrival.map((x) => `echo ${x}`));
  });

  it('runs different conversations in parallel', async () => {
    const convs = await Promise.all(Array.from({ length: 6 }, () => startConversation(t.url)));
    p.state.maxActive = 0;
    await Promise.all(convs.map((c) => postMessage(t.url, c, 'hello')));
    await Promise.all(convs.map((c) => waitFor(() => activities(t.url, c), (s) => s.activities.some((a) => a.from.role === 'bot'))));
    expect(p.state.maxActive).toBeGreaterThan(1);
  });

  it('runs one turn when a client resends the same activity (same clientActivityID)', async () => {
    const conv = await startConversation(t.url);
    const extra = { channelData: { clientActivityID: 'client-1' } };
    const [a, b] = await Promise.all([postMessage(t.url, conv, 'once', extra), postMessage(t.url, conv, 'once', extra)]);
    expect(a.body.id).toBe(b.body.id);
    // A later message of the same conversation runs after any turn queued before it: once it is answered, a second 'once' would have been too.
    await postMessage(t.url, conv, 'barrier');
    const set = await waitFor(() => activities(t.url, conv), (s) => s.activities.some((x) => x.text === 'echo barrier'));
    expect(set.activities.filter((x) => x.text === 'once')).toHaveLength(1);
    expect(set.activities.filter((x) => x.text === 'echo once')).toHaveLength(1);
  });
});

describe('two instances sharing one Redis', () => {
  const prefix = uniquePrefix('shared');
  const p = probe(25);
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ turnLogic: p.logic, prefix });
    b = await startTestApp({ turnLogic: p.logic, prefix });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    const { deleteKeys } = await import('../support/redis');
    const { Redis } = await import('ioredis');
    const r = new Redis(process.env.REDIS_TEST_URL!);
    await deleteKeys(r, prefix);
    r.disconnect();
  });

  it('never runs two turns of one conversation at once, whichever instance receives them', async () => {
    const conv = await startConversation(a.url);
    await Promise.all(Array.from({ length: 12 }, (_, i) => postMessage(i % 2 ? a.url : b.url, conv, `x${i}`)));
    await waitFor(() => activities(a.url, conv), (s) => s.activities.filter((x) => x.from.role === 'bot').length === 12, 10_000);
    expect(p.state.perConversationMax.get(conv.conversationId)).toBe(1);
  });
});

describe('inbound dedupe by message id (Emulator endpoint)', () => {
  let t: TestApp;
  let replies: { path: string; body: any }[];
  let fakeEmulator: Server;
  let serviceUrl: string;
  const turns: string[] = [];

  beforeAll(async () => {
    replies = [];
    // Stands in for the Bot Framework Emulator, which receives the bot's replies by HTTP POST.
    fakeEmulator = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        replies.push({ path: req.url ?? '', body: JSON.parse(data || '{}') });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `r${replies.length}` }));
      });
    });
    await new Promise<void>((r) => fakeEmulator.listen(0, '127.0.0.1', r));
    serviceUrl = `http://127.0.0.1:${(fakeEmulator.address() as AddressInfo).port}`;
    t = await startTestApp({
      turnLogic: async (context) => {
        turns.push(context.activity.id ?? '');
        await context.sendActivity('ok');
      },
    });
  });
  afterAll(async () => {
    await t.close();
    fakeEmulator.close();
  });

  const activity = (id: string) => ({
    type: 'message', id, text: 'hi', channelId: 'emulator', serviceUrl,
    conversation: { id: 'conv-emu-1' }, from: { id: 'user-1' }, recipient: { id: 'bot' },
  });

  it('runs one turn for a message id delivered twice', async () => {
    const first = await http('POST', `${t.url}/api/messages`, { body: activity('same-id') });
    const second = await http('POST', `${t.url}/api/messages`, { body: activity('same-id') });
    expect([first.status, second.status]).toEqual([200, 200]);
    await http('POST', `${t.url}/api/messages`, { body: activity('other-id') });
    expect(turns).toEqual(['same-id', 'other-id']);
    expect(replies).toHaveLength(2);
    const counted = (await t.app.metrics.duplicates.get()).values.find((v) => v.labels.channel === 'emulator');
    expect(counted?.value).toBe(1);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/bot_inbound_duplicates_total\{channel="emulator"\} 1/);
  });

  it('answers 400, runs no turn, for an activity without a type', async () => {
    const before = turns.length;
    const { type: _omit, ...noType } = activity('no-type');
    const r = await http<any>('POST', `${t.url}/api/messages`, { body: noType });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(turns.length).toBe(before);
  });
});
