/**
 * `npm run bench:wechat`: WeChat callback latency at a fixed request rate in
 * safe mode (signed, encrypted XML in; encrypted passive reply out), beside the
 * same load on the web channel (Direct Line POST in, the reply on the
 * WebSocket stream), in one run against the real bot in a child process.
 *
 * Options: --rate 200 (requests per second) --seconds 10 --users 200 --redis redis://127.0.0.1:6379
 */
import { parseArgs } from 'node:util';
import { openLoop, percentile, startServer, WebCustomer } from './harness';
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


/** Latencies of the calls that succeeded, sorted, and how many failed. */
async function timedLoop(fire: (i: number) => Promise<number>): Promise<{ latencies: number[]; errors: number }> {
  const { results, errors } = await openLoop(RATE, SECONDS, fire);
  return { latencies: results.sort((a, b) => a - b), errors };
}

async function main(): Promise<void> {
  const fake = new FakeWeChatServer(WX.appId, WX.secret);
  await fake.start();
  const server = await startServer('full', args.redis!, {
    WECHAT_OA_APP_ID: WX.appId, WECHAT_OA_APP_SECRET: WX.secret, WECHAT_OA_TOKEN: WX.token, WECHAT_OA_AES_KEY: WX.aesKey, WECHAT_API_BASE_URL: fake.url,
  });
  try {
    console.log(`bench:wechat — ${RATE} requests/s for ${SECONDS} s over ${USERS} customers, real bot, Redis ${args.redis}`);
    // WeChat, safe mode: latency = the callback's HTTP round trip (the passive reply is in the answer).
    const users = Array.from({ length: USERS }, (_, i) => new SimulatedWeChatUser({ botUrl: server.url, ...WX, safeMode: true, openId: `obench${String(i).padStart(6, '0')}` }));
    await Promise.all(users.map((u) => u.send(u.event('subscribe')))); // warm-up and greeting
    const wx = await timedLoop(async (i) => {
      const u = users[i % USERS]!;
      const t0 = performance.now();
      const r = await u.send(u.text('帮助'));
      if (r.status !== 200 || !r.reply) throw new Error(`HTTP ${r.status}`);
      return performance.now() - t0;
    });
    // Web: the same rate of messages over Direct Line; latency = POST sent → the turn's last reply on the stream.
    const web = await Promise.all(Array.from({ length: USERS }, () => WebCustomer.start(server.url, server.secret)));
    const webResult = await timedLoop((i) => web[i % USERS]!.say('帮助'));
    for (const c of web) c.close();

    const row = (name: string, r: typeof wx) =>
      `${name.padEnd(22)} requests=${r.latencies.length + r.errors} errors=${r.errors}  p50=${percentile(r.latencies, 50).toFixed(1).padStart(6)} ms  p99=${percentile(r.latencies, 99).toFixed(1).padStart(6)} ms  max=${(r.latencies.at(-1) ?? NaN).toFixed(1)} ms`;
    console.log(row('wechat safe mode', wx));
    console.log(row('web (Direct Line)', webResult));
    console.log(`ratio wechat/web: p50 ×${(percentile(wx.latencies, 50) / percentile(webResult.latencies, 50)).toFixed(2)}, p99 ×${(percentile(wx.latencies, 99) / percentile(webResult.latencies, 99)).toFixed(2)}; passive-reply deadline 5000 ms`);
  } finally {
    await server.stop();
    await fake.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
