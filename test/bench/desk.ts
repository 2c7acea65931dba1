/**
 * npm run bench:desk — the staff desk's complaint list and complaint page
 * (issue 12). Two stores in the same run, one app each on the same Redis:
 *  - large: 100,000 complaints, 1,000 of them open for the team "operations"
 *    (the rest closed, or other teams' — what years of a bank's complaints look like);
 *  - small: only the same 1,000 open complaints.
 * Over real HTTP with a signed-in supervisor: p50/p99 of listing a page
 * (GET /desk/api/complaints?team=operations, 50 of 1,000, soonest first) and
 * of opening one complaint, in both, and the ratio large / small — the list
 * must not slow down with the number of closed complaints (aim ≤ 1.5).
 * The last line is JSON with `ratio`.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
import { Keys } from '../../bot/store/keys';
import { RedisBackend } from '../../bot/store/redis-backend';
import type { Ticket } from '../../bot/tickets/model';
import { percentile } from './harness';

const { values: args } = parseArgs({ options: { total: { type: 'string', default: '100000' }, open: { type: 'string', default: '1000' }, requests: { type: 'string', default: '300' } } });
const TOTAL = Number(args.total);
const OPEN = Number(args.open);
const REQUESTS = Number(args.requests);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'Bench-desk-2024';
const TEAM = 'operations';
const OTHER_TEAMS = ['branch_service', 'risk_control', 'wealth_management', 'channels'];

interface Store { label: string; prefix: string; app: App; url: string; numbers: string[] }

/** Writes `count` complaints cloned from a real one: `open` of them open for the team, the rest closed or other teams'. */
async function fill(backend: RedisBackend, keys: Keys, template: Ticket, count: number, open: number): Promise<string[]> {
  const openNumbers: string[] = [];
  const batch = 2000;
  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, async (_, j) => {
      const i = start + j;
      const number = `TS-20260101-${String(i + 1).padStart(6, '0')}`;
      const isOpen = i < open;
      const due = new Date(Date.parse(template.clocks.internalDue) + (i % 97) * 3_600_000).toISOString();
      const ticket: Ticket = {
        ...template,
        number,
        status: isOpen ? (['received', 'accepted', 'assigned', 'in_progress'] as const)[i % 4]! : i % 3 === 0 ? 'accepted' : 'closed',
        department: isOpen ? TEAM : i % 3 === 0 ? OTHER_TEAMS[i % OTHER_TEAMS.length]! : TEAM,
        customer: { ...template.customer, id: `bench-${i}`, phone: `139${String(i).padStart(8, '0')}` },
        clocks: { ...template.clocks, internalDue: due },
      };
      await backend.writeDocument(keys.ticket(number), { eTag: randomUUID(), json: JSON.stringify(ticket) }, undefined);
      const indexed = ticket.status !== 'closed';
      if (indexed) await backend.schedule(keys.openComplaints(ticket.department), number, Date.parse(due));
      if (isOpen) openNumbers.push(number);
    }));
  }
  return openNumbers;
}

async function store(label: string, total: number): Promise<Store> {
  const prefix = `bench:desk:${label}:${randomUUID().slice(0, 8)}:`;
  const config = loadConfig({ REDIS_URL, REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development', LOG_LEVEL: 'warn', DIRECT_LINE_SECRET: 'bench-secret-0123456789-0123456789-abcdef', TRUST_PROXY: '1' });
  const backend = RedisBackend.connect(REDIS_URL);
  const app = await createApp({ config, backend, logger: createLogger({ level: 'warn', hashKey: 'bench' }), scheduler: false });
  const url = await app.listen(0, '127.0.0.1');
  const template = await app.tickets.create({
    customer: { channelId: 'directline', id: 'template', anonymous: false, phone: '13800000000', locale: 'zh-CN' },
    conversationRef: {},
    details: { category: 'business_error', description: '转账三天没到账，客服说在查，一直没有结果。', wish: '尽快退回', amount: { value: 5000, currency: 'CNY' } },
    consent: { personalData: { given: true, at: new Date().toISOString(), retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: [],
  });
  await backend.del(app.keys.openComplaints(template.department));
  const started = Date.now();
  const numbers = await fill(backend, app.keys, template, total, OPEN);
  console.log(`${label}: ${total} complaints written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await app.desk!.staff.add({ username: 'bench.sup', name: '基准', role: 'supervisor', teams: [], password: PASSWORD });
  return { label, prefix, app, url, numbers };
}

async function signIn(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/desk/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '192.0.2.7' }, body: JSON.stringify({ username: 'bench.sup', password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${res.status}`);
  return { Cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'X-Forwarded-For': '192.0.2.7' };
}

async function timed(n: number, request: (i: number) => Promise<Response>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await request(i);
    const body = await res.text();
    if (!res.ok) throw new Error(`${res.status} ${body.slice(0, 200)}`);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

async function measure(s: Store) {
  const headers = await signIn(s.url);
  const list = () => fetch(`${s.url}/desk/api/complaints?team=${TEAM}&limit=50`, { headers });
  const open = (i: number) => fetch(`${s.url}/desk/api/complaints/${s.numbers[(i * 7919) % s.numbers.length]}`, { headers });
  await timed(20, list); // warm-up
  await timed(20, open);
  // Interleaved rounds so that a busy moment of the machine falls on both stores alike.
  return { list: await timed(REQUESTS, list), open: await timed(REQUESTS, open) };
}

(async () => {
  const large = await store('large', TOTAL);
  const small = await store('small', OPEN);
  try {
    const figures: Record<string, { list: number[]; open: number[] }> = { small: { list: [], open: [] }, large: { list: [], open: [] } };
    for (let round = 0; round < 3; round++) {
      for (const s of [small, large]) {
        const m = await measure({ ...s });
        figures[s.label]!.list.push(...m.list);
        figures[s.label]!.open.push(...m.open);
      }
    }
    const p = (xs: number[], q: number) => Number(percentile([...xs].sort((a, b) => a - b), q).toFixed(2));
    const row = (label: string, xs: number[]) => `${label.padEnd(44)} p50 ${String(p(xs, 50)).padStart(7)} ms  p99 ${String(p(xs, 99)).padStart(7)} ms`;
    console.log(row(`small (${OPEN} in all): list a page of 50`, figures.small!.list));
    console.log(row(`large (${TOTAL} in all): list a page of 50`, figures.large!.list));
    console.log(row('small: open one complaint', figures.small!.open));
    console.log(row('large: open one complaint', figures.large!.open));
    const ratio = Number((p(figures.large!.list, 50) / p(figures.small!.list, 50)).toFixed(2));
    const ratioP99 = Number((p(figures.large!.list, 99) / p(figures.small!.list, 99)).toFixed(2));
    const openRatio = Number((p(figures.large!.open, 50) / p(figures.small!.open, 50)).toFixed(2));
    console.log(JSON.stringify({
      total: TOTAL, openForTeam: OPEN,
      list: { smallP50: p(figures.small!.list, 50), smallP99: p(figures.small!.list, 99), largeP50: p(figures.large!.list, 50), largeP99: p(figures.large!.list, 99) },
      open: { smallP50: p(figures.small!.open, 50), largeP50: p(figures.large!.open, 50), ratio: openRatio },
      ratioP99, ratio,
    }));
  } finally {
    for (const s of [large, small]) {
      await s.app.close();
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${s.prefix}*`, 'COUNT', 5000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
      await s.app.backend.close();
    }
  }
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
