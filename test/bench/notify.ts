/**
 * npm run bench:notify — the status schedule's tick (issue 13). Two stores in the same run, one app each on
 * the same Redis:
 *  - large: 100,000 open complaints, each with its schedule planned (progress, reminder, escalation: 300,000
 *    items), 100 of them due now;
 *  - small: 1,000 open complaints, planned the same way, 100 due now.
 * Each round makes 100 items due in both and times one tick as the cron runs it (the schedule: read what is
 * due, re-read each complaint, queue its progress update, plan the next; then the outbox delivers the 100
 * notices to a channel that takes them). Rounds alternate between the stores. Printed: p50/p99 per tick and
 * the ratio large / small — a tick's cost must grow with what is due, not with the number of complaints
 * (target ≤ 1.3). The last line is JSON with `ratio`.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
import { RedisBackend } from '../../bot/store/redis-backend';
import type { Ticket } from '../../bot/tickets/model';
import { memberOf } from '../../bot/notify/schedule';
import { percentile } from './harness';

const { values: args } = parseArgs({ options: { large: { type: 'string', default: '100000' }, small: { type: 'string', default: '1000' }, due: { type: 'string', default: '100' }, rounds: { type: 'string', default: '15' } } });
const LARGE = Number(args.large);
const SMALL = Number(args.small);
const DUE = Number(args.due);
const ROUNDS = Number(args.rounds);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const START = Date.parse('2026-11-23T10:00:00+08:00');

interface Store { label: string; prefix: string; app: App; backend: RedisBackend; numbers: string[]; clock: { ms: number }; delivered: number }

async function store(label: string, total: number): Promise<Store> {
  const prefix = `bench:notify:${label}:${randomUUID().slice(0, 8)}:`;
  const clock = { ms: START };
  const config = loadConfig({ REDIS_URL, REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development', LOG_LEVEL: 'warn', DIRECT_LINE_SECRET: 'bench-secret-0123456789-0123456789-abcdef' });
  const backend = RedisBackend.connect(REDIS_URL);
  const app = await createApp({ config, backend, logger: createLogger({ level: 'warn', hashKey: 'bench' }), scheduler: false, desk: false, now: () => new Date(clock.ms) });
  const s: Store = { label, prefix, app, backend, numbers: [], clock, delivered: 0 };
  app.channels.set('bench', { channelId: 'bench', notify: async () => { s.delivered++; return 'message'; } });
  const template = await app.tickets.create({
    customer: { channelId: 'bench', id: 'template', anonymous: true, locale: 'zh-CN' },
    conversationRef: { conversation: { id: 'template' } },
    details: { category: 'business_error', description: '转账三天没到账，客服说在查，一直没有结果。', wish: '尽快退回' },
    consent: { personalData: { given: false, at: new Date(START).toISOString(), retentionDays: 1825 } },
    lawfulBasis: {},
    customerTexts: [],
  });
  const keys = app.keys;
  // The template is only a shape: its own planned items are not part of the measure.
  for (const kind of ['progress', 'survey', 'autoClose', 'remind', 'escalate'] as const) await backend.unschedule(keys.scheduleDue(), memberOf(template.number, kind));
  const started = Date.now();
  // Written as the service would leave them: the record, and its planned items (far in the future for now).
  for (let first = 0; first < total; first += 2000) {
    await Promise.all(Array.from({ length: Math.min(2000, total - first) }, async (_, j) => {
      const i = first + j;
      const number = `TS-20261123-${String(i + 1).padStart(6, '0')}`;
      const ticket: Ticket = { ...template, number, customer: { ...template.customer, id: `c-${i}` }, conversationRef: { conversation: { id: `c-${i}` } } };
      await backend.writeDocument(keys.ticket(number), { eTag: randomUUID(), json: JSON.stringify(ticket) }, undefined);
      const later = START + 400 * 86_400_000 + i * 1000;
      for (const kind of ['progress', 'remind', 'escalate'] as const) await backend.schedule(keys.scheduleDue(), memberOf(number, kind), later);
      s.numbers.push(number);
    }));
  }
  console.log(`${label}: ${total} open complaints (${total * 3} planned items) written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return s;
}

/** One round: 100 complaints' progress updates fall due now; one tick (schedule, then outbox) is timed. */
async function round(s: Store, r: number): Promise<number> {
  s.clock.ms = START + (r + 1) * 86_400_000 * 3; // a later day each round, never in quiet hours
  const picked = Array.from({ length: DUE }, (_, i) => s.numbers[(r * DUE + i * 7919) % s.numbers.length]!);
  for (const number of picked) await s.backend.schedule(s.app.keys.scheduleDue(), memberOf(number, 'progress'), s.clock.ms - 1000);
  const before = s.delivered;
  const t0 = process.hrtime.bigint();
  const planned = await s.app.notices.schedule.tick();
  await s.app.outbox.tick();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (planned.ran !== DUE || s.delivered - before !== DUE) throw new Error(`${s.label} round ${r}: ran ${planned.ran}, delivered ${s.delivered - before}, expected ${DUE}`);
  // Their next updates (planned by the tick) go back far ahead, so each round has exactly its own 100 due.
  for (const number of picked) await s.backend.schedule(s.app.keys.scheduleDue(), memberOf(number, 'progress'), START + 400 * 86_400_000);
  return ms;
}

async function main(): Promise<void> {
  const small = await store('small', SMALL);
  const large = await store('large', LARGE);
  const times: Record<string, number[]> = { small: [], large: [] };
  await round(small, 0); // warm both (connections, JIT)
  await round(large, 0);
  for (let r = 1; r <= ROUNDS; r++) {
    for (const s of r % 2 ? [small, large] : [large, small]) times[s.label]!.push(await round(s, r));
  }
  const p = (label: string, q: number) => percentile([...times[label]!].sort((x, y) => x - y), q);
  for (const label of ['small', 'large']) console.log(`${label.padEnd(5)} (${label === 'small' ? SMALL : LARGE} open, ${DUE} due): tick p50 ${p(label, 50).toFixed(1)} ms  p99 ${p(label, 99).toFixed(1)} ms`);
  const ratio = p('large', 50) / p('small', 50);
  console.log(`ratio large / small (p50): ${ratio.toFixed(2)} (target ≤ 1.3)`);
  for (const s of [small, large]) {
    await s.app.close();
    // The bench's keys go with it.
    let cursor = '0';
    do {
      const [next, found] = await s.backend.redis.scan(cursor, 'MATCH', `${s.prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (found.length) await s.backend.redis.del(...found);
    } while (cursor !== '0');
    await s.backend.close();
  }
  console.log(JSON.stringify({ small: SMALL, large: LARGE, due: DUE, rounds: ROUNDS, smallP50: p('small', 50), largeP50: p('large', 50), smallP99: p('small', 99), largeP99: p('large', 99), ratio: Number(ratio.toFixed(3)) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
