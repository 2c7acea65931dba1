/**
 * The staff desk in real headless Chromium (Debian's `chromium` via
 * playwright-core; no browser download): sign in, see a waiting chat arrive
 * live, claim it, get a forbidden phrase refused with a better wording, reply,
 * and the customer's Direct Line conversation has the reply. Screenshots at
 * 1280×800 and 390×844 go to /tmp/desk-shots/. Until bot/app.ts mounts the
 * desk, the test mounts it on the test app itself.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { HandoffService } from '../../bot/handoff/handoff-service';
import { mountDesk, type DeskFeature } from '../../bot/desk/mount';
import type { MountContext } from '../../bot/mount';
import { activities, daytimeClock, startConversation, startTestApp, waitFor, type TestApp } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  if (process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: CI must install it (apt-get install chromium fonts-wqy-microhei)`);
  console.warn(`SKIPPED desk browser tests: no Chromium at ${CHROMIUM}. Install it with: sudo apt-get install chromium fonts-wqy-microhei`);
}
const maybe = haveBrowser ? describe : describe.skip;
const SHOTS = '/tmp/desk-shots';
const PASSWORD = 'Desk-pass-2024';

maybe('staff desk in headless Chromium', () => {
  let t: TestApp;
  let handoff: HandoffService;
  let desk: DeskFeature;
  let browser: Browser;
  let now: () => Date;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    now = daytimeClock();
    t = await startTestApp({ now, desk: false });
    const { app } = t;
    handoff = new HandoffService({
      backend: app.backend, keys: app.keys, translator: app.translator, channel: (id) => app.channels.get(id),
      inOfficeHours: () => true, minutesPerChat: 5, transcriptTtlMs: 86_400_000, now,
    });
    const ctx = { config: app.config, logger: app.logger, backend: app.backend, keys: app.keys, server: app.server, content: app.content, translator: app.translator, now, channels: app.channels } as unknown as MountContext;
    desk = mountDesk(ctx, handoff);
    await desk.staff.add({ username: 'wangfang', name: '王芳', role: 'agent', teams: ['card_center'], password: PASSWORD });
    await desk.staff.add({ username: 'zhaolei', name: '赵磊', role: 'agent', teams: ['retail_credit'], password: PASSWORD });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await desk?.stop?.();
    await t?.close();
  });

  /** A customer in a real web conversation who asked for a person, with what they said before. */
  async function waitingCustomer(lines: string[], level: 'urgent' | 'important', reasons: string[], ticketNumber?: string) {
    const conv = await startConversation(t.url);
    const key = `directline:${conv.conversationId}`;
    let at = now().getTime() - 5 * 60_000;
    for (const text of lines) await handoff.record(key, { from: 'customer', text, at: new Date((at += 40_000)).toISOString() }, false);
    await handoff.record(key, { from: 'bot', text: '非常理解您的心情，我马上为您转接人工客服，请稍候。', at: new Date((at += 2_000)).toISOString() }, false);
    const outcome = await handoff.request({ channelId: 'directline', conversationId: conv.conversationId, customerId: `dl_${conv.conversationId}`, locale: 'zh-CN', level, reasons, ticketNumber, team: 'card_center' });
    if (!outcome.queued) throw new Error(`not queued: ${outcome.reason}`);
    return { key, conv };
  }

  async function signIn(page: Page, username: string) {
    await page.goto(`${t.url}/desk`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.locator('.status:not(.down)').waitFor({ timeout: 15_000 });
  }

  const errorsOf = (page: Page) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The refused reply is a 422 the page expects; anything else logged as an error is a fault.
    page.on('console', (m) => m.type() === 'error' && !/status of 422/.test(m.text()) && errors.push(m.text()));
    return errors;
  };

  it('signs in, sees a chat arrive live, claims it, is stopped from a forbidden phrase, and replies (1280×800)', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = errorsOf(page);
    await page.goto(`${t.url}/desk`);
    await expect(page.title()).resolves.toBe('坐席工作台 · 示例银行');
    await page.screenshot({ path: path.join(SHOTS, 'desk-login-1280.png') });
    await handoff.presence.heartbeat('wangfang', 60_000);
    await waitingCustomer(['我的卡被盗刷了五万块', '现在怎么办，钱还能追回来吗'], 'important', ['fraud', 'largeAmount']);
    await signIn(page, 'wangfang');
    await page.locator('.item').first().waitFor();
    // Arrives while the desk is open: over the live stream, no reload.
    const { key, conv } = await waitingCustomer(['你好', '我的信用卡被莫名其妙扣了两笔年费，一共600块！！', '已经打了三次电话都没人管，再不处理我就找媒体曝光'], 'urgent', ['anger', 'threat.media'], 'TS-20250611-0042');
    const item = page.locator(`.item[data-key="${key}"]`);
    await item.waitFor({ timeout: 10_000 });
    // Most serious first: the urgent chat is above the important one that waited longer.
    await expect(page.locator('.item').first().getAttribute('data-key')).resolves.toBe(key);
    await expect(item.innerText()).resolves.toMatch(/紧急[\s\S]*情绪激动（愤怒）[\s\S]*表示要找媒体曝光[\s\S]*TS-20250611-0042/);
    await page.screenshot({ path: path.join(SHOTS, 'desk-queue-1280.png') });

    await item.click();
    await page.locator('.transcript').getByText('再不处理我就找媒体曝光').waitFor();
    await page.click('[data-action=claim]');
    await page.locator('textarea').waitFor();
    await page.fill('textarea', '这个我不知道，你自己去看');
    await page.keyboard.press('Enter');
    await page.locator('.suggest').getByText('这个问题我马上帮您核实，请您稍等片刻。').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'desk-forbidden-phrase-1280.png') });
    expect((await handoff.transcript(key)).some((e) => e.from === 'staff')).toBe(false);

    await page.fill('textarea', '您好，我是人工客服王芳，已经看到您前面说的情况，年费的事我来帮您核实。');
    await page.keyboard.press('Enter');
    await page.locator('.msg.staff').getByText('年费的事我来帮您核实').waitFor();
    await waitFor(() => activities(t.url, conv), (s) => s.activities.some((a) => /年费的事我来帮您核实/.test(a.text ?? '')));
    await page.screenshot({ path: path.join(SHOTS, 'desk-chat-1280.png') });
    expect(errors).toEqual([]);
  }, 90_000);

  it('works on a phone-sized screen: queue, then the chat with a back button (390×844)', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const errors = errorsOf(page);
    await handoff.presence.heartbeat('zhaolei', 60_000);
    const { key, conv } = await waitingCustomer(['我想提前还贷款，但是App上一直显示失败', '转人工'], 'important', ['asksPerson', 'notUnderstood']);
    await signIn(page, 'zhaolei');
    const item = page.locator(`.item[data-key="${key}"]`);
    await item.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'desk-queue-390.png') });
    // Nothing sticks out sideways on a phone.
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await item.click();
    await page.click('[data-action=claim]');
    await page.click('button[aria-expanded]');
    await page.locator('.canned button').first().click();
    await page.keyboard.press('Enter');
    await page.locator('.msg.staff').first().waitFor();
    await waitFor(() => activities(t.url, conv), (s) => s.activities.some((a) => /我是人工客服/.test(a.text ?? '')));
    await page.screenshot({ path: path.join(SHOTS, 'desk-chat-390.png') });
    await page.click('.back');
    await page.locator('.queue').waitFor();
    expect(errors).toEqual([]);
  }, 90_000);
});
