/** Shared by the benchmarks: a bot server in a child process, and a web-chat customer on Direct Line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import WebSocket from 'ws';
import { Redis } from 'ioredis';

export interface BenchServer {
  url: string;
  secret: string;
  prefix: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `server.ts` (mode full or echo) against `redisUrl` with its own key prefix; deletes its keys on stop. */
export async function startServer(mode: 'full' | 'echo', redisUrl: string, env: Record<string, string> = {}, profile = false): Promise<BenchServer> {
  const prefix = `bench:${mode}:${randomUUID().slice(0, 8)}:`;
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir=profiles'] : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', path.join(__dirname, 'server.ts'), mode], {
    env: { ...process.env, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'development', WEBCHAT_TOKENS_PER_MINUTE: '100000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, secret] = await new Promise<[string, string]>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /LISTENING (\S+) (\S+)/.exec(buf);
      if (m) resolve([m[1]!, m[2]!]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return {
    url, secret, prefix, child,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/** A web-chat customer: posts over Direct Line REST, hears the bot on the WebSocket stream. */
export class WebCustomer {
  private readonly waiting = new Map<string, () => void>();
  private readonly answered = new Set<string>(); // replies can arrive on the stream before the POST's answer

  private constructor(
    private readonly url: string,
    private readonly conversationId: string,
    private readonly token: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text) return;
      for (const a of (JSON.parse(text) as { activities: any[] }).activities) {
        // A turn is over when its reply carrying suggested actions (the menu or a question) arrives.
        if (a.from?.role === 'bot' && a.replyToId && a.suggestedActions) {
          this.answered.add(a.replyToId);
          this.waiting.get(a.replyToId)?.();
        }
      }
    });
  }

  static async start(url: string, secret: string): Promise<WebCustomer> {
    const res = await fetch(`${url}/v3/directline/conversations`, {
      method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: '{}',
    });
    const conv = (await res.json()) as { conversationId: string; token: string; streamUrl: string };
    const ws = new WebSocket(conv.streamUrl);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    return new WebCustomer(url, conv.conversationId, conv.token, ws);
  }

  /** Sends a message; resolves with the milliseconds until the turn's last reply arrived. */
  async say(text: string): Promise<number> {
    const t0 = performance.now();
    const res = await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text, from: { id: 'u' }, locale: 'zh-CN' }),
    });
    const { id } = (await res.json()) as { id: string };
    await new Promise<void>((resolve, reject) => {
      if (this.answered.delete(id)) return resolve();
      const timer = setTimeout(() => reject(new Error('no reply in 10 s')), 10_000);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        this.answered.delete(id);
        resolve();
      });
    });
    return performance.now() - t0;
  }

  close(): void {
    this.ws.close();
  }
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
