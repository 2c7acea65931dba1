/**
 * Content tuning end to end in real headless Chromium (issue 15): a supervisor finds the greeting in the
 * console, changes the zh-CN text, reviews and publishes it with a note; a customer opening Web Chat is greeted
 * with it; the supervisor restores the original and the customer is greeted as before. A draft with a forbidden
 * phrase is shown with the problem at the field and cannot be published. Screenshots at 1280×800 and 390×844
 * go to /tmp/console-shots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { deskSignIn, launchChromium, pageErrors, withBrowser } from '../support/browser';
import { startTestApp, waitFor, type TestApp } from '../support/harness';

const SHOTS = '/tmp/console-shots';
const PASSWORD = 'Desk-pass-2024';
const NEW_GREETING = '您好，这里是银行投诉服务台，请直接说说您遇到的情况。';

withBrowser('console browser tests')('content tuning in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ scheduler: false });
    await t.app.desk!.staff.add({ username: 'chenjing', name: '陈静', role: 'supervisor', teams: [], password: PASSWORD });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false });

  /** What a customer opening Web Chat is greeted with. */
  async function greeting(): Promise<string> {
    const chat = await browser.newPage({ locale: 'zh-CN', viewport: { width: 420, height: 860 } });
    try {
      await chat.goto(`${t.url}/`);
      const first = chat.locator('.webchat__bubble__content').first();
      await first.waitFor({ timeout: 20_000 });
      return await first.innerText();
    } finally {
      await chat.close();
    }
  }

  async function openConsole(page: Page): Promise<void> {
    await deskSignIn(page, t.url, 'chenjing', PASSWORD);
    await page.click('nav [data-view=content]');
    await page.locator('.ct-table textarea').first().waitFor({ timeout: 10_000 });
  }

  it('edit → review → publish → the customer is greeted with it → restore → greeted as before (1280×800)', async () => {
    expect(await greeting()).toContain('在线客服助手');
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = pageErrors(page);
    await openConsole(page);
    await page.fill('.ct-tools input[type=search]', 'greeting');
    const field = page.locator('textarea[data-file="locales/zh-CN/common.json"][data-key="greeting"]');
    await field.fill(NEW_GREETING);
    await expect(page.locator('.ct-tools .ct-note').innerText()).resolves.toMatch(/1 处改动未保存/);
    await shot(page, 'texts-edited-1280.png');
    await page.getByRole('button', { name: '存入草稿' }).click();
    await page.locator('.ct-summary .chip.ticket', { hasText: '改动了 1 个文件' }).waitFor();
    // Saved but not published: customers still get the old greeting.
    expect(await greeting()).toContain('在线客服助手');
    // The test chat runs the draft: greeted with the new words, and the menu works.
    await page.click('.ct-tabs [data-tab=preview]');
    await page.locator('.ct-chat .ct-msg.bot', { hasText: NEW_GREETING }).waitFor({ timeout: 15_000 });
    await expect(page.locator('.ct-chat-head .chip').innerText()).resolves.toBe('使用草稿');
    await page.locator('.ct-choices').getByRole('button', { name: '我要投诉' }).click();
    await page.locator('.ct-chat .ct-msg.bot', { hasText: '说说发生了什么' }).waitFor({ timeout: 10_000 });
    await page.fill('.ct-chat-input input', '柜员把我的钱转错了账户');
    await page.press('.ct-chat-input input', 'Enter');
    await page.locator('.ct-chat .ct-msg.bot', { hasText: '什么时候发生' }).waitFor({ timeout: 10_000 });
    await shot(page, 'test-chat-1280.png');

    await page.click('.ct-tabs [data-tab=review]');
    await page.getByText('没有问题，可以发布。').waitFor();
    await expect(page.locator('.ct-diff td.after').innerText()).resolves.toBe(NEW_GREETING);
    await page.fill('.ct-publish input', '问候语更直接，先请客户说情况');
    await shot(page, 'review-1280.png');
    await expect(page.locator('.content-tuning').innerText()).resolves.not.toMatch(/\bnull\b|undefined/);
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.locator('.ct-versions tr.current', { hasText: '第 1 版' }).waitFor();
    await expect(page.locator('.ct-versions tr.current').innerText()).resolves.toMatch(/陈静[\s\S]*问候语更直接/);
    await shot(page, 'versions-1280.png');
    expect(await greeting()).toContain(NEW_GREETING);

    // Restore the original (version 0) with a note.
    await page.locator('.ct-versions tr', { hasText: '初始内容' }).getByRole('button', { name: '恢复此版本' }).click();
    await page.fill('dialog input', '恢复原来的问候语');
    await page.locator('dialog').getByRole('button', { name: '恢复此版本' }).click();
    await page.locator('.ct-versions tr.current', { hasText: '恢复自第 0 版' }).waitFor();
    expect(await greeting()).toContain('在线客服助手');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('teaches the FAQ a phrasing in the Files tab and tries it: the draft answers, the live version does not (1280×800)', async () => {
    const phrasing = '给娃开个存钱的户头要拿啥东西过去';
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = pageErrors(page);
    await openConsole(page);
    await page.click('.ct-tabs [data-tab=files]');
    await page.selectOption('.ct-files select', 'faq/accounts.json');
    const area = page.locator('textarea.ct-file');
    await waitFor(() => area.inputValue(), (v) => v.includes('account-open-documents'), 10_000);
    const file = JSON.parse(await area.inputValue());
    file.entries.find((e: any) => e.id === 'account-open-documents').questions['zh-CN'].push(phrasing);
    await area.fill(JSON.stringify(file, null, 2));
    await page.getByRole('button', { name: '存入草稿' }).click();
    await page.locator('.ct-summary .chip.ticket', { hasText: '改动了 1 个文件' }).waitFor();
    await page.click('.ct-tabs [data-tab=preview]');
    await page.fill('.ct-preview input[type=text]', phrasing);
    await page.getByRole('button', { name: '试一下' }).click();
    const [live, draft] = [page.locator('.ct-preview-col').nth(0), page.locator('.ct-preview-col').nth(1)];
    await draft.getByText('直接回答“开户需要带什么证件”').waitFor();
    await expect(live.innerText()).resolves.not.toContain('直接回答“开户需要带什么证件”');
    await shot(page, 'preview-1280.png');
    await expect(page.locator('.content-tuning').innerText()).resolves.not.toMatch(/\bnull\b|undefined/);
    await page.click('.ct-summary .btn.danger');
    await page.locator('dialog').getByRole('button', { name: '放弃草稿' }).click();
    await page.locator('.ct-summary .chip', { hasText: '没有草稿' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('a forbidden phrase is shown at its field and the draft cannot be published; the phone layout (390×844)', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const errors = pageErrors(page);
    await openConsole(page);
    await page.fill('.ct-tools input[type=search]', 'greeting');
    await page.locator('textarea[data-file="locales/zh-CN/common.json"][data-key="greeting"]').fill('这不归我管，请您自己去网点问。');
    await page.getByRole('button', { name: '存入草稿' }).click();
    await page.locator('td.has-problem .ct-problem', { hasText: '服务禁语' }).waitFor();
    await shot(page, 'texts-problem-390.png');
    await page.click('.ct-tabs [data-tab=review]');
    await page.getByText(/发布前需要修改 1 处问题/).waitFor();
    await expect(page.getByRole('button', { name: '发布', exact: true }).isDisabled()).resolves.toBe(true);
    await shot(page, 'review-problem-390.png');
    // The problem's link leads back to the field.
    await page.locator('.ct-problems .linkish').click();
    await page.locator('textarea[data-key="greeting"]').first().waitFor();
    expect(t.app.liveContent.version).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
