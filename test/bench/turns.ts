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
 * The customer writes something short the bot does not take as a command, so
 * both bots answer with one message (the real bot re-asks with the menu).
 *
 * Options: --conversations 100 --turns 20 --think-ms 1000 --rounds 5 --redis redis://127.0.0.1:6379 --profile
 */
import { parseArgs } from 'node:util';
import { percentile, startServer, WebCustomer, type BenchServer } from './harness';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100' },
    turns: { type: 'string', default: '20' },
    'think-ms': { type: 'string', default: '1000' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    // For profiling: `--profile` writes a V8 CPU profile of each server to ./profiles.
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
  },
});
const CONVERSATIONS = Number(args.conversations);
const TURNS = Number(args.turns);
const THINK_MS = Number(args['think-ms']);
const ROUNDS = Number(args.rounds);

async function serverCpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)?.[1] ?? NaN);
}

async function conversation(server: BenchServer, latencies: number[], thinkMs: number): Promise<void> {
  const customer = await WebCustomer.start(server.url, server.secret);
  try {
    for (let i = 0; i < TURNS; i++) {
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
      latencies.push(await customer.say(`第${i}笔`));
    }
  } finally {
    customer.close();
  }
}

type Phase = { turns: number; tps: number; p50: number; p99: number; cpuMsPerTurn: number };

async function phase(server: BenchServer, thinkMs: number): Promise<Phase> {
  const latencies: number[] = [];
  const cpu0 = await serverCpuSeconds(server.url);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONVERSATIONS }, () => conversation(server, latencies, thinkMs)));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (await serverCpuSeconds(server.url)) - cpu0;
  latencies.sort((a, b) => a - b);
  return { turns: latencies.length, tps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMsPerTurn: (cpu * 1000) / latencies.length };
}

/** The round with the median CPU per turn (GC and scheduling make single rounds noisy). */
const median = (rounds: Phase[]) => [...rounds].sort((a, b) => a.cpuMsPerTurn - b.cpuMsPerTurn)[Math.floor(rounds.length / 2)]!;

(async () => {
  console.log(`bench: ${CONVERSATIONS} concurrent conversations × ${TURNS} turns, Direct Line over HTTP + WebSocket, Redis ${args.redis}`);
  const servers = { echo: await startServer('echo', args.redis!, {}, args.profile), full: await startServer('full', args.redis!, {}, args.profile) };
  try {
    for (const server of Object.values(servers)) await Promise.all(Array.from({ length: 10 }, () => conversation(server, [], 0))); // warm-up
    const paced = { echo: await phase(servers.echo, THINK_MS), full: await phase(servers.full, THINK_MS) };
    // Saturated rounds alternate between the two bots, so both see the same machine.
    const rounds: { echo: Phase[]; full: Phase[] } = { echo: [], full: [] };
    for (let r = 0; r < ROUNDS; r++) {
      rounds.echo.push(await phase(servers.echo, 0));
      rounds.full.push(await phase(servers.full, 0));
    }
    const saturated = { echo: median(rounds.echo), full: median(rounds.full) };
    const row = (mode: string, name: string, r: Phase) =>
      `${mode.padEnd(5)} ${name.padEnd(9)} turns=${r.turns}  ${r.tps.toFixed(0).padStart(5)} turns/s  p50=${r.p50.toFixed(1).padStart(6)} ms  p99=${r.p99.toFixed(1).padStart(6)} ms  server CPU ${r.cpuMsPerTurn.toFixed(2)} ms/turn`;
    console.log(`paced = each conversation writes again ${THINK_MS} ms (±50%) after its answer; saturated = no pause (median of ${ROUNDS} alternating rounds)`);
    for (const mode of ['echo', 'full'] as const) {
      console.log(row(mode, 'paced', paced[mode]));
      console.log(row(mode, 'saturated', saturated[mode]));
    }
    const cpuRatio = saturated.full.cpuMsPerTurn / saturated.echo.cpuMsPerTurn;
    console.log(`CPU per turn, each round (echo/full): ${rounds.echo.map((e, i) => `${e.cpuMsPerTurn.toFixed(2)}/${rounds.full[i]!.cpuMsPerTurn.toFixed(2)}`).join('  ')}`);
    console.log(`ratio full/echo: CPU per turn ×${cpuRatio.toFixed(2)}, saturated throughput ×${(saturated.full.tps / saturated.echo.tps).toFixed(2)}, paced p99 ×${(paced.full.p99 / paced.echo.p99).toFixed(2)}`);
    console.log(`targets: paced p99 < 50 ms → ${paced.full.p99 < 50 ? 'met' : 'NOT met'}; cost per turn ≤ 1.5× echo → ${cpuRatio <= 1.5 ? 'met' : 'NOT met'}`);
  } finally {
    await servers.echo.stop();
    await servers.full.stop();
  }
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
