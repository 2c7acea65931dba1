/**
 * `npm run wecom:simulate -- [options] [message …]` — plays a 微信客服 (WeCom
 * customer service) customer against the bot: the fake WeCom platform holds
 * the customer's messages, delivers signed, encrypted callbacks to the bot,
 * answers its kf/sync_msg pulls, and prints what the bot sent (texts, and
 * menus as their items). Without messages it reads lines from the terminal.
 *
 * Without --bot it starts the bot in this process (in-memory store unless
 * REDIS_URL is set) wired to the fake platform. With --bot URL it talks to a
 * running bot started with the same WECOM_* settings (printed) and
 * WECOM_API_BASE_URL=http://127.0.0.1:<--fake-port>.
 *
 * Options: --bot URL  --fake-port 4998  --handoff desk|wecom
 * Lines starting with "/": /enter (open the chat: the welcome), /tap N (tap the
 * Nth item of the last menu), /accept NAME and /end (a servicer takes, or ends,
 * the session), /quit.
 */
import { parseArgs } from 'node:util';
import { runMain, sayLines } from './simulate-lines';
import { CORP_ID, KfCustomer, KF_AES_KEY, KF_SECRET, KF_TOKEN, OPEN_KFID, fakeWeCom } from './wecom-account';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bot: { type: 'string' },
    'fake-port': { type: 'string', default: '4998' },
    handoff: { type: 'string', default: 'desk' },
  },
});

async function main(): Promise<void> {
  const fake = fakeWeCom();
  await fake.start(opt.bot ? Number(opt['fake-port']) : 0);
  const settings = { WECOM_CORP_ID: CORP_ID, WECOM_KF_SECRET: KF_SECRET, WECOM_KF_TOKEN: KF_TOKEN, WECOM_KF_AES_KEY: KF_AES_KEY, WECOM_API_BASE_URL: fake.url, WECOM_KF_HANDOFF: opt.handoff! };
  let botUrl = opt.bot;
  let stop = async () => undefined as unknown;
  if (!botUrl) {
    const { loadConfig } = await import('../../bot/config');
    const { createApp } = await import('../../bot/app');
    const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...settings });
    const app = await createApp({ config });
    botUrl = await app.listen(0, '127.0.0.1');
    stop = () => app.close();
    console.log(`bot started at ${botUrl} (fake WeCom platform at ${fake.url})`);
  } else {
    console.log(`talking to ${botUrl}; start it with:\n${Object.entries(settings).map(([k, v]) => `  ${k}=${v}`).join('\n')}`);
  }
  const customer = new KfCustomer(fake, botUrl);
  fake.onDuty.add('servicer1');
  let seen = 0;
  const show = async () => {
    await new Promise((r) => setTimeout(r, 600));
    const mine = customer.received();
    for (const m of mine.slice(seen)) console.log(`bot ▸ ${m}`);
    seen = mine.length;
  };
  const say = async (line: string) => {
    const [command, arg] = line.startsWith('/') ? line.slice(1).split(/\s+/) : [];
    if (command === 'enter') fake.enterSession(OPEN_KFID, customer.external);
    else if (command === 'tap') {
      const item = customer.lastMenu()[Number(arg) - 1];
      if (!item) return console.log('(no such menu item)');
      console.log(`you tapped ▸ ${item.content}`);
      fake.customerWrites(OPEN_KFID, customer.external, item.content, item.id);
    } else if (command === 'accept') fake.servicerAccepts(OPEN_KFID, customer.external, arg ?? 'servicer1');
    else if (command === 'end') fake.servicerEnds(OPEN_KFID, customer.external);
    else fake.customerWrites(OPEN_KFID, customer.external, line);
    const r = await fake.deliverCallback(botUrl!, OPEN_KFID);
    if (r.status !== 200) console.log(`callback answered HTTP ${r.status}: ${r.body}`);
    await show();
    const session = fake.session(OPEN_KFID, customer.external);
    if (session.state >= 2) console.log(`(session state ${session.state}${session.servicer ? `, servicer ${session.servicer}` : ''})`);
  };
  await sayLines(positionals, say);
  await stop();
  await fake.stop();
}

runMain(main);
