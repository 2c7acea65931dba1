/**
 * npm run bench:reports — the supervisors' report (issue 15) over a realistic
 * store: `perDay` complaints a day (default 300: a large bank's complaint
 * front door) for the 59 days a 30-day report reads with its surge baseline,
 * mixed categories, levels, channels and states. Over real HTTP with a
 * signed-in supervisor: p50/p99 of the 30-day and the 7-day report, and, in the
 * same run, of the desk's complaint list (the page supervisors open all day) as
 * the baseline. The last line is JSON with the ratios.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
import { RedisBackend } from '../../bot/store/redis-backend';
import { addCalendarDays } from '../../bot/tickets/calendar';
import type { Ticket } from '../../bot/tickets/model';
import { newComplaint } from '../support/complaints';
import { percentile } from './harness';

const { values: args } = parseArgs({ options: { perDay: { type: 'string', default: '300' }, requests: { type: 'string', default: '30' } } });
const PER_DAY = Number(args.perDay);
const REQUESTS = Number(args.requests);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'Bench-reports-2024';
const CATEGORIES = ['business_error', 'fees', 'waiting', 'equipment', 'service_attitude', 'product_misselling', 'privacy', 'fraud', 'other'];
const CHANNELS = ['directline', 'wechat-oa', 'wecom-kf'];
const STATES = ['received', 'accepted', 'in_progress', 'resolved', 'closed', 'closed', 'closed', 'withdrawn'] as const;

(async () => {
  const prefix = `bench:reports:${randomUUID().slice(0, 8)}:`;
  const config = loadConfig({ REDIS_URL, REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development', LOG_LEVEL: 'warn', DIRECT_LINE_SECRET: 'bench-secret-0123456789-0123456789-abcdef', TRUST_PROXY: '1' });
  const backend = RedisBackend.connect(REDIS_URL);
  const app = await createApp({ config, backend, logger: createLogger({ level: 'warn', hashKey: 'bench' }), scheduler: false });
  const url = await app.listen(0, '127.0.0.1');
  try {
    const template = await app.tickets.create(newComplaint('template'));
    const today = app.counters.today();
    const started = Date.now();
    for (let back = 58; back >= 0; back--) {
      const day = addCalendarDays(today, -back);
      const compact = day.replace(/-/g, '');
      await Promise.all(Array.from({ length: PER_DAY }, async (_, i) => {
        const status = STATES[i % STATES.length]!;
        const at = `${day}T0${i % 10}:00:00+08:00`;
        const ticket: Ticket = {
          ...template,
          number: `TS-${compact}-${String(i + 1).padStart(4, '0')}`,
          status,
          level: (['general', 'general', 'general', 'important', 'urgent'] as const)[i % 5]!,
          createdAt: new Date(at).toISOString(),
          customer: { ...template.customer, id: `bench-${day}-${i}`, channelId: CHANNELS[i % CHANNELS.length]! },
          details: { ...template.details, category: CATEGORIES[i % CATEGORIES.length]! },
          audit: status === 'resolved' || status === 'closed' ? [...template.audit, { at: new Date(Date.parse(at) + (i % 7) * 86_400_000).toISOString(), by: 'staff:bench', action: 'transition', from: 'in_progress', to: 'resolved' }] : template.audit,
          ...(i % 6 === 0 ? { survey: { score: 1 + (i % 5), at: new Date(at).toISOString() } } : {}),
        } as Ticket;
        await backend.writeDocument(app.keys.ticket(ticket.number), { eTag: randomUUID(), json: JSON.stringify(ticket) }, undefined);
      }));
    }
    console.log(`${59 * PER_DAY} complaints over 59 days written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await app.desk!.staff.add({ username: 'bench.sup', name: '基准', role: 'supervisor', teams: [], password: PASSWORD });
    const login = await fetch(`${url}/desk/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '192.0.2.9' }, body: JSON.stringify({ username: 'bench.sup', password: PASSWORD }) });
    const headers = { Cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'X-Forwarded-For': '192.0.2.9' };
    const timed = async (path: string): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${url}${path}`, { headers });
        await res.text();
        if (!res.ok) throw new Error(`${path}: ${res.status}`);
        ms.push(performance.now() - t0);
      }
      return ms.sort((a, b) => a - b);
    };
    const paths = { list: '/desk/api/complaints?limit=50', week: `/desk/api/reports?from=${addCalendarDays(today, -6)}&to=${today}`, month: '/desk/api/reports' };
    for (const p of Object.values(paths)) await timed(p); // warm-up
    const figures = { list: [] as number[], week: [] as number[], month: [] as number[] };
    // Interleaved rounds, so a busy moment of the machine falls on all three alike.
    for (let round = 0; round < 3; round++) for (const [k, p] of Object.entries(paths)) figures[k as keyof typeof figures].push(...(await timed(p)));
    const p = (xs: number[], q: number) => Number(percentile([...xs].sort((a, b) => a - b), q).toFixed(1));
    for (const [k, xs] of Object.entries(figures)) console.log(`${k.padEnd(6)} p50 ${String(p(xs, 50)).padStart(8)} ms  p99 ${String(p(xs, 99)).padStart(8)} ms`);
    console.log(JSON.stringify({
      perDay: PER_DAY,
      listP50: p(figures.list, 50), weekP50: p(figures.week, 50), monthP50: p(figures.month, 50), monthP99: p(figures.month, 99),
      monthToList: Number((p(figures.month, 50) / p(figures.list, 50)).toFixed(1)),
      monthToWeek: Number((p(figures.month, 50) / p(figures.week, 50)).toFixed(2)),
    }));
  } finally {
    await app.close();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    await backend.close();
  }
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
