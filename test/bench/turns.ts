/**
 * `npm run bench`: drives concurrent conversations through the real HTTP path
 * (Direct Line REST in, WebSocket stream out) and Redis, first against an echo
 * bot on the same stack (the floor), then against the real bot, in one run.
 * Prints turns per second, p50/p99 latency (POST sent → the turn's last reply
 * received on the stream), server CPU per turn, and the ratios to the floor.
 *
 * Two phases per bot: "paced" (each conversation writes again `--think-ms` after
 * its answer, with jitter, as a customer would: latency under realistic load) and
 * "saturated" (no think time: the most turns per second, and CPU per turn).
 * The customer writes something the bot does not take as a command, so both bots
 * answer with one message (the real bot re-asks with the menu).
 *
 * Options: --conversations 100 --turns 20 (per conversation) --think-ms 1000 --redis redis://127.0.0.1:6379
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { Redis } from 'ioredis';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100' },
    turns: { type: 'string', default: '20' },
    'think-ms': { type: 'string', default: '1000' },
    // For profiling: `--profile` writes a V8 CPU profile of each server to ./profiles.
    profile: { type: 'boolean', default: false },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const CONVERSATIONS = Number(args.conversations);
const TURNS = Number(args.turns);
const THINK_MS = Number(args['think-ms']);

interface Server { child: ChildProcess; url: string; secret: string; prefix: string }

async function startServer(mode: 'echo' | 'full'): Promise<Server> {
  const prefix = `bench:${mode}:${randomUUID().slice(0, 8)}:`;
  const profile = args.profile ? ['--cpu-prof', '--cpu-prof-dir=profiles'] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(__dirname, 'server.ts'), mode], {
    env: { ...process.env, REDIS_URL: args.redis, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'development', WEBCHAT_TOKENS_PER_MINUTE: '100000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /LISTENING (\S+) (\S+)/.exec(buf);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const [, url, secret] = line.split(' ');
  return { child, url: url!, secret: secret!, prefix };
}

async function serverCpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)?.[1] ?? NaN);
}

async function conversation(server: Server, latencies: number[], thinkMs: number): Promise<void> {
  const start = await (await fetch(`${server.url}/v3/directline/conversations`, {
    method: 'POST', headers: { Authorization: `Bearer ${server.secret}`, 'Content-Type': 'application/json' }, body: '{}',
  })).json() as { conversationId: string; token: string; streamUrl: string };
  const ws = new WebSocket(start.streamUrl);
  const waiting = new Map<string, () => void>();
  const answered = new Set<string>(); // replies can arrive on the stream before the POST's answer does
  ws.on('message', (data) => {
    const text = data.toString();
    if (!text) return;
    for (const a of (JSON.parse(text) as { activities: any[] }).activities) {
      // The turn is over when its reply carrying the menu (suggested actions) arrives.
      if (a.from?.role === 'bot' && a.replyToId && a.suggestedActions) {
        answered.add(a.replyToId);
        waiting.get(a.replyToId)?.();
      }
    }
  });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  for (let i = 0; i < TURNS; i++) {
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v3/directline/conversations/${start.conversationId}/activities`, {
      method: 'POST', headers: { Authorization: `Bearer ${start.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: `我想问一下第${i}笔交易`, from: { id: 'u' }, locale: 'zh-CN' }),
    });
    const { id } = await res.json() as { id: string };
    await new Promise<void>((resolve, reject) => {
      if (answered.delete(id)) return resolve();
      const timer = setTimeout(() => reject(new Error('no reply in 10 s')), 10_000);
      waiting.set(id, () => { clearTimeout(timer); waiting.delete(id); resolve(); });
    });
    latencies.push(performance.now() - t0);
  }
  ws.close();
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function run(mode: 'echo' | 'full') {
  const server = await startServer(mode);
  try {
    // Warm-up: JIT, Redis scripts, connection pools.
    await Promise.all(Array.from({ length: 10 }, () => conversation(server, [], 0)));
    const phase = async (thinkMs: number) => {
      const latencies: number[] = [];
      const cpu0 = await serverCpuSeconds(server.url);
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CONVERSATIONS }, () => conversation(server, latencies, thinkMs)));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = (await serverCpuSeconds(server.url)) - cpu0;
      latencies.sort((a, b) => a - b);
      return { turns: latencies.length, tps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), cpuMsPerTurn: (cpu * 1000) / latencies.length };
    };
    const paced = await phase(THINK_MS);
    const saturated = await phase(0);
    return { mode, paced, saturated };
  } finally {
    server.child.kill('SIGTERM');
    const redis = new Redis(args.redis);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${server.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

(async () => {
  console.log(`bench: ${CONVERSATIONS} concurrent conversations × ${TURNS} turns, Direct Line over HTTP + WebSocket, Redis ${args.redis}`);
  const floor = await run('echo');
  const full = await run('full');
  type Phase = typeof floor.paced;
  const row = (mode: string, name: string, r: Phase) =>
    `${mode.padEnd(5)} ${name.padEnd(9)} turns=${r.turns}  ${r.tps.toFixed(0).padStart(5)} turns/s  p50=${r.p50.toFixed(1).padStart(6)} ms  p99=${r.p99.toFixed(1).padStart(6)} ms  server CPU ${r.cpuMsPerTurn.toFixed(2)} ms/turn`;
  console.log(`paced = each conversation writes again ${THINK_MS} ms (±50%) after its answer; saturated = no pause`);
  for (const r of [floor, full]) {
    console.log(row(r.mode, 'paced', r.paced));
    console.log(row(r.mode, 'saturated', r.saturated));
  }
  const cpuRatio = full.saturated.cpuMsPerTurn / floor.saturated.cpuMsPerTurn;
  console.log(`ratio full/echo: CPU per turn ×${cpuRatio.toFixed(2)}, saturated throughput ×${(full.saturated.tps / floor.saturated.tps).toFixed(2)}, paced p99 ×${(full.paced.p99 / floor.paced.p99).toFixed(2)}`);
  console.log(`targets: paced p99 < 50 ms → ${full.paced.p99 < 50 ? 'met' : 'NOT met'}; cost per turn ≤ 1.5× echo → ${cpuRatio <= 1.5 ? 'met' : 'NOT met'}`);
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
