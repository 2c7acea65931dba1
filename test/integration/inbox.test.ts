/**
 * Nothing accepted is lost, nothing runs out of order: the web channel's
 * durable inbox, tried with a kill -9 between the 200 and the reply, a store
 * that fails after a client id is sent, two instances taking turns at 200
 * rapid messages, and a turn interrupted after some of its replies.
 */
import type { TurnContext } from 'botbuilder';
import { Redis } from 'ioredis';
import { activities, http, postMessage, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';
import { deleteKeys, testRedisUrl, uniquePrefix } from '../support/redis';
import { startBotProcess } from '../support/bot-process';

const echo = async (context: TurnContext) => {
  if (context.activity.type !== 'message') return;
  await context.sendActivity(`echo ${context.activity.text}`);
};

const lockKey = (prefix: string, conversationId: string) => `${prefix}lock:turn:directline:${conversationId}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a kill -9 between the 200 and the reply', () => {
  const prefix = uniquePrefix('inbox-kill');
  const redis = new Redis(testRedisUrl());
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('loses nothing: the next instance runs the turn, and the reply arrives once', async () => {
    const first = await startBotProcess({ REDIS_KEY_PREFIX: prefix });
    const conv = await startConversation(first.url);
    await waitFor(() => activities(first.url, conv), (s) => s.activities.some((a) => a.from.role === 'bot'), 15_000);
    const before = (await activities(first.url, conv)).activities.length;
    // Hold the conversation's lock as another instance would, so the turn cannot start before the kill.
    await redis.set(lockKey(prefix, conv.conversationId), 'held-by-test', 'PX', 60_000);
    const posted = await postMessage(first.url, conv, '帮助');
    expect(posted.status).toBe(200);
    await sleep(300);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const afterKill = await redis.lrange(`${prefix}dl:acts:{${conv.conversationId}}`, before, -1);
    expect(afterKill.map((a) => JSON.parse(a).from.role)).toEqual(['user']); // accepted, not answered
    await redis.del(lockKey(prefix, conv.conversationId));

    const second = await startBotProcess({ REDIS_KEY_PREFIX: prefix });
    try {
      await waitFor(
        () => activities(second.url, conv, before),
        (s) => s.activities.some((a) => a.replyToId === posted.body.id),
        15_000,
      );
      await sleep(1500); // a second run would show up here
      const replies = (await activities(second.url, conv, before)).activities.filter((a) => a.replyToId === posted.body.id);
      expect(replies.length).toBeGreaterThan(0);
      expect(new Set(replies.map((a) => a.text)).size).toBe(replies.length);
    } finally {
      await second.stop();
    }
  }, 60_000);
});

describe('one instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ turnLogic: echo });
  });
  afterAll(() => t.close());

  it('claims a client activity id only together with the stored activity, so a retry after a failed store runs', async () => {
    const conv = await startConversation(t.url);
    const acts = `${t.prefix}dl:acts:{${conv.conversationId}}`;
    const redis = t.backend.redis;
    // Make the store fail: the transcript key briefly holds the wrong type.
    await redis.rename(acts, `${acts}:saved`).catch(() => undefined);
    await redis.set(acts, 'not a list');
    const failed = await postMessage(t.url, conv, 'first try', { channelData: { clientActivityID: 'client-1' } });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    await redis.del(acts);
    await redis.rename(`${acts}:saved`, acts).catch(() => undefined);

    const retry = await postMessage(t.url, conv, 'first try', { channelData: { clientActivityID: 'client-1' } });
    expect(retry.status).toBe(200);
    const set = await waitFor(() => activities(t.url, conv), (s) => s.activities.some((a) => a.text === 'echo first try'));
    expect(set.activities.filter((a) => a.text === 'echo first try')).toHaveLength(1);

    const resend = await postMessage(t.url, conv, 'first try', { channelData: { clientActivityID: 'client-1' } });
    expect(resend.body.id).toBe(retry.body.id);
    await sleep(300);
    expect((await activities(t.url, conv)).activities.filter((a) => a.text === 'echo first try')).toHaveLength(1);
  });

  it('does not repeat the replies an interrupted turn had already stored', async () => {
    const conv = await startConversation(t.url);
    await t.backend.redis.set(lockKey(t.prefix, conv.conversationId), 'held-by-test', 'PX', 60_000);
    const posted = await postMessage(t.url, conv, 'hello');
    // What the interrupted run had stored before it died: its one reply.
    await t.backend.redis.rpush(
      `${t.prefix}dl:acts:{${conv.conversationId}}`,
      JSON.stringify({ type: 'message', id: 'earlier-run', text: 'echo hello', from: { id: 'bot', role: 'bot' }, replyToId: posted.body.id }),
    );
    await t.backend.redis.del(lockKey(t.prefix, conv.conversationId));
    await t.app.inboxSweeper.sweep(0);
    await sleep(200);
    const replies = (await activities(t.url, conv)).activities.filter((a) => a.replyToId === posted.body.id);
    expect(replies.map((a) => a.id)).toEqual(['earlier-run']);
  });
});

describe('two instances behind one Redis', () => {
  const prefix = uniquePrefix('inbox-order');
  let a: TestApp;
  let b: TestApp;
  const seen: string[] = [];
  const recording = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    seen.push(context.activity.text ?? '');
    await context.sendActivity(`echo ${context.activity.text}`);
  };
  beforeAll(async () => {
    a = await startTestApp({ turnLogic: recording, prefix });
    b = await startTestApp({ turnLogic: recording, prefix });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await deleteKeys(a.backend.redis, prefix).catch(() => undefined);
  });

  it('runs 200 rapid messages, alternating between them, in order: none inverted, lost or doubled', async () => {
    const conv = await startConversation(a.url);
    // As a customer typing fast: each message leaves a millisecond after the previous, without waiting for it.
    const posts: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 200; i++) {
      posts.push(postMessage(i % 2 ? b.url : a.url, conv, `m${i}`));
      await sleep(1);
    }
    expect((await Promise.all(posts)).every((r) => r.status === 200)).toBe(true);
    const set = await waitFor(
      () => http<{ activities: any[] }>('GET', `${a.url}/v3/directline/conversations/${conv.conversationId}/activities?watermark=0`, { token: conv.token }).then((r) => r.body),
      (s) => s.activities.filter((x) => x.from.role === 'bot').length >= 200,
      30_000,
    );
    await sleep(300); // anything doubled would arrive now
    // Acceptance order is the order of the transcript; turns and replies follow it exactly.
    const accepted = set.activities.filter((x) => x.from.role === 'user').map((x) => x.text);
    expect([...accepted].sort()).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`).sort());
    expect(seen).toEqual(accepted);
    const final = await http<{ activities: any[] }>('GET', `${a.url}/v3/directline/conversations/${conv.conversationId}/activities?watermark=0`, { token: conv.token });
    expect(final.body.activities.filter((x: any) => x.from.role === 'bot').map((x: any) => x.text)).toEqual(accepted.map((x) => `echo ${x}`));
  }, 60_000);
});
