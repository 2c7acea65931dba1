/**
 * The chat page under its Content-Security-Policy in real headless Chromium:
 * Web Chat works with no policy violation (nonce on the inline script and
 * styles, no 'unsafe-inline' for scripts), the security headers are sent, and
 * a site not listed in WEBCHAT_FRAME_ANCESTORS cannot frame the page.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: CI must install it`);
const maybe = haveBrowser ? describe : describe.skip;

maybe('web chat page under its security policy', () => {
  let t: TestApp;
  let browser: Browser;
  let embedder: Server;
  let embedderUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    // Another origin (another port) that tries to frame the chat page.
    embedder = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><iframe id="chat" src="${t.url}/" width="400" height="600"></iframe>`);
    });
    await new Promise<void>((r) => embedder.listen(0, '127.0.0.1', r));
    embedderUrl = `http://127.0.0.1:${(embedder.address() as AddressInfo).port}/`;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => embedder?.close(r));
    await t?.close();
  });

  it('sends the security headers with a fresh nonce per response', async () => {
    const a = await fetch(`${t.url}/`);
    const b = await fetch(`${t.url}/`);
    const csp = a.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
    expect(b.headers.get('content-security-policy')).not.toBe(csp);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(a.headers.get('permissions-policy')).toMatch(/microphone=\(\)/);
    expect(a.headers.get('strict-transport-security')).toBeNull(); // no https PUBLIC_URL here
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(await a.text()).toContain(`<script nonce="${nonce}">`);
  });

  it('runs Web Chat with no policy violation and holds a conversation', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', function (e) { console.error('Refused to (csp) ' + e.violatedDirective + ' ' + e.blockedURI); });",
    );
    await page.goto(`${t.url}/`);
    const input = page.locator('input[data-id="webchat-sendbox-input"], textarea[data-id="webchat-sendbox-input"]');
    await input.waitFor({ timeout: 20_000 });
    await input.fill('帮助');
    await input.press('Enter');
    await page.getByText('帮助', { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: '使用帮助' }).first().waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
    // Every style sheet Web Chat made was applied (a blocked <style> has no sheet; the transcript would not scroll).
    const blockedSheets = await page.evaluate('Array.from(document.querySelectorAll("style")).filter(function (s) { return !s.sheet; }).length');
    expect(blockedSheets).toBe(0);
  }, 60_000);

  it('cannot be framed by a site that is not listed', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (m) => refused.push(m.text()));
    await page.goto(embedderUrl);
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const framedChat = frame ? await frame.locator('#webchat').count().catch(() => 0) : 0;
    expect(framedChat).toBe(0);
  }, 30_000);
});
