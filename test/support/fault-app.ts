/**
 * The real app on loopback, opening its own Redis (no backend passed in, so the
 * configured timeouts apply as in production), and small HTTP helpers that keep
 * the response headers (Retry-After) — for the Redis fault tests.
 */
import { Writable } from 'node:stream';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
import { activities, daytimeClock, postMessage, startConversation, waitFor } from './harness';
import { uniquePrefix } from './redis';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface Started {
  app: App;
  url: string;
  logs: string[];
}

export async function startApp(redisUrl: string, env: Record<string, string> = {}): Promise<Started> {
  const config = loadConfig({
    NODE_ENV: 'development',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: uniquePrefix('faults'),
    DIRECT_LINE_SECRET: 'test-secret-0123456789-0123456789-abcdef',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: config.LOG_LEVEL,
    hashKey: 'test-hash-key',
    destination: new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }),
  });
  // No backend passed: the app opens Redis itself, with the configured timeouts (the production path).
  const app = await createApp({ config, logger, now: daytimeClock() });
  const url = await app.listen(0, '127.0.0.1');
  // The faults are made on a healthy app: on a loaded machine the first connection can take longer than a
  // command's time limit, so wait until /readyz says ready before handing the app to the test.
  await readyzBecomes(url, 200, 10_000);
  return { app, url, logs };
}

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

export async function get(url: string): Promise<Answer> {
  const res = await fetch(url, { method: 'GET' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function post(url: string, body: unknown, token?: string): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Milliseconds from now until /readyz answers `status` (polling), failing after `limitMs`. */
export async function readyzBecomes(url: string, status: number, limitMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const r = await get(`${url}/readyz`);
    if (r.status === status) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`/readyz still ${r.status} after ${limitMs} ms: ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A full chat turn over Direct Line: start a conversation, say "help", get the bot's answer. */
export async function chatTurnWorks(url: string): Promise<void> {
  const conv = await startConversation(url);
  const posted = await postMessage(url, conv, 'help');
  expect(posted.status).toBe(200);
  await waitFor(
    () => activities(url, conv),
    (set) => {
      const mine = set.activities.findIndex((a) => a.id === posted.body.id);
      return mine >= 0 && set.activities.slice(mine + 1).some((a) => a.from?.role === 'bot');
    },
    10_000,
  );
}

/** A customer's message over Direct Line, with the response headers. */
export function say(url: string, conv: { conversationId: string; token: string }, text: string) {
  return post(`${url}/v3/directline/conversations/${conv.conversationId}/activities`, { type: 'message', text, from: { id: 'ignored' } }, conv.token);
}

export function expectStoreUnavailable(r: Answer): void {
  expect(r.status).toBe(503);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(r.body).toEqual({ error: { code: 'STORE_UNAVAILABLE', message: expect.any(String) } });
}

