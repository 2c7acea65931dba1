/**
 * `npm run bench:wecom`: the WeCom customer-service channel (微信客服) under a
 * steady load beside the web channel under the same load, in one run against
 * the real bot in a child process (real Redis). Each tick one customer writes
 * (a realistic mix: help, a vague question answered with choices, a progress
 * check, an FAQ question answered outright) and the fake platform delivers a
 * signed, encrypted callback; the bot answers it, pulls the page holding the
 * message and replies through kf/send_msg. Measured: the callback's answer
 * time, and the time from the callback to the reply reaching the platform;
 * for the web, from the POST to the turn's last reply on the stream.
 *
 * Options: --rate 100 (callbacks per second) --seconds 10 --users 200 --redis redis://127.0.0.1:6379
 */
import { parseArgs } from 'node:util';
import { openLoop, percentile, startServer, WebCustomer } from './harness';
import { CORP_ID, KfCustomer, KF_AES_KEY, KF_SECRET, KF_TOKEN, OPEN_KFID, fakeWeCom } from '../fakes/wecom-account';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    users: { type: 'string', default: '200' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const USERS = Number(args.users);
/** What customers write, in turn: each reply ends with choices on both channels. */
const MIX = ['帮助', '我想问下理财的事', '查询投诉进度', '信用卡年费怎么收'];

async function main(): Promise<void> {
  const fake = fakeWeCom();
  await fake.start();
  const server = await startServer('full', args.redis!, {
    WECOM_CORP_ID: CORP_ID, WECOM_KF_SECRET: KF_SECRET, WECOM_KF_TOKEN: KF_TOKEN, WECOM_KF_AES_KEY: KF_AES_KEY, WECOM_API_BASE_URL: fake.url,
  });
  try {
    console.log(`bench:wecom — ${RATE} callbacks/s for ${SECONDS} s over ${USERS} customers (mix: ${MIX.join(' / ')}), real bot, Redis ${args.redis}`);
    const customers = Array.from({ length: USERS }, () => new KfCustomer(fake, server.url));
    // Warm-up: each customer has written once (the reply window is open, the token cached).
    for (let i = 0; i < USERS; i += 50) {
      await Promise.all(customers.slice(i, i + 50).map((c) => c.says('使用帮助')));
    }

    // A reply to a customer resolves the oldest waiter of theirs.
    const waiters = new Map<string, Array<(at: number) => void>>();
    fake.events.on('sent', (body: { touser: string }) => waiters.get(body.touser)?.shift()?.(performance.now()));
    const kf = await openLoop(RATE, SECONDS, async (i) => {
      const c = customers[i % USERS]!;
      const replied = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reply in 30 s')), 30_000);
        waiters.set(c.external, [...(waiters.get(c.external) ?? []), (at) => (clearTimeout(timer), resolve(at))]);
      });
      fake.customerWrites(OPEN_KFID, c.external, MIX[Math.floor(i / USERS) % MIX.length]!);
      const t0 = performance.now();
      const answer = await fake.deliverCallback(server.url, OPEN_KFID);
      const answered = performance.now() - t0;
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
      return { answered, replied: (await replied) - t0 };
    });

    const web = await Promise.all(Array.from({ length: USERS }, () => WebCustomer.start(server.url, server.secret)));
    const webResult = await openLoop(RATE, SECONDS, (i) => web[i % USERS]!.say(MIX[Math.floor(i / USERS) % MIX.length]!));
    for (const c of web) c.close();

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const answered = sorted(kf.results.map((r) => r.answered));
    const replied = sorted(kf.results.map((r) => r.replied));
    const webMs = sorted(webResult.results);
    const row = (name: string, xs: number[], errors: number) =>
      `${name.padEnd(34)} n=${xs.length + errors} errors=${errors}  p50=${percentile(xs, 50).toFixed(1).padStart(7)} ms  p99=${percentile(xs, 99).toFixed(1).padStart(7)} ms  max=${(xs.at(-1) ?? NaN).toFixed(1)} ms`;
    console.log(row('kf callback answered', answered, kf.errors));
    console.log(row('kf callback → reply sent', replied, kf.errors));
    console.log(row('web (Direct Line) message → reply', webMs, webResult.errors));
    console.log(`ratio kf reply / web reply: p50 ×${(percentile(replied, 50) / percentile(webMs, 50)).toFixed(2)}, p99 ×${(percentile(replied, 99) / percentile(webMs, 99)).toFixed(2)}`);
  } finally {
    await server.stop();
    await fake.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
