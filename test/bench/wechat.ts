/**
 * `npm run bench:wechat`: WeChat callback latency at a fixed request rate in
 * safe mode (signed, encrypted XML in; encrypted passive reply out), beside the
 * same load on the web channel (Direct Line POST in, the reply on the
 * WebSocket stream), in one run against the real bot in a child process.
 *
 * Options: --rate 200 (requests per second) --seconds 10 --users 200 --redis redis://127.0.0.1:6379
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { Redis } from 'ioredis';
import { FakeWeChatServer } from '../fakes/wechat-server';
import { SimulatedWeChatUser } from '../fakes/wechat-user';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    users: { type: 'string', default: '200' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const USERS = Number(args.users);
const WX = { appId: 'wxbench000000001', secret: 'bench-secret', token: 'benchtoken', aesKey: 'BenchKey0123456789abcdefghijklmnopqrstuvwxy' };

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Fires `fire(i)` at a fixed rate (open loop: a slow answer does not slow the senders). */
async function openLoop(fire: (i: number) => Promise<number>): Promise<{ latencies: number[]; errors: number }> {
  const total = RATE * SECONDS;
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(fire(i).then((ms) => void latencies.push(ms), () => void errors++));
  }
  await Promise.all(pending);
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

async function main(): Promise<void> {
  const fake = new FakeWeChatServer(WX.appId, WX.secret);
  await fake.start();
  const prefix = `bench:wx:${randomUUID().slice(0, 8)}:`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'server.ts'), 'full'], {
    env: {
      ...process.env, REDIS_URL: args.redis, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'development',
      WECHAT_OA_APP_ID: WX.appId, WECHAT_OA_APP_SECRET: WX.secret, WECHAT_OA_TOKEN: WX.token, WECHAT_OA_AES_KEY: WX.aesKey,
      WECHAT_API_BASE_URL: fake.url, WEBCHAT_TOKENS_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, secret] = await new Promise<string[]>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /LISTENING (\S+) (\S+)/.exec(buf);
      if (m) resolve([m[1]!, m[2]!]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

  try {
    console.log(`bench:wechat — ${RATE} requests/s for ${SECONDS} s over ${USERS} customers, real bot, Redis ${args.redis}`);
    // WeChat, safe mode: latency = the callback's HTTP round trip (the passive reply is in the answer).
    const users = Array.from({ length: USERS }, (_, i) => new SimulatedWeChatUser({ botUrl: url!, ...WX, safeMode: true, openId: `obench${String(i).padStart(6, '0')}` }));
    await Promise.all(users.map((u) => u.send(u.event('subscribe')))); // warm-up and greeting
    const wx = await openLoop(async (i) => {
      const u = users[i % USERS]!;
      const t0 = performance.now();
      const r = await u.send(u.text('帮助'));
      if (r.status !== 200 || !r.reply) throw new Error(`HTTP ${r.status}`);
      return performance.now() - t0;
    });

    // Web: the same rate of messages over Direct Line; latency = POST sent → the turn's last reply on the stream.
    const convs = await Promise.all(Array.from({ length: USERS }, async () => {
      const start = (await (await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: '{}' })).json()) as { conversationId: string; token: string; streamUrl: string };
      const ws = new WebSocket(start.streamUrl);
      const waiting = new Map<string, () => void>();
      const answered = new Set<string>();
      ws.on('message', (data) => {
        const text = data.toString();
        if (!text) return;
        for (const a of (JSON.parse(text) as { activities: any[] }).activities) {
          if (a.from?.role === 'bot' && a.replyToId && a.suggestedActions) {
            answered.add(a.replyToId);
            waiting.get(a.replyToId)?.();
          }
        }
      });
      await new Promise((r) => ws.once('open', r));
      return { ...start, ws, waiting, answered };
    }));
    const web = await openLoop(async (i) => {
      const c = convs[i % USERS]!;
      const t0 = performance.now();
      const res = await fetch(`${url}/v3/directline/conversations/${c.conversationId}/activities`, {
        method: 'POST', headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: '帮助', from: { id: 'u' }, locale: 'zh-CN' }),
      });
      const { id } = (await res.json()) as { id: string };
      await new Promise<void>((resolve, reject) => {
        if (c.answered.delete(id)) return resolve();
        const timer = setTimeout(() => reject(new Error('no reply')), 10_000);
        c.waiting.set(id, () => { clearTimeout(timer); c.waiting.delete(id); c.answered.delete(id); resolve(); });
      });
      return performance.now() - t0;
    });
    for (const c of convs) c.ws.close();

    const row = (name: string, r: typeof wx) =>
      `${name.padEnd(22)} requests=${r.latencies.length + r.errors} errors=${r.errors}  p50=${pct(r.latencies, 50).toFixed(1).padStart(6)} ms  p99=${pct(r.latencies, 99).toFixed(1).padStart(6)} ms  max=${(r.latencies.at(-1) ?? NaN).toFixed(1)} ms`;
    console.log(row('wechat safe mode', wx));
    console.log(row('web (Direct Line)', web));
    console.log(`ratio wechat/web: p50 ×${(pct(wx.latencies, 50) / pct(web.latencies, 50)).toFixed(2)}, p99 ×${(pct(wx.latencies, 99) / pct(web.latencies, 99)).toFixed(2)}; passive-reply deadline 5000 ms`);
  } finally {
    child.kill('SIGTERM');
    await fake.stop();
    const redis = new Redis(args.redis);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
