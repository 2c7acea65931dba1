/**
 * The customer's web chat in real headless Chromium (Debian's `chromium`,
 * driven by playwright-core; no browser download): open `/`, type 你好, see the
 * greeting and the menu. In CI a missing browser fails; on a laptop the test
 * reports itself skipped and says what to install.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  if (process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: CI must install it (apt-get install chromium fonts-wqy-microhei)`);
  console.warn(`SKIPPED browser tests: no Chromium at ${CHROMIUM}. Install it with: sudo apt-get install chromium fonts-wqy-microhei`);
}
const maybe = haveBrowser ? describe : describe.skip;

maybe('web chat page in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] // playwright gives each launch a fresh empty profile,
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('greets and shows the menu after the customer types 你好', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${t.url}/`);
    await expect(page.title()).resolves.toBe('在线客服');
    const input = page.locator('input[data-id="webchat-sendbox-input"], textarea[data-id="webchat-sendbox-input"]');
    await input.waitFor({ timeout: 20_000 });
    await input.fill('你好');
    await input.press('Enter');
    // The customer's message, then the bot's greeting and the menu as buttons.
    await page.getByText('你好', { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.getByText(/我是银行的在线客服助手/).last().waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: '使用帮助' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(tmpdir(), 'webchat-e2e.png') });
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('takes a complaint with taps on the answer buttons and shows its number', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 420, height: 860 } });
    await page.goto(`${t.url}/`);
    const input = page.locator('input[data-id="webchat-sendbox-input"], textarea[data-id="webchat-sendbox-input"]');
    await input.waitFor({ timeout: 20_000 });
    await input.fill('我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678');
    await input.press('Enter');
    await page.getByRole('button', { name: '同意', exact: true }).last().click({ timeout: 10_000 });
    await page.getByText(/请确认您的投诉信息/).last().waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: '确认提交' }).last().click();
    await page.getByText(/您的投诉已登记，编号 TS-\d{8}-\d{4}/).last().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(tmpdir(), 'webchat-complaint.png') });
    // Plain text: the masked phone shows as typed (not as Markdown bold) and the summary keeps its lines.
    await page.getByText('联系电话：138****5678').last().waitFor({ timeout: 5_000 });
    await page.getByText(/^金额：¥5,000.00$/).last().waitFor({ timeout: 5_000 });
  }, 60_000);

  it('serves the page in English for an English browser and answers a tap on a menu button', async () => {
    const page = await browser.newPage({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
    await page.goto(`${t.url}/`);
    await expect(page.title()).resolves.toBe('Online service');
    await page.getByRole('button', { name: 'Help' }).first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Help' }).first().click();
    await page.getByText(/You can send these at any time/).first().waitFor({ timeout: 10_000 });
  }, 60_000);
});
