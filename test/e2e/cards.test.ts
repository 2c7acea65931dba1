/**
 * The intake's cards in the web chat, in real headless Chromium: the summary
 * before submission arrives over Direct Line as an Adaptive Card and renders
 * as one (with the masked phone in it, shown once, not also as a text bubble);
 * the receipt after submission is a card too; the page carries the bank's
 * name and logo from content/policy/branding.json.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { loadContent } from '../../bot/content/loader';
import { activities, startTestApp, type TestApp } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: CI must install it`);
const maybe = haveBrowser ? describe : describe.skip;
const CARD = 'application/vnd.microsoft.card.adaptive';

maybe('intake cards in the web chat', () => {
  let t: TestApp;
  let browser: Browser;
  const branding = loadContent().branding;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the summary and the receipt as Adaptive Cards under the bank\'s name', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); }); // a CSP violation is reported here
    await page.goto(`${t.url}/`);
    await expect(page.locator('header h1').textContent()).resolves.toBe(branding.name['zh-CN']);
    await expect(page.locator('header img').getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml;base64,/);

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.waitFor({ timeout: 20_000 });
    await input.fill('我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678');
    await input.press('Enter');
    await page.getByRole('button', { name: '同意', exact: true }).last().click({ timeout: 10_000 });

    // Rendered as a card: the masked phone is an element inside the Adaptive Card, and nowhere outside a card.
    const summaryCard = page.locator('.ac-adaptiveCard').filter({ hasText: '请确认您的投诉信息' }).last();
    await summaryCard.getByText('138****5678', { exact: true }).waitFor({ timeout: 10_000 });
    await expect(summaryCard.getByText('¥5,000.00', { exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('.webchat__bubble__content:not(:has(.ac-adaptiveCard))').filter({ hasText: '联系电话' }).count()).resolves.toBe(0);

    // Arrived as a card: the activity carries the Adaptive Card, and its text stays as the plain fallback.
    const s = JSON.parse(await page.evaluate('sessionStorage.getItem("cfd.webchat")') as string);
    const sent = (await activities(t.url, { conversationId: s.conversationId, token: s.token })).activities;
    const summary = sent.filter((a) => a.from.role === 'bot' && /请确认您的投诉信息/.test(a.text ?? '')).at(-1);
    expect(summary.attachments.map((a: any) => a.contentType)).toEqual([CARD]);
    expect(summary.text).toMatch(/联系电话：138\*\*\*\*5678/);

    await page.getByRole('button', { name: '确认提交' }).last().click();
    const receipt = page.locator('.ac-adaptiveCard').filter({ hasText: /编号 TS-\d{8}-\d{4}/ }).last();
    await receipt.waitFor({ timeout: 10_000 });
    await expect(receipt.locator('strong').first().textContent()).resolves.toMatch(/^TS-\d{8}-\d{4}$/);
    expect(errors).toEqual([]);
  }, 90_000);
});
