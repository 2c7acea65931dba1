/**
 * The real bot as a separate process (`node --import tsx bot/index.ts`), with
 * a real Redis under a key prefix of its own: what a crash test needs, since a
 * crash of an in-process app would take the test runner with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { http } from './harness';
import { deleteKeys, testRedisUrl, uniquePrefix } from './redis';
import { Redis } from 'ioredis';

export const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';
const ROOT = path.resolve(__dirname, '..', '..');

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for diagnosing a failure. */
  output(): string;
  /** The exit code or signal once the process has ended; undefined while it runs. */
  exited(): string | undefined;
  stop(): Promise<void>;
}

export async function startBotProcess(env: Record<string, string> = {}): Promise<BotProcess> {
  const prefix = uniquePrefix('proc');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      DIRECT_LINE_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let ended: string | undefined;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  child.on('exit', (code, signal) => (ended = `code ${code} signal ${signal}`));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${out}`)), 30_000);
    const look = () => {
      const m = /Chat page:\s+(http:\/\/[^\s/]+)\//.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      } else if (ended) {
        clearTimeout(timer);
        reject(new Error(`bot exited (${ended}):\n${out}`));
      } else setTimeout(look, 50);
    };
    look();
  });
  return {
    url,
    child,
    output: () => out,
    exited: () => ended,
    async stop() {
      if (!ended) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      const redis = new Redis(testRedisUrl());
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}

/** A conversation started with the secret, as a site's server would: id, token and stream URL. */
export async function startWithSecret(base: string): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const gen = await http<{ token: string }>('POST', `${base}/v3/directline/tokens/generate`, { token: TEST_SECRET, body: {} });
  if (gen.status !== 200) throw new Error(`tokens/generate: ${gen.status} ${JSON.stringify(gen.body)}`);
  const c = await http<{ conversationId: string; token: string; streamUrl: string }>('POST', `${base}/v3/directline/conversations`, { token: gen.body.token, body: {} });
  if (c.status !== 201 && c.status !== 200) throw new Error(`start conversation: ${c.status}`);
  return c.body;
}

/** True when /healthz answers 200 within a second. */
export async function healthy(base: string): Promise<boolean> {
  try {
    const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

/** Runs one chat turn over REST: posts "help" and waits for the bot's reply to it. Returns the reply text. */
export async function chatTurn(base: string, conv: { conversationId: string; token: string }, text = 'help'): Promise<string> {
  const url = `${base}/v3/directline/conversations/${conv.conversationId}/activities`;
  const posted = await http<{ id: string }>('POST', url, { token: conv.token, body: { type: 'message', from: { id: 'u' }, text } });
  if (posted.status !== 200) throw new Error(`post: ${posted.status} ${JSON.stringify(posted.body)}`);
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    const got = await http<{ activities: { replyToId?: string; text?: string }[] }>('GET', `${url}?watermark=0`, { token: conv.token });
    const reply = got.body.activities?.find((a) => a.replyToId === posted.body.id);
    if (reply) return reply.text ?? '';
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no reply from the bot');
}
