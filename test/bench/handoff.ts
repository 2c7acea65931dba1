/**
 * npm run bench:handoff — live handoff under load (issue 10).
 *
 * One bot server (its own process) serves customers on Direct Line; a second
 * bot instance in this process, on the same Redis, is where the staff work
 * (as a desk on another instance would). Two runs, same machine, same mix:
 *  - baseline: 100 customers talk to the bot (the realistic mix of bench:turns);
 *  - handoff:  the same 100, while 50 more ask for a person and 5 staff take
 *    the chats one at a time (claim, a reply after a short typing time, hand back).
 * Printed: the time from asking to the first staff reply as the customer sees
 * it (p50/p99), and the other customers' turn latency in both runs with the
 * ratio handoff / baseline.
 */
import { parseArgs } from 'node:util';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { endsTurn, understand } from './bot-speech';
import { percentile, startServer, WebCustomer, type BenchServer } from './harness';
import { channelLocale, drawLanguage, MIXES, runCustomer, ScriptSizes } from './mix';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100' },
    askers: { type: 'string', default: '50' },
    staff: { type: 'string', default: '5' },
    turns: { type: 'string', default: '8' },
    'think-ms': { type: 'string', default: '500' },
    'typing-ms': { type: 'string', default: '300' },
  },
});
const CUSTOMERS = Number(args.customers);
const ASKERS = Number(args.askers);
const STAFF = Number(args.staff);
const TURNS = Number(args.turns);
const THINK_MS = Number(args['think-ms']);
const TYPING_MS = Number(args['typing-ms']);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STAFF_REPLY = '您好，我是客服专员，这就为您处理。';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const think = () => sleep(THINK_MS * (0.5 + Math.random()));

/** A talker whose chat triage passed to a person (angry words in the mix): they stop talking to the bot. */
class HandedOff extends Error {}

/**
 * The other customers: the realistic mix, each turn timed. When staff are on duty, triage hands some of them
 * (the angry ones) to a person: that turn is timed, then they wait for staff like any other queued chat and
 * are counted apart — neither an error nor bot turns.
 */
async function talkers(server: BenchServer, n: number): Promise<{ ms: number[]; errors: number; handedOff: number }> {
  const ms: number[] = [];
  let errors = 0;
  let handedOff = 0;
  const sizes = new ScriptSizes();
  await Promise.all(
    Array.from({ length: n }, async () => {
      await sleep(THINK_MS * Math.random());
      const lang = drawLanguage(MIXES.real!);
      const c = await WebCustomer.start(server.url, server.secret, channelLocale(lang), endsTurn);
      const turn = async (text: string) => {
        const result = await c.turn(text);
        if (understand(result.replies).asked === 'handedOff') {
          ms.push(result.ms);
          throw new HandedOff();
        }
        return result;
      };
      try {
        await runCustomer(MIXES.real!, sizes, TURNS, lang, turn, think, (t) => ms.push(t.ms));
      } catch (error) {
        if (error instanceof HandedOff) handedOff++;
        else errors++;
      } finally {
        c.close();
      }
    }),
  );
  return { ms: ms.sort((a, b) => a - b), errors, handedOff };
}

/** Customers who ask for a person: milliseconds from asking to seeing the staff reply. */
async function askers(server: BenchServer, n: number): Promise<number[]> {
  const waits: number[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      await sleep(THINK_MS * 4 * Math.random());
      const c = await WebCustomer.start(server.url, server.secret, 'zh-CN', () => true);
      try {
        const reply = c.heardUnprompted(new RegExp(STAFF_REPLY.slice(0, 6)));
        const t0 = performance.now();
        await c.turn('我要找人工');
        waits.push((await reply) - t0);
      } finally {
        c.close();
      }
    }),
  );
  return waits.sort((a, b) => a - b);
}

/** One member of staff: takes the longest-waiting chat, replies after typing, hands it back; until told to stop. */
async function staffMember(app: App, id: string, stop: () => boolean): Promise<number> {
  let handled = 0;
  while (!stop()) {
    await app.handoff.presence.heartbeat(id, 30_000);
    const [next] = await app.handoff.waiting();
    if (!next || (await app.handoff.claim(next.key, id)) !== 'claimed') {
      await sleep(50);
      continue;
    }
    await sleep(TYPING_MS);
    await app.handoff.reply(next.key, id, STAFF_REPLY);
    await app.handoff.end(next.key, id, 'bot');
    handled++;
  }
  await app.handoff.presence.leave(id);
  return handled;
}

const line = (label: string, sorted: number[]) => `${label.padEnd(34)} n=${String(sorted.length).padStart(4)}  p50 ${percentile(sorted, 50).toFixed(0).padStart(6)} ms  p99 ${percentile(sorted, 99).toFixed(0).padStart(6)} ms`;

(async () => {
  const server = await startServer('full', REDIS_URL, { HANDOFF_HOURS: 'always' });
  const staffApp = await createApp({
    config: loadConfig({ REDIS_URL, REDIS_KEY_PREFIX: server.prefix, NODE_ENV: 'development', LOG_LEVEL: 'warn', HANDOFF_HOURS: 'always', DIRECT_LINE_SECRET: server.secret }),
    scheduler: false,
  });
  try {
    console.log(`bench:handoff — ${CUSTOMERS} customers on the realistic mix (${TURNS} turns each, think ${THINK_MS} ms); then the same with ${ASKERS} asking for a person and ${STAFF} staff (typing ${TYPING_MS} ms)`);
    await talkers(server, 10); // warm-up: the recognizers build their models on first use
    const baseline = await talkers(server, CUSTOMERS);

    let stopped = false;
    const staff = Array.from({ length: STAFF }, (_, i) => staffMember(staffApp, `bench-staff-${i}`, () => stopped));
    await sleep(200); // the desk is open before the first customer asks
    const [withHandoff, waits] = await Promise.all([talkers(server, CUSTOMERS), askers(server, ASKERS)]);
    stopped = true;
    const handled = (await Promise.all(staff)).reduce((a, b) => a + b, 0);

    console.log(line('baseline: turn latency', baseline.ms));
    console.log(line('with handoffs: turn latency', withHandoff.ms));
    console.log(line('asking → first staff reply', waits));
    const ratio = percentile(withHandoff.ms, 50) / percentile(baseline.ms, 50);
    const ratio99 = percentile(withHandoff.ms, 99) / percentile(baseline.ms, 99);
    console.log(`chats handled by staff: ${handled} (${ASKERS} who asked, ${withHandoff.handedOff} other customers triage passed to a person); customer errors: baseline ${baseline.errors}, with handoffs ${withHandoff.errors}`);
    console.log(`ratio with handoffs / baseline: turn p50 ${ratio.toFixed(2)}, p99 ${ratio99.toFixed(2)}`);
    console.log(JSON.stringify({ turnP50Ratio: +ratio.toFixed(2), turnP99Ratio: +ratio99.toFixed(2), firstReplyP50Ms: Math.round(percentile(waits, 50)), firstReplyP99Ms: Math.round(percentile(waits, 99)), handled, handedOffByTriage: withHandoff.handedOff, errors: { baseline: baseline.errors, withHandoffs: withHandoff.errors } }));
  } finally {
    await staffApp.close();
    await server.stop();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
