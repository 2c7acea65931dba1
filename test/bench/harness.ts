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
    env: { ...process.env, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'development', WEBCHAT_TOKENS_PER_MINUTE: '100000',
      // Every simulated customer comes from 127.0.0.1: lift the per-address stream bound.
      DIRECT_LINE_STREAMS_PER_ADDRESS: '100000',
      // …and the per-address connection bound: a benchmark's HTTP client keeps its idle keep-alive sockets beside
      // hundreds of streams, all from one address, which in production would be hundreds of customers' own.
      MAX_CONNECTIONS_PER_ADDRESS: '100000',
      // Saturated phases queue hundreds of commands at once on a 2-core machine shared with other work; past the
      // production fail-fast bound (1 s) the bot answers 503, which is right in production but not what is measured here.
      REDIS_COMMAND_TIMEOUT_MS: '10000', ...env },
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
  // A benchmark that dies (Ctrl-C, a closed pipe) must not leave its servers running.
  const orphanGuard = () => child.kill('SIGKILL');
  process.on('exit', orphanGuard);
  return {
    url, secret, prefix, child,
    async stop() {
      process.off('exit', orphanGuard);
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

/** What the bot said in one turn, and how long the whole turn took. */
export interface TurnResult {
  ms: number;
  replies: BotReply[];
}

export interface BotReply {
  text?: string;
  suggestedActions?: { actions?: { title?: string; value?: unknown }[] };
}

/**
 * Whether a reply is the turn's last. The bot's last reply is the one that
 * waits for the customer: the menu or a question with buttons, or one of the
 * intake's plain questions (the mix passes a predicate that knows them).
 */
export type EndsTurn = (reply: BotReply) => boolean;
const withButtons: EndsTurn = (reply) => reply.suggestedActions !== undefined;

/** A web-chat customer: posts over Direct Line REST, hears the bot on the WebSocket stream. */
export class WebCustomer {
  /** Replies heard so far for each of our activities (they can arrive on the stream before the POST's answer). */
  private readonly heard = new Map<string, BotReply[]>();
  private readonly ended = new Set<string>();
  private readonly waiting = new Map<string, () => void>();

  private constructor(
    private readonly url: string,
    private readonly conversationId: string,
    private readonly token: string,
    private readonly ws: WebSocket,
    private readonly locale: string,
    private readonly endsTurn: EndsTurn,
  ) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text) return;
      for (const a of (JSON.parse(text) as { activities: any[] }).activities) {
        if (a.from?.role === 'bot' && !a.replyToId && typeof a.text === 'string') this.unprompted(a.text);
        if (a.from?.role !== 'bot' || !a.replyToId) continue;
        const replies = this.heard.get(a.replyToId) ?? [];
        replies.push({ text: a.text, suggestedActions: a.suggestedActions });
        this.heard.set(a.replyToId, replies);
        if (this.endsTurn(a)) {
          this.ended.add(a.replyToId);
          this.waiting.get(a.replyToId)?.();
        }
      }
    });
  }

  /** Messages the bot sent on its own (a notice, a staff member's reply), not in answer to one of ours. */
  private readonly unpromptedWaiters: { match: RegExp; resolve: (at: number) => void }[] = [];
  private unprompted(text: string): void {
    const at = performance.now();
    for (const w of [...this.unpromptedWaiters]) {
      if (!w.match.test(text)) continue;
      this.unpromptedWaiters.splice(this.unpromptedWaiters.indexOf(w), 1);
      w.resolve(at);
    }
  }

  /** Resolves with the moment (performance.now) a message matching `match` arrives unprompted. */
  heardUnprompted(match: RegExp, timeoutMs = 120_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing matching ${match} within ${timeoutMs} ms`)), timeoutMs);
      this.unpromptedWaiters.push({ match, resolve: (at) => (clearTimeout(timer), resolve(at)) });
    });
  }

  static async start(url: string, secret: string, locale = 'zh-CN', endsTurn: EndsTurn = withButtons): Promise<WebCustomer> {
    const res = await fetch(`${url}/v3/directline/conversations`, {
      method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: '{}',
    });
    const conv = (await res.json()) as { conversationId: string; token: string; streamUrl: string };
    const ws = new WebSocket(conv.streamUrl);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    return new WebCustomer(url, conv.conversationId, conv.token, ws, locale, endsTurn);
  }

  /** Sends a message; resolves with the milliseconds until the turn's last reply arrived. */
  async say(text: string): Promise<number> {
    return (await this.turn(text)).ms;
  }

  /** Sends a message; resolves with the turn's replies and the milliseconds until the last one arrived. */
  async turn(text: string): Promise<TurnResult> {
    const t0 = performance.now();
    // As Web Chat does: a client id makes a resend safe (the server answers it with the first id and runs no second turn).
    const body = JSON.stringify({ type: 'message', text, from: { id: 'u' }, locale: this.locale, channelData: { clientActivityID: randomUUID() } });
    const post = () =>
      fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, {
        method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' }, body,
      });
    // A kept-alive socket the server closed at the moment it was reused ("other side closed") is resent once, as browsers do.
    const res = await post().catch((error: { cause?: { code?: string } }) => {
      if (error.cause?.code === 'UND_ERR_SOCKET' || error.cause?.code === 'ECONNRESET') return post();
      throw error;
    });
    if (!res.ok) throw new Error(`POST answered ${res.status}`);
    const { id } = (await res.json()) as { id: string };
    await new Promise<void>((resolve, reject) => {
      if (this.ended.has(id)) return resolve();
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no end of turn in 10 s after "${text.slice(0, 20)}"; heard: ${JSON.stringify(this.heard.get(id) ?? []).slice(0, 300)}`));
      }, 10_000);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve();
      });
    });
    const ms = performance.now() - t0;
    const replies = this.heard.get(id) ?? [];
    this.heard.delete(id);
    this.ended.delete(id);
    return { ms, replies };
  }

  close(): void {
    this.ws.close();
  }
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Fires `fire(i)` `rate` times a second for `seconds` (open loop: a slow answer does not slow the senders);
 * what each call resolved with, and how many rejected.
 */
export async function openLoop<T>(rate: number, seconds: number, fire: (i: number) => Promise<T>): Promise<{ results: T[]; errors: number }> {
  const total = rate * seconds;
  const results: T[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(fire(i).then((r) => void results.push(r), () => void errors++));
  }
  await Promise.all(pending);
  return { results, errors };
}
