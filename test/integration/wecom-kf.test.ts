/**
 * The WeCom customer-service channel (微信客服) end to end: the fake platform
 * (test/fakes/wecom-server.ts) plays customers and servicers, delivers signed,
 * encrypted callbacks to the real app over HTTP and answers its API calls; real
 * Redis throughout. Cursor handling (pages pulled once each, a crash resumes
 * after the last handled page, two instances on one callback), a complaint
 * taken through menus, the welcome, notices, a native handoff to WeCom's
 * servicers, and hostile input.
 */
import { getSignature } from '@wecom/crypto';
import type { TestApp } from '../support/harness';
import { startTestApp, waitFor, workingDayClock } from '../support/harness';
import { uniquePrefix } from '../support/redis';
import { CORP_ID, KfCustomer, KF_AES_KEY, KF_TOKEN, OPEN_KFID, externalUserId, fakeWeCom, until, wecomEnv } from '../fakes/wecom-account';
import { CallbackCrypto } from '../../adapters/tencent/callback-crypto';

const fake = fakeWeCom();
const env = (extra: Record<string, string> = {}) => ({ ...wecomEnv(fake), HANDOFF_HOURS: 'always', ...extra });
let t: TestApp;

beforeAll(async () => {
  await fake.start();
  t = await startTestApp({ env: env(), now: workingDayClock() });
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

describe('URL verification and callbacks', () => {
  it('answers the decrypted echostr exactly, and refuses a forged signature or another corp\'s echostr', async () => {
    const { query, body } = fake.seal('1288432023552776189');
    const echostr = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(body)![1]!;
    const ok = await fetch(`${t.url}/wecom/kf?${query}&echostr=${encodeURIComponent(echostr)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1288432023552776189');
    const forged = await fetch(`${t.url}/wecom/kf?${query.replace(/msg_signature=\w+/, `msg_signature=${'0'.repeat(40)}`)}&echostr=${encodeURIComponent(echostr)}`);
    expect(forged.status).toBe(401);
    const other = fake.seal('1288432023552776189', { receiveId: 'wwAnotherCorp00000' });
    const otherEcho = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(other.body)![1]!;
    expect((await fetch(`${t.url}/wecom/kf?${other.query}&echostr=${encodeURIComponent(otherEcho)}`)).status).toBe(401);
  });

  it('opens Tencent\'s published WeCom sample (the PROTOCOLS.md test vector)', () => {
    const crypto = new CallbackCrypto({ token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', aesKey: KF_AES_KEY, receiveId: CORP_ID, windowSeconds: 10 ** 10 });
    const echostr = 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==';
    expect(crypto.open({ msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb', timestamp: '1476416373', nonce: '47744683' }, echostr)).toBe('1288432023552776189');
    expect(() => crypto.open({ msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebec', timestamp: '1476416373', nonce: '47744683' }, echostr)).toThrow(/does not match/);
  });

  it('refuses forged, foreign, malformed, oversized and replayed callbacks without pulling anything', async () => {
    const calls = fake.syncCalls.length;
    const post = (query: string, body: string) => fetch(`${t.url}/wecom/kf?${query}`, { method: 'POST', body });
    const good = fake.signedCallback(OPEN_KFID);
    expect((await post(good.query.replace(/msg_signature=\w+/, `msg_signature=${'a'.repeat(40)}`), good.body)).status).toBe(401);
    const foreign = fake.signedCallback(OPEN_KFID, { receiveId: 'wwAnotherCorp00000' });
    expect((await post(foreign.query, foreign.body)).status).toBe(401);
    const stale = fake.signedCallback(OPEN_KFID, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await post(stale.query, stale.body)).status).toBe(401);
    expect((await post(good.query, '<xml><Encrypt>')).status).toBe(400);
    expect((await post(good.query, '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>')).status).toBe(400);
    expect((await post(good.query, `<xml><Encrypt><![CDATA[${'A'.repeat(40_000)}]]></Encrypt></xml>`)).status).toBe(413);
    // A signed callback whose decrypted fields are not a WeCom event.
    const odd = fake.seal('<xml><MsgType>1</MsgType><OpenKfId>not valid!</OpenKfId></xml>');
    expect((await post(odd.query, odd.body)).status).toBe(400);
    // The same nonce again with another body: a replay.
    const other = fake.signedCallback(OPEN_KFID);
    const sig = getSignature(KF_TOKEN, /timestamp=(\d+)/.exec(good.query)![1]!, /nonce=(\w+)/.exec(good.query)![1]!, /<Encrypt><!\[CDATA\[(.*)\]\]>/.exec(other.body)![1]!);
    expect((await post(good.query, good.body)).status).toBe(200);
    expect((await post(good.query.replace(/msg_signature=\w+/, `msg_signature=${sig}`), other.body)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    // Only the one good callback pulled.
    expect(fake.syncCalls.length - calls).toBeLessThanOrEqual(1);
    expect(t.logs.join('')).not.toMatch(new RegExp(KF_AES_KEY));
  });
});

describe('pulling by cursor', () => {
  it('pulls three pages once each, saving the cursor after each, and answers every message once', async () => {
    fake.pageSize = 2;
    try {
      const customers = Array.from({ length: 3 }, () => new KfCustomer(fake, t.url));
      const from = fake.syncCalls.length;
      for (const c of customers) {
        fake.customerWrites(OPEN_KFID, c.external, '使用帮助');
        fake.customerWrites(OPEN_KFID, c.external, '帮助');
      }
      expect((await fake.deliverCallback(t.url, OPEN_KFID)).status).toBe(200);
      await until(() => customers.every((c) => c.received().length === 2), 'two answers each');
      const asked = fake.syncCalls.slice(from).map((c) => c.cursor);
      const start = asked[0]!;
      const at = (cursor: string) => Number(cursor.slice(1) || 0);
      expect(asked.map(at)).toEqual([at(start), at(start) + 2, at(start) + 4]);
      // The cursor is saved once the last page's turns are done, which can be just after their replies went out.
      const saved = await waitFor(() => t.backend.get(t.app.keys.wecomCursor(OPEN_KFID)), (c) => c === `c${at(start) + 6}`, 5000).catch(() => undefined);
      expect(saved ?? (await t.backend.get(t.app.keys.wecomCursor(OPEN_KFID)))).toBe(`c${at(start) + 6}`);
      await new Promise((r) => setTimeout(r, 300));
      expect(customers.map((c) => c.received().length)).toEqual([2, 2, 2]);
    } finally {
      fake.pageSize = 1000;
    }
  });

  it('after a crash while pulling page 3, the next instance starts at page 3; nothing is answered twice', async () => {
    const prefix = uniquePrefix('kf-crash');
    const first = await startTestApp({ env: env(), now: workingDayClock(), prefix });
    fake.pageSize = 2;
    const customers = Array.from({ length: 3 }, () => new KfCustomer(fake, first.url));
    try {
      // Whatever is already listed was pulled by the other app: this one starts at the end.
      await first.backend.set(first.app.keys.wecomCursor(OPEN_KFID), `c${fake.items.get(OPEN_KFID)?.length ?? 0}`);
      for (const c of customers) {
        fake.customerWrites(OPEN_KFID, c.external, '帮助');
        fake.customerWrites(OPEN_KFID, c.external, '使用帮助');
      }
      const from = fake.syncCalls.length;
      // Page 3 fails on every attempt of this pull, and the instance goes away before trying again.
      let calls = 0;
      fake.syncFault = () => (++calls >= 3 ? 95000 : undefined);
      await fake.deliverCallback(first.url, OPEN_KFID);
      await until(() => calls >= 3, 'the third page asked');
      await first.close();
      fake.syncFault = undefined;
      const answeredBefore = customers.map((c) => c.received().length);
      expect(answeredBefore).toEqual([2, 2, 0]);
      const cursorAfterCrash = fake.syncCalls[from + 2]!.cursor;

      const second = await startTestApp({ env: env(), now: workingDayClock(), prefix });
      try {
        const resumeFrom = fake.syncCalls.length;
        await fake.deliverCallback(second.url, OPEN_KFID);
        await until(() => customers[2]!.received().length === 2, 'the third customer answered');
        expect(fake.syncCalls[resumeFrom]!.cursor).toBe(cursorAfterCrash);
        await new Promise((r) => setTimeout(r, 300));
        expect(customers.map((c) => c.received().length)).toEqual([2, 2, 2]);
      } finally {
        await second.close();
      }
    } finally {
      fake.pageSize = 1000;
    }
  });

  it('two instances on the same callbacks pull each page once', async () => {
    const prefix = uniquePrefix('kf-two');
    const a = await startTestApp({ env: env(), now: workingDayClock(), prefix });
    const b = await startTestApp({ env: env(), now: workingDayClock(), prefix });
    fake.pageSize = 2;
    try {
      await a.backend.set(a.app.keys.wecomCursor(OPEN_KFID), `c${fake.items.get(OPEN_KFID)?.length ?? 0}`);
      const customers = Array.from({ length: 4 }, () => new KfCustomer(fake, a.url));
      for (const c of customers) fake.customerWrites(OPEN_KFID, c.external, '使用帮助');
      const from = fake.syncCalls.length;
      fake.delayNextSync.push(100, 100);
      await Promise.all([fake.deliverCallback(a.url, OPEN_KFID), fake.deliverCallback(b.url, OPEN_KFID), fake.deliverCallback(a.url, OPEN_KFID), fake.deliverCallback(b.url, OPEN_KFID)]);
      await until(() => customers.every((c) => c.received().length === 1), 'every customer answered');
      await new Promise((r) => setTimeout(r, 400));
      const pages = fake.syncCalls.slice(from).map((c) => c.cursor);
      // Pages with messages were asked once each; the end of the list may be asked again by a later mark.
      const end = `c${fake.items.get(OPEN_KFID)!.length}`;
      const withItems = pages.filter((c) => c !== end);
      expect(new Set(withItems).size).toBe(withItems.length);
      expect(withItems).toHaveLength(2);
      expect(customers.map((c) => c.received().length)).toEqual([1, 1, 1, 1]);
    } finally {
      fake.pageSize = 1000;
      await a.close();
      await b.close();
    }
  });

  it('retries a pull the platform answers "busy", and loses nothing', async () => {
    const c = new KfCustomer(fake, t.url);
    fake.failNextSync.push(-1, -1, -1);
    const reply = await c.says('使用帮助');
    expect(reply).toMatch(/您随时可以发送/);
  });
});

describe('pulling when the platform is slow or repeats itself', () => {
  it('gives up on a sync_msg that hangs past the time limit, tries again, and answers once', async () => {
    const slow = await startTestApp({ env: env({ WECOM_API_TIMEOUT_MS: '300' }), now: workingDayClock() });
    try {
      await slow.backend.set(slow.app.keys.wecomCursor(OPEN_KFID), `c${fake.items.get(OPEN_KFID)?.length ?? 0}`);
      const c = new KfCustomer(fake, slow.url);
      // Three answers held past the limit: the first pull's three attempts fail; the retry a second later succeeds.
      fake.delayNextSync.push(800, 800, 800);
      const reply = await c.says('使用帮助');
      expect(reply).toMatch(/您随时可以发送/);
      await new Promise((r) => setTimeout(r, 1500));
      expect(c.received()).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('answers each message once when a page is pulled again (the cursor lost after the page was handled)', async () => {
    const c = new KfCustomer(fake, t.url);
    const cursor = t.app.keys.wecomCursor(OPEN_KFID);
    const before = await t.backend.get(cursor);
    await c.says('使用帮助');
    await t.backend.set(cursor, before!);
    await fake.deliverCallback(t.url, OPEN_KFID);
    for (let i = 0; i < 100 && (await t.backend.get(cursor)) === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await t.backend.get(cursor)).not.toBe(before);
    await new Promise((r) => setTimeout(r, 400));
    expect(c.received()).toHaveLength(1);
  });
});

describe('a customer on 微信客服', () => {
  it('welcomes a customer entering the chat with the welcome code, menu included', async () => {
    const c = new KfCustomer(fake, t.url);
    fake.enterSession(OPEN_KFID, c.external);
    await fake.deliverCallback(t.url, OPEN_KFID);
    await until(() => c.received().length === 1, 'the welcome');
    const welcome = fake.sent.at(-1)!;
    expect(welcome.path).toBe('/cgi-bin/kf/send_msg_on_event');
    expect(c.received()[0]).toMatch(/您好！我是银行的在线客服助手[\s\S]*\[我要投诉\]/);
  });

  it('takes a complaint through menus and taps, then shows its progress', async () => {
    const c = new KfCustomer(fake, t.url);
    const first = await c.says('我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678');
    expect(first).toMatch(/您同意吗？[\s\S]*\[同意\]/);
    const agree = c.lastMenu().find((m) => m.content === '同意')!;
    const summary = await c.says(agree.content, 1, agree.id);
    expect(summary).toMatch(/请确认您的投诉信息[\s\S]*金额：¥5,000.00[\s\S]*138\*\*\*\*5678/);
    const done = await c.says('确认提交');
    const number = /TS-\d{8}-\d{4,}/.exec(done)?.[0];
    expect(number).toBeDefined();
    const ticket = await t.app.tickets.get(number!);
    expect(ticket.customer).toMatchObject({ channelId: 'wecom-kf', id: `${OPEN_KFID}:${c.external}`, phone: '13812345678' });
    expect(await c.says('查询投诉进度')).toContain(number!);
    // A notice about it reaches the customer through send_msg.
    await t.app.channels.get('wecom-kf')!.notify({ customerId: ticket.customer.id }, { text: `您的投诉 ${number} 已受理。` });
    expect(c.received().at(-1)).toBe(`您的投诉 ${number} 已受理。`);
  });

  it('keeps to the five-message allowance and says "cannot send now" to a customer who never wrote', async () => {
    const channel = t.app.channels.get('wecom-kf')!;
    await expect(channel.notify({ customerId: `${OPEN_KFID}:${externalUserId()}` }, { text: '通知' })).rejects.toMatchObject({ code: 'CHANNEL_WINDOW_CLOSED' });
    const c = new KfCustomer(fake, t.url);
    await c.says('使用帮助');
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await channel.notify({ customerId: `${OPEN_KFID}:${c.external}` }, { text: `通知 ${i}` }).then(() => 'sent', (e: { code: string }) => e.code));
    expect(results).toEqual(['sent', 'sent', 'sent', 'sent', 'CHANNEL_WINDOW_CLOSED']);
    // The platform's own limit (95001) is believed too.
    const d = new KfCustomer(fake, t.url);
    await d.says('使用帮助');
    fake.failNextSends.push(95001);
    await expect(channel.notify({ customerId: `${OPEN_KFID}:${d.external}` }, { text: '通知' })).rejects.toMatchObject({ code: 'CHANNEL_QUOTA_EXCEEDED' });
    await expect(channel.notify({ customerId: `${OPEN_KFID}:${d.external}` }, { text: '通知' })).rejects.toMatchObject({ code: 'CHANNEL_WINDOW_CLOSED' });
  });
});

describe('handoff to our desk (the default)', () => {
  it('queues the chat for the desk, keeps the session with the bot on the platform, and delivers the staff reply through send_msg', async () => {
    await t.app.handoff.presence.heartbeat('staff:desk-kf', 600_000);
    const c = new KfCustomer(fake, t.url);
    await c.says('使用帮助');
    await c.says('转人工');
    const key = `wecom-kf:${OPEN_KFID}:${c.external}`;
    const waiting = await t.app.handoff.waiting();
    expect(waiting.map((w) => w.key)).toContain(key);
    expect(fake.session(OPEN_KFID, c.external).state).toBe(1);
    expect(await t.app.handoff.claim(key, 'staff:desk-kf')).toBe('claimed');
    await t.app.handoff.reply(key, 'staff:desk-kf', '您好，我是客服小王，我来帮您看一下。');
    await until(() => c.received().some((m) => m.includes('我是客服小王')), 'the staff reply');
    // The customer's next words go to the desk's transcript, not to the bot.
    const before = c.received().length;
    fake.customerWrites(OPEN_KFID, c.external, '好的谢谢');
    await fake.deliverCallback(t.url, OPEN_KFID);
    await new Promise((r) => setTimeout(r, 400));
    expect((await t.app.handoff.transcript(key)).map((e) => e.text)).toContain('好的谢谢');
    expect(c.received().slice(before).join('')).not.toMatch(/请问有什么可以帮您/);
  });
});

describe('handoff to WeCom\'s own servicers', () => {
  let native: TestApp;
  beforeAll(async () => {
    native = await startTestApp({ env: env({ WECOM_KF_HANDOFF: 'wecom', WECOM_KF_SERVICER: 'zhangsan' }), now: workingDayClock() });
    await native.backend.set(native.app.keys.wecomCursor(OPEN_KFID), `c${fake.items.get(OPEN_KFID)?.length ?? 0}`);
  });
  afterAll(() => native.close());

  it('tells the customer, moves the session to the servicer, stays silent while they hold it, and greets afresh after it ends', async () => {
    fake.onDuty.add('zhangsan');
    const c = new KfCustomer(fake, native.url);
    await c.says('使用帮助');
    const told = await c.says('转人工');
    expect(told).toMatch(/人工|客服/);
    await until(() => fake.session(OPEN_KFID, c.external).state === 3, 'the session with the servicer');
    expect(fake.session(OPEN_KFID, c.external).servicer).toBe('zhangsan');
    // The servicer answers in WeCom; the customer's next words are theirs: the bot sends nothing.
    const sentBefore = fake.sent.length;
    fake.servicerWrites(OPEN_KFID, c.external, 'zhangsan', '您好，我是张三');
    fake.customerWrites(OPEN_KFID, c.external, '我的钱什么时候退');
    await fake.deliverCallback(native.url, OPEN_KFID);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.sent.length).toBe(sentBefore);
    // The servicer ends the session: the next message starts a new conversation with the bot.
    fake.servicerEnds(OPEN_KFID, c.external);
    await fake.deliverCallback(native.url, OPEN_KFID);
    await new Promise((r) => setTimeout(r, 300));
    const again = await c.says('使用帮助');
    expect(again).toMatch(/您随时可以发送/);
  });

  it('answers again when the platform ended the session without our hearing of it', async () => {
    fake.onDuty.add('zhangsan');
    const c = new KfCustomer(fake, native.url);
    await c.says('使用帮助');
    await c.says('转人工');
    await until(() => fake.session(OPEN_KFID, c.external).state === 3, 'the session with the servicer');
    // The servicer ends it, but the event never reaches the bot.
    fake.session(OPEN_KFID, c.external).state = 4;
    expect(await c.says('使用帮助')).toMatch(/您随时可以发送/);
  });

  it('goes to the waiting pool when the named servicer is not on duty', async () => {
    fake.onDuty.clear();
    const c = new KfCustomer(fake, native.url);
    await c.says('使用帮助');
    await c.says('转人工');
    await until(() => fake.session(OPEN_KFID, c.external).state === 2, 'the session in the pool');
  });
});
