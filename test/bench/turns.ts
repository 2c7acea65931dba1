/**
 * `npm run bench`: drives concurrent web conversations through the real HTTP
 * path (Direct Line REST in, WebSocket stream out) and Redis, against an echo
 * bot on the same stack (the floor) and against the real bot, in one run.
 *
 * By default each simulated customer follows a realistic mix of conversations
 * (`mix.ts`): complaint intakes told as stories and followed through the bot's
 * questions to the ticket, progress checks, questions, menu and help, in
 * simplified and traditional Chinese and English. `--mix menu` is the old
 * menu-only path (a short message the bot re-asks with the menu), the
 * cheapest turn there is; `--mix intake|progress|question|help` runs one kind.
 *
 * Two phases per bot: "paced" (each customer writes again `--think-ms` after its
 * answer, with jitter: latency under realistic load) and "saturated" (no think
 * time: the most turns per second, and CPU per turn; rounds alternate between
 * the bots and the median is reported). Prints turns/s, p50/p99 per bot and per
 * turn kind, server CPU per turn, the ratios real/echo, the event-loop delay of
 * the server and of this process, the slowest turns, and the machine's load
 * (docs/bench.md: how to read it, and the figures).
 *
 * Options: --conversations 100 --turns 20 --think-ms 1000 --rounds 5 --mix real
 *          --redis redis://127.0.0.1:6379 --profile --trace
 */
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { endsTurn } from './bot-speech';
import { percentile, startServer, WebCustomer, type BenchServer } from './harness';
import { channelLocale, drawLanguage, MIXES, runCustomer, ScriptSizes, TURN_KINDS, type Mix, type TurnKind } from './mix';
import type { Lang } from './phrases';
import { reportProfiles } from './profile-report';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100' },
    turns: { type: 'string', default: '20' },
    'think-ms': { type: 'string', default: '1000' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    // `--profile` writes a V8 CPU profile of each server to ./profiles and prints where the time went.
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    mix: { type: 'string', default: 'real' },
    // `--trace` prints a few conversations of the mix with the real bot's answers, then stops.
    trace: { type: 'boolean', default: false },
  },
});
const CONVERSATIONS = Number(args.conversations);
const TURNS = Number(args.turns);
const THINK_MS = Number(args['think-ms']);
const ROUNDS = Number(args.rounds);
const MENU_ONLY = args.mix === 'menu';
const MIX: Mix | undefined = MIXES[args.mix!];
if (!MENU_ONLY && !MIX) throw new Error(`--mix must be one of menu, ${Object.keys(MIXES).join(', ')}`);

/** The server's CPU seconds so far, and its event-loop delay since the previous scrape (prom-client resets it on each). */
async function serverMetrics(url: string): Promise<{ cpu: number; lagMaxMs: number; lagP99Ms: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return { cpu: read('process_cpu_seconds_total'), lagMaxMs: read('nodejs_eventloop_lag_max_seconds') * 1000, lagP99Ms: read('nodejs_eventloop_lag_p99_seconds') * 1000 };
}

const sleepThink = (thinkMs: number) => () => (thinkMs > 0 ? new Promise<void>((r) => setTimeout(r, thinkMs * (0.5 + Math.random()))) : Promise.resolve());

/**
 * Paced customers arrive over one think time rather than all in the same millisecond: a hundred chats opened
 * at once (each greeted with the menu) is a burst no web page sees, and it would be most of the p99.
 */
const arrive = (thinkMs: number) => (thinkMs > 0 ? new Promise<void>((r) => setTimeout(r, thinkMs * Math.random())) : Promise.resolve());

/** "fetch failed" says little: the cause (ECONNRESET, a timeout) says more. */
const describeError = (error: unknown) => {
  const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
};

/** The turns of one phase: latencies by kind, and the slowest turns with when they happened (stalls show as clusters). */
class Recorder {
  readonly byKind = Object.fromEntries(TURN_KINDS.map((k) => [k, [] as number[]])) as Record<TurnKind, number[]>;
  readonly slowest: { atS: number; kind: TurnKind; ms: number }[] = [];
  /** Conversations that ended on an error (a 5xx, no end of turn in 10 s): counted and shown, not hidden. */
  errors: string[] = [];
  private readonly t0 = performance.now();

  record(kind: TurnKind, ms: number): void {
    this.byKind[kind].push(ms);
    this.slowest.push({ atS: (performance.now() - this.t0) / 1000, kind, ms });
    if (this.slowest.length > 64) this.slowest.sort((a, b) => b.ms - a.ms).splice(8);
  }

  topSlowest(n: number) {
    return [...this.slowest].sort((a, b) => b.ms - a.ms).slice(0, n);
  }
}

/** The old path: something short the bot does not take as a command, re-asked with the menu. */
async function menuOnlyConversation(server: BenchServer, turns: Recorder, thinkMs: number): Promise<void> {
  await arrive(thinkMs);
  const customer = await WebCustomer.start(server.url, server.secret);
  try {
    for (let i = 0; i < TURNS; i++) {
      await sleepThink(thinkMs)();
      turns.record('menu', await customer.say(`第${i}笔`));
    }
  } catch (error) {
    turns.errors.push(describeError(error));
  } finally {
    customer.close();
  }
}

async function mixConversation(server: BenchServer, turns: Recorder, thinkMs: number, sizes: ScriptSizes, lang: Lang = drawLanguage(MIX!), trace?: (line: string) => void): Promise<void> {
  await arrive(thinkMs);
  const customer = await WebCustomer.start(server.url, server.secret, channelLocale(lang), endsTurn);
  try {
    await runCustomer(MIX!, sizes, TURNS, lang, (text) => customer.turn(text), sleepThink(thinkMs), (t) => turns.record(t.kind, t.ms), trace);
  } catch (error) {
    turns.errors.push(describeError(error));
  } finally {
    customer.close();
  }
}

type Phase = {
  turns: number; tps: number; p50: number; p99: number; cpuMsPerTurn: number; lagMaxMs: number; lagP99Ms: number; clientLagMaxMs: number;
  byKind: Record<TurnKind, number[]>; slowest: ReturnType<Recorder['topSlowest']>; sizes?: ScriptSizes; errors: string[];
};

async function phase(server: BenchServer, thinkMs: number, conversations = CONVERSATIONS): Promise<Phase> {
  const turns = new Recorder();
  const sizes = new ScriptSizes();
  const cpu0 = (await serverMetrics(server.url)).cpu;
  // The simulated customers share one process: a stall of theirs would look like a slow bot, so it is measured too.
  const clientLag = monitorEventLoopDelay({ resolution: 10 });
  clientLag.enable();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, () => (MENU_ONLY ? menuOnlyConversation(server, turns, thinkMs) : mixConversation(server, turns, thinkMs, sizes))),
  );
  const seconds = (performance.now() - t0) / 1000;
  clientLag.disable();
  const end = await serverMetrics(server.url);
  const cpu = end.cpu - cpu0;
  const byKind = turns.byKind;
  for (const list of Object.values(byKind)) list.sort((a, b) => a - b);
  const all = Object.values(byKind).flat().sort((a, b) => a - b);
  return {
    turns: all.length, tps: all.length / seconds, p50: percentile(all, 50), p99: percentile(all, 99), cpuMsPerTurn: (cpu * 1000) / all.length,
    lagMaxMs: end.lagMaxMs, lagP99Ms: end.lagP99Ms, clientLagMaxMs: clientLag.max / 1e6, byKind, slowest: turns.topSlowest(5), sizes: MENU_ONLY ? undefined : sizes, errors: turns.errors,
  };
}

/** Before measuring: every language once (the recognizers build each language's models on first use), then a few random customers. */
async function warmUp(server: BenchServer): Promise<void> {
  if (MENU_ONLY) return void (await phase(server, 0, 10));
  const sizes = new ScriptSizes();
  await Promise.all((['zh-CN', 'zh-TW', 'en', 'zh-CN', 'zh-TW', 'en'] as const).map((lang) => mixConversation(server, new Recorder(), 0, sizes, lang)));
  await phase(server, 0, 10);
}

/** Absolute figures mean little on a busy machine (the ratios to echo hold better): say how busy it was. */
function loadLine(when: string): string {
  const [one, five] = loadavg();
  const cores = availableParallelism();
  const busy = one! > cores * 0.5 ? ' — busy: other work shares the cores, absolute latencies are inflated' : ' — quiet';
  return `${when}: load average ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min) on ${cores} cores${busy}`;
}

/** The round with the median CPU per turn (GC and scheduling make single rounds noisy). */
const median = (rounds: Phase[]) => [...rounds].sort((a, b) => a.cpuMsPerTurn - b.cpuMsPerTurn)[Math.floor(rounds.length / 2)]!;
const pct = (n: number) => `${Math.round(n * 100)}%`;

function describeMix(): string {
  if (MENU_ONLY) return 'mix menu: every turn is a short message the bot does not take as a command (re-asked with the menu), zh-CN';
  const turns = Object.entries(MIX!.turns).map(([f, s]) => `${pct(s!)} ${f}`).join(', ');
  const langs = Object.entries(MIX!.languages).map(([l, s]) => `${pct(s)} ${l}`).join(', ');
  return `mix ${MIX!.name}: turns ${turns} (intake = a story, then answers to the bot's questions until the ticket); customers ${langs}`;
}

async function trace(server: BenchServer): Promise<void> {
  const sizes = new ScriptSizes();
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    console.log(`a ${lang} customer, ${TURNS} turns:`);
    await mixConversation(server, new Recorder(), 0, sizes, lang, (line) => console.log(line));
  }
}

function print(paced: Record<'echo' | 'full', Phase>, saturated: Record<'echo' | 'full', Phase>, rounds: { echo: Phase[]; full: Phase[] }): void {
  const row = (mode: string, name: string, r: Phase) =>
    `${mode.padEnd(5)} ${name.padEnd(9)} turns=${String(r.turns).padEnd(5)} ${r.tps.toFixed(0).padStart(5)} turns/s  p50=${r.p50.toFixed(1).padStart(6)} ms  p99=${r.p99.toFixed(1).padStart(6)} ms  server CPU ${r.cpuMsPerTurn.toFixed(2)} ms/turn  event-loop delay p99/max ${r.lagP99Ms.toFixed(0)}/${r.lagMaxMs.toFixed(0)} ms (bench client max ${r.clientLagMaxMs.toFixed(0)})`;
  console.log(describeMix());
  console.log(`paced = each conversation writes again ${THINK_MS} ms (±50%) after its answer; saturated = no pause (median of ${ROUNDS} alternating rounds)`);
  for (const mode of ['echo', 'full'] as const) {
    console.log(row(mode, 'paced', paced[mode]));
    console.log(row(mode, 'saturated', saturated[mode]));
  }
  if (!MENU_ONLY) {
    console.log('per turn kind (share of turns; p50/p99 ms; echo | full):');
    for (const kind of TURN_KINDS.filter((k) => paced.full.byKind[k].length > 0)) {
      const cell = (r: Phase) => `${percentile(r.byKind[kind], 50).toFixed(1).padStart(6)}/${percentile(r.byKind[kind], 99).toFixed(1).padStart(6)}`;
      const share = paced.full.byKind[kind].length / paced.full.turns;
      console.log(`  ${kind.padEnd(9)} ${pct(share).padStart(4)}  paced ${cell(paced.echo)} | ${cell(paced.full)}   saturated ${cell(saturated.echo)} | ${cell(saturated.full)}`);
    }
    const fams = paced.full.sizes!;
    console.log(`turns by script (full, paced): ${Object.entries(fams.turnsByFamily).filter(([, n]) => n > 0).map(([f, n]) => `${f} ${pct(n / paced.full.turns)}`).join(', ')}; turns per intake ${fams.mean('intake').toFixed(1)}`);
  }
  const slow = (r: Phase) => r.slowest.map((t) => `${t.ms.toFixed(0)} ms ${t.kind} at ${t.atS.toFixed(1)} s`).join(', ');
  console.log(`slowest paced turns: echo ${slow(paced.echo)}; full ${slow(paced.full)}`);
  const cpuRatio = saturated.full.cpuMsPerTurn / saturated.echo.cpuMsPerTurn;
  console.log(`CPU per turn, each round (echo/full): ${rounds.echo.map((e, i) => `${e.cpuMsPerTurn.toFixed(2)}/${rounds.full[i]!.cpuMsPerTurn.toFixed(2)}`).join('  ')}`);
  console.log(`ratio real/echo: CPU per turn ×${cpuRatio.toFixed(2)}, saturated throughput ×${(saturated.full.tps / saturated.echo.tps).toFixed(2)}, paced p99 ×${(paced.full.p99 / paced.echo.p99).toFixed(2)}`);
  const costTarget = MENU_ONLY ? 1.5 : 3;
  console.log(`targets: paced p99 < 50 ms → ${paced.full.p99 < 50 ? 'met' : 'NOT met'}; CPU per turn ≤ ${costTarget}× echo → ${cpuRatio <= costTarget ? 'met' : 'NOT met'}`);
}

(async () => {
  const started = Date.now();
  console.log(`bench: ${CONVERSATIONS} concurrent conversations × ${TURNS} turns, Direct Line over HTTP + WebSocket, Redis ${args.redis}`);
  console.log(loadLine('machine at start'));
  if (args.trace) {
    const server = await startServer('full', args.redis!);
    try {
      await trace(server);
    } finally {
      await server.stop();
    }
    process.exit(0);
  }
  const servers = { echo: await startServer('echo', args.redis!, {}, args.profile), full: await startServer('full', args.redis!, {}, args.profile) };
  try {
    for (const server of Object.values(servers)) await warmUp(server);
    const paced = { echo: await phase(servers.echo, THINK_MS), full: await phase(servers.full, THINK_MS) };
    // Saturated rounds alternate between the two bots, so both see the same machine.
    const rounds: { echo: Phase[]; full: Phase[] } = { echo: [], full: [] };
    for (let r = 0; r < ROUNDS; r++) {
      rounds.echo.push(await phase(servers.echo, 0));
      rounds.full.push(await phase(servers.full, 0));
    }
    print(paced, { echo: median(rounds.echo), full: median(rounds.full) }, rounds);
    const failed = [paced.echo, paced.full, ...rounds.echo, ...rounds.full].flatMap((r) => r.errors);
    if (failed.length > 0) console.log(`CONVERSATIONS ENDED ON AN ERROR: ${failed.length} (first: ${failed[0]}); figures cover the turns before it`);
    console.log(loadLine('machine at end'));
  } finally {
    await servers.echo.stop();
    await servers.full.stop();
  }
  if (args.profile) reportProfiles('profiles', started, { echo: servers.echo.child.pid, full: servers.full.child.pid });
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
