/**
 * Starts the real app on a loopback port with a real Redis (own key prefix),
 * and offers small HTTP helpers for the Direct Line endpoints.
 */
import type { TurnContext } from 'botbuilder';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
import { Writable } from 'node:stream';
import { deleteKeys, openTestBackend, uniquePrefix } from './redis';
import type { RedisBackend } from '../../bot/store/redis-backend';

export interface TestApp {
  app: App;
  url: string;
  backend: RedisBackend;
  prefix: string;
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  turnLogic?: (context: TurnContext) => Promise<void>;
  /** Share a prefix (and so all state) with another instance. */
  prefix?: string;
  now?: () => Date;
  /** false: the outbox's every-minute tick does not run (tests that tick by hand). */
  scheduler?: boolean;
  /** false: no staff desk (tests that mount their own with test timings). */
  desk?: boolean;
}

/**
 * The app's clock in tests: today at 10:00 in Shanghai, moving on with real time.
 * Office hours and quiet hours then behave the same whenever the tests run.
 */
export function daytimeClock(): () => Date {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const anchor = new Date(`${day}T10:00:00+08:00`).getTime();
  const started = Date.now();
  return () => new Date(anchor + (Date.now() - started));
}

/**
 * A fixed working day (Tuesday 2026-12-01) at `hour`:00 in Shanghai, moving on
 * with real time: office hours hold whatever day the tests run on.
 */
export function workingDayClock(hour = 10): () => Date {
  const anchor = Date.parse(`2026-12-01T${String(hour).padStart(2, '0')}:00:00+08:00`);
  const started = Date.now();
  return () => new Date(anchor + (Date.now() - started));
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const prefix = options.prefix ?? uniquePrefix('app');
  const config = loadConfig({
    NODE_ENV: 'development',
    REDIS_KEY_PREFIX: prefix,
    DIRECT_LINE_SECRET: 'test-secret-0123456789-0123456789-abcdef',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: config.LOG_LEVEL,
    hashKey: 'test-hash-key',
    destination: new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const backend = openTestBackend();
  // As bot/index.ts does at start-up: a test's first command must not find the connection still opening on a loaded machine.
  await backend.connected(10_000);
  const app = await createApp({ config, backend, logger, turnLogic: options.turnLogic, now: options.now ?? daytimeClock(), scheduler: options.scheduler, desk: options.desk });
  const url = await app.listen(0, '127.0.0.1');
  return {
    app,
    url,
    backend,
    prefix,
    logs,
    async close() {
      await app.close();
      if (!options.prefix) await deleteKeys(backend.redis, prefix);
      await backend.close();
    },
  };
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

export async function http<T = any>(method: string, url: string, init: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | Buffer | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}

/** Starts a Direct Line conversation the way the chat page does; returns its id and token. */
export async function startConversation(base: string, locale?: string): Promise<{ conversationId: string; token: string }> {
  const t = await http<{ token: string }>('POST', `${base}/webchat/token`);
  const c = await http<{ conversationId: string; token: string }>('POST', `${base}/v3/directline/conversations`, {
    token: t.body.token,
    body: locale ? { locale } : {},
  });
  if (c.status !== 201 && c.status !== 200) throw new Error(`start conversation: ${c.status}`);
  return c.body;
}

export async function activities(base: string, conv: { conversationId: string; token: string }, watermark = 0): Promise<{ activities: any[]; watermark: string }> {
  const r = await http<{ activities: any[]; watermark: string }>('GET', `${base}/v3/directline/conversations/${conv.conversationId}/activities?watermark=${watermark}`, { token: conv.token });
  return r.body;
}

export function postMessage(base: string, conv: { conversationId: string; token: string }, text: string, extra: Record<string, unknown> = {}) {
  return http<{ id: string }>('POST', `${base}/v3/directline/conversations/${conv.conversationId}/activities`, {
    token: conv.token,
    body: { type: 'message', text, from: { id: 'ignored' }, ...extra },
  });
}

/** Polls until `predicate` holds or the time runs out. */
export async function waitFor<T>(probe: () => Promise<T>, predicate: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`waitFor timed out; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Bot messages after the customer's message at `afterWatermark`. */
export async function botReplies(base: string, conv: { conversationId: string; token: string }, afterWatermark: number, count = 1): Promise<any[]> {
  const set = await waitFor(
    () => activities(base, conv, afterWatermark),
    (s) => s.activities.filter((a) => a.from?.role === 'bot').length >= count,
  );
  return set.activities.filter((a) => a.from?.role === 'bot');
}
