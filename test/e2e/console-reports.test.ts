/**
 * The reports page in real headless Chromium (issue 15): a supervisor opens Reports over seeded complaints; the
 * figures, the surge banner and the charts (Chart.js served by the bot, no CDN) are drawn without a script error;
 * a CSV link downloads the table. Screenshots at 1280×800 and 390×844 go to /tmp/console-shots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { newComplaint } from '../support/complaints';
import { deskSignIn, launchChromium, pageErrors, withBrowser } from '../support/browser';
import { startTestApp, type TestApp } from '../support/harness';

const SHOTS = '/tmp/console-shots';
const PASSWORD = 'Desk-pass-2024';
const at = (day: string, hour = 10) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);


withBrowser('reports browser tests')('reports in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let clock = at('2026-11-10');

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ now: () => new Date(clock), scheduler: false });
    const categories = ['fees', 'business_error', 'waiting', 'equipment', 'service_attitude'];
    const channels = ['directline', 'wechat-oa', 'wecom-kf'];
    for (let d = 10; d <= 30; d++) {
      for (let i = 0; i < 1 + (d % 3); i++) {
        clock = at(`2026-11-${d}`, 9 + i);
        await t.app.tickets.create(newComplaint(`c${d}-${i}`, { category: categories[(d + i) % categories.length]!, channelId: channels[(d + i) % channels.length]! }));
      }
    }
    clock = at('2026-12-01', 9);
    for (let i = 0; i < 7; i++) await t.app.tickets.create(newComplaint(`today${i}`, { category: 'fees' }));
    clock = at('2026-12-01', 15);
    await t.app.desk!.staff.add({ username: 'chenjing', name: '陈静', role: 'supervisor', teams: [], password: PASSWORD });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['1280×800', { width: 1280, height: 800 }, 'reports-1280.png'],
    ['390×844', { width: 390, height: 844 }, 'reports-390.png'],
  ])('draws the figures, the surge and the charts at %s, and exports a table', async (_size, viewport, file) => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport, ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
    const errors = pageErrors(page);
    await deskSignIn(page, t.url, 'chenjing', PASSWORD);
    await page.click('nav [data-view=reports]');
    await page.locator('.rp-surges.warn', { hasText: '今天 7 件' }).waitFor({ timeout: 15_000 });
    // Every chart card has a drawn canvas (Chart.js sized it).
    const canvases = page.locator('.rp-chart canvas');
    await expect(canvases.count()).resolves.toBeGreaterThanOrEqual(4);
    const sizes = await canvases.evaluateAll((els) => els.map((c) => (c as unknown as { width: number }).width));
    expect(sizes.every((w) => w > 100)).toBe(true);
    await expect(page.locator('.rp-figure').first().innerText()).resolves.toMatch(/投诉量\s*\d+/);
    await expect(page.locator('.reports').innerText()).resolves.not.toMatch(/\bnull\b|undefined|NaN/);
    await page.screenshot({ path: path.join(SHOTS, file), fullPage: viewport.width < 500 });
    // The CSV link of the category card downloads the table in the page's language.
    const href = await page.locator('.rp-card a.btn').nth(1).getAttribute('href');
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv.split('\r\n')[0]).toBe('类别,次数');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
