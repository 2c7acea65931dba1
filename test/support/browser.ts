/**
 * Real headless Chromium for the browser tests (Debian's `chromium` via playwright-core; never a download):
 * whether the tests run (in CI a missing browser is an error; on a laptop they are skipped with what to
 * install), the launch flags every test uses, the desk's sign-in, and the page errors a test asserts are none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `describe` when Chromium is installed, else `describe.skip` (and in CI, an error naming the package). */
export function withBrowser(what: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  if (process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: CI must install it (apt-get install chromium fonts-wqy-microhei)`);
  console.warn(`SKIPPED ${what}: no Chromium at ${CHROMIUM}. Install it with: sudo apt-get install chromium fonts-wqy-microhei`);
  return describe.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in to the desk and waits for its live connection. */
export async function deskSignIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/desk`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('.status:not(.down)').waitFor({ timeout: 15_000 });
}

/** Script errors and console errors of the page, collected from now on (`expected`: console errors a test causes on purpose). */
export function pageErrors(page: Page, expected?: RegExp): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !(expected && expected.test(m.text())) && errors.push(m.text()));
  return errors;
}
