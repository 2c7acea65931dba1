/**
 * `npm run wechat:simulate -- [options] [message …]` — plays a WeChat user
 * against the bot: sends signed (with --safe, encrypted) XML callbacks, prints
 * the passive replies, and prints what the bot sent through the fake WeChat API
 * (customer-service messages). Without messages it reads lines from the terminal.
 *
 * Without --bot it starts the bot in this process (in-memory store unless
 * REDIS_URL is set) wired to the fake API. With --bot URL it talks to a running
 * bot, which must have been started with the same WECHAT_OA_* settings and
 * WECHAT_API_BASE_URL=http://127.0.0.1:<--fake-port>; a bot with WECHAT_OA_AES_KEY
 * set accepts only encrypted messages, so talk to it with --safe.
 *
 * Options: --bot URL  --fake-port 4999  --safe  --openid o_sim_user
 *          --app-id wx…  --secret …  --token …  --aes-key …(43 chars)
 * Lines starting with "/" send events: /subscribe, /click menu:help
 */
import { parseArgs } from 'node:util';
import { runMain, sayLines } from './simulate-lines';
import { FakeWeChatServer } from './wechat-server';
import { SimulatedWeChatUser } from './wechat-user';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bot: { type: 'string' },
    'fake-port': { type: 'string', default: '4999' },
    safe: { type: 'boolean', default: false },
    openid: { type: 'string', default: 'o_sim_user_0001' },
    'app-id': { type: 'string', default: 'wx00simulator0000' },
    secret: { type: 'string', default: 'simulator-secret' },
    token: { type: 'string', default: 'simulatortoken' },
    'aes-key': { type: 'string', default: 'SimulatorKey0123456789abcdefghijklmnopqrstu' },
  },
});

async function main(): Promise<void> {
  const fake = new FakeWeChatServer(opt['app-id']!, opt.secret!);
  await fake.start(opt.bot ? Number(opt['fake-port']) : 0);
  let botUrl = opt.bot;
  let stop = async () => undefined as unknown;
  if (!botUrl) {
    // Start the bot here, configured for the simulated account.
    const { loadConfig } = await import('../../bot/config');
    const { createApp } = await import('../../bot/app');
    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      WECHAT_OA_APP_ID: opt['app-id'], WECHAT_OA_APP_SECRET: opt.secret, WECHAT_OA_TOKEN: opt.token,
      // The mode comes from the bot's configuration: with a key it accepts only encrypted messages.
      WECHAT_OA_AES_KEY: opt.safe ? opt['aes-key'] : undefined, WECHAT_API_BASE_URL: fake.url,
    });
    const app = await createApp({ config });
    botUrl = await app.listen(0, '127.0.0.1');
    stop = () => app.close();
    console.log(`bot started at ${botUrl} (fake WeChat API at ${fake.url})`);
  } else {
    console.log(`talking to ${botUrl}; fake WeChat API at ${fake.url} — the bot needs WECHAT_API_BASE_URL=${fake.url}`);
  }
  const user = new SimulatedWeChatUser({
    botUrl, token: opt.token!, appId: opt['app-id']!, aesKey: opt['aes-key'], safeMode: opt.safe, openId: opt.openid!,
  });
  let seen = 0;
  const say = async (line: string) => {
    const [command, arg] = line.startsWith('/') ? line.slice(1).split(/\s+/) : [];
    const fields = command === 'subscribe' ? user.event('subscribe') : command === 'click' ? user.event('CLICK', arg) : user.text(line);
    const r = await user.send(fields);
    console.log(r.status === 200 ? `bot (passive) ▸ ${r.reply ?? '(no passive reply)'}` : `HTTP ${r.status}: ${r.raw}`);
    await new Promise((res) => setTimeout(res, 300));
    for (const m of fake.sent.slice(seen)) console.log(`bot (API ${m.path}) ▸ ${m.body.text?.content ?? JSON.stringify(m.body)}`);
    seen = fake.sent.length;
  };
  await sayLines(positionals, say);
  await stop();
  await fake.stop();
}

runMain(main);
