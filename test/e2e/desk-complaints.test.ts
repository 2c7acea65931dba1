/**
 * Complaint work in the desk, end to end in real headless Chromium (issue 12): a customer files a complaint in
 * Web Chat; an agent of the complaint's team finds it on the desk's complaints page by the phone's last four
 * digits, accepts it, takes it, starts, and answers it with the six elements; at each step the customer's Web
 * Chat receives the progress notice. A supervisor sees the call-backs and the undelivered notices. Screenshots
 * at 1280×800 and 390×844 go to /tmp/desk-shots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { deskSignIn, launchChromium, pageErrors, withBrowser } from '../support/browser';
import { startTestApp, waitFor, workingDayClock, type TestApp } from '../support/harness';

const SHOTS = '/tmp/desk-shots';
const PASSWORD = 'Desk-pass-2024';

withBrowser('desk complaint browser tests')('complaints on the desk, in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let number = '';
  let department = '';
  const now = workingDayClock();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ now, scheduler: false });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const errorsOf = (page: Page) => pageErrors(page);
  const signIn = (page: Page, username: string) => deskSignIn(page, t.url, username, PASSWORD);

  /** The outbox runs until the customer's Web Chat shows the notice (a tick may find another holding its lock). */
  const customerSees = (chat: Page, text: RegExp) =>
    waitFor(async () => {
      await t.app.outbox.tick();
      return chat.getByText(text).count();
    }, (n) => n > 0, 15_000);

  it('a complaint filed in Web Chat is found, accepted, taken, started and answered on the desk; the customer hears each step (1280×800)', async () => {
    const chat = await browser.newPage({ locale: 'zh-CN', viewport: { width: 420, height: 860 } });
    await chat.goto(`${t.url}/`);
    const input = chat.locator('input[data-id="webchat-sendbox-input"], textarea[data-id="webchat-sendbox-input"]');
    await input.waitFor({ timeout: 20_000 });
    await input.fill('我昨天下午在陆家嘴支行ATM取款5000元，钱没出来但卡里扣了，希望尽快退款，电话13812345678');
    await input.press('Enter');
    await chat.getByRole('button', { name: '同意', exact: true }).last().click({ timeout: 10_000 });
    await chat.getByText(/请确认您的投诉信息/).last().waitFor({ timeout: 10_000 });
    await chat.getByRole('button', { name: '确认提交' }).last().click();
    const receipt = chat.getByText(/您的投诉已登记，编号 TS-\d{8}-\d{4}/).last();
    await receipt.waitFor({ timeout: 10_000 });
    number = /TS-\d{8}-\d{4}/.exec(await receipt.innerText())![0];
    department = (await t.app.tickets.get(number)).department;
    await t.app.desk!.staff.add({ username: 'wangfang', name: '王芳', role: 'agent', teams: [department], password: PASSWORD });

    const desk = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = errorsOf(desk);
    await signIn(desk, 'wangfang');
    await desk.click('nav [data-view=complaints]');
    await desk.locator(`.item[data-number="${number}"]`).waitFor({ timeout: 10_000 });
    await desk.fill('input[name=q]', '5678');
    await desk.press('input[name=q]', 'Enter');
    const item = desk.locator(`.item[data-number="${number}"]`);
    await expect(item.innerText()).resolves.toMatch(/尾号 5678/);
    await item.click();
    await desk.locator('.complaint-head h2', { hasText: number }).waitFor();
    // The customer's words, masked contact, both clocks; no full number for an agent who does not own it.
    await desk.locator('.story', { hasText: '钱没出来' }).waitFor();
    await expect(desk.locator('.complaint-side').innerText()).resolves.toMatch(/承诺客户[\s\S]*内部目标[\s\S]*监管时限[\s\S]*\*{7}5678/);
    await expect(desk.locator('[data-action=reveal]').count()).resolves.toBe(0);
    // The chat the complaint came from, masked as the desk's transcripts are.
    await desk.click('.conversation summary');
    const said = desk.locator('.conversation .msg.customer', { hasText: '钱没出来' });
    await said.waitFor();
    await expect(said.innerText()).resolves.not.toContain('13812345678');
    await desk.screenshot({ path: path.join(SHOTS, 'complaint-new-1280.png') });

    await desk.getByRole('button', { name: '受理', exact: true }).click();
    await desk.locator('.complaint-head .badge', { hasText: '已受理' }).waitFor();
    await customerSees(chat, new RegExp(`关于您的投诉 ${number}：目前状态为“已受理”`));
    await desk.getByRole('button', { name: '由我处理' }).click();
    await desk.locator('.complaint-head .badge', { hasText: '已分派' }).waitFor();
    // The owner may see the full number; the look is in the audit log.
    await desk.click('[data-action=reveal]');
    await desk.locator('.complaint-side .phone', { hasText: '13812345678' }).waitFor();
    await desk.getByRole('button', { name: '开始处理' }).click();
    await desk.locator('.complaint-head .badge', { hasText: '处理中' }).waitFor();

    await desk.fill('textarea[name=note]', '已联系清算中心调取ATM流水。');
    await desk.getByRole('button', { name: '添加备注' }).click();
    await desk.locator('.trail .note', { hasText: '已联系清算中心调取ATM流水' }).waitFor();

    await desk.getByRole('button', { name: '答复客户…' }).click();
    await desk.locator('dialog textarea[name=findings]').waitFor();
    // Nothing filled: the form says what is missing and sends nothing.
    await desk.click('dialog button[type=submit]');
    await desk.locator('dialog .form-error').waitFor();
    await desk.fill('dialog textarea[name=findings]', 'ATM 吐钞模块故障，5000 元未吐出，已于今日退回原卡。');
    await desk.fill('dialog textarea[name=accountability]', '设备维护商未按期巡检，已按合同扣罚。');
    await desk.fill('dialog textarea[name=correctiveAction]', '该网点 ATM 改为每周巡检，并增加吐钞异常自动冲正。');
    await desk.fill('dialog input[name=handlerContact]', '021-5888 8888 转 6021');
    await desk.selectOption('dialog select[name=customerSatisfied]', 'yes');
    await desk.screenshot({ path: path.join(SHOTS, 'complaint-answer-form-1280.png') });
    await desk.click('dialog button[type=submit]');
    // The answer as the customer will read it, before it is sent: back to the form keeps what was typed.
    const preview = desk.locator('dialog .preview');
    await preview.waitFor();
    await expect(preview.innerText()).resolves.toMatch(new RegExp(`关于您的投诉 ${number}，答复如下：[\\s\\S]*调查结果：ATM 吐钞模块故障[\\s\\S]*处理情况：设备维护商[\\s\\S]*改进措施：该网点[\\s\\S]*经办人：王芳，联系方式：021-5888 8888 转 6021[\\s\\S]*答复时间：[\\s\\S]*申请复核`));
    await desk.screenshot({ path: path.join(SHOTS, 'complaint-answer-preview-1280.png') });
    await desk.click('dialog [data-action=edit]');
    await expect(desk.inputValue('dialog textarea[name=findings]')).resolves.toMatch(/^ATM 吐钞模块故障/);
    await desk.click('dialog button[type=submit]');
    await desk.click('dialog [data-action=send]');
    await desk.locator('.complaint-head .badge', { hasText: '已答复' }).waitFor();
    await desk.locator('.card.answer', { hasText: '已于今日退回原卡' }).waitFor();
    // The customer gets the answer itself, in the same chat.
    await customerSees(chat, /答复如下：[\s\S]*已于今日退回原卡[\s\S]*021-5888 8888 转 6021/);
    await desk.screenshot({ path: path.join(SHOTS, 'complaint-answered-1280.png') });
    await chat.screenshot({ path: path.join(SHOTS, 'complaint-notices-customer-420.png') });

    const ticket = await t.app.tickets.get(number);
    expect(ticket.status).toBe('resolved');
    expect(ticket.handlers).toEqual(['staff:wangfang']);
    expect(ticket.resolution).toMatchObject({ customerSatisfied: 'yes', handler: { name: '王芳', contact: '021-5888 8888 转 6021' } });
    expect(ticket.audit.filter((a) => a.action === 'note').map((a) => a.note)).toEqual(['已联系清算中心调取ATM流水。']);
    const audit = await t.app.desk!.audit.read(t.app.desk!.audit.today());
    expect(audit.entries.filter((e) => e.staff === 'wangfang').map((e) => e.action)).toEqual(expect.arrayContaining(['complaint_move', 'reveal']));
    expect(errors).toEqual([]);
  }, 120_000);

  it('on a phone: the list, then the complaint with a back button; nothing sticks out sideways (390×844)', async () => {
    await t.app.desk!.staff.add({ username: 'zhaolei', name: '赵磊', role: 'agent', teams: [department], password: PASSWORD });
    const phone = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const errors = errorsOf(phone);
    await signIn(phone, 'zhaolei');
    await phone.click('nav [data-view=complaints]');
    await phone.click('.tabs [data-due=all]');
    await phone.fill('input[name=q]', number);
    await phone.press('input[name=q]', 'Enter');
    // A number search opens the one complaint found.
    await phone.locator('.complaint-head h2', { hasText: number }).waitFor({ timeout: 10_000 });
    await expect(phone.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await phone.screenshot({ path: path.join(SHOTS, 'complaint-detail-390.png'), fullPage: true });
    await phone.click('.complaint-head .back');
    await phone.locator(`.item[data-number="${number}"]`).waitFor();
    await phone.screenshot({ path: path.join(SHOTS, 'complaint-list-390.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('on a phone, the one-table pages scroll inside their card, not the page (390×844)', async () => {
    await t.app.desk!.staff.add({ username: 'sunli', name: '孙丽', role: 'supervisor', teams: [], password: PASSWORD });
    const phone = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const errors = errorsOf(phone);
    await signIn(phone, 'sunli');
    for (const view of ['alerts', 'callbacks', 'dead', 'audit']) {
      await phone.click(`nav [data-view=${view}]`);
      await phone.locator('.sheet h2, .audit h2').first().waitFor();
      await expect(phone.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
      await phone.screenshot({ path: path.join(SHOTS, `sheet-${view}-390.png`) });
    }
    expect(errors).toEqual([]);
  }, 60_000);

  it('a supervisor moves a complaint about a colleague to another team, and merges a repeat complaint (1280×800)', async () => {
    await t.app.desk!.staff.add({ username: 'zhoumin', name: '周敏', role: 'agent', teams: ['branch_service'], password: PASSWORD });
    await t.app.desk!.staff.add({ username: 'lihua', name: '李华', role: 'supervisor', teams: [], password: PASSWORD });
    const at = now().toISOString();
    const base = (id: string, description: string, category = 'service_attitude', staff?: string) => ({
      customer: { channelId: 'directline', id, anonymous: false, phone: '13800001234', locale: 'zh-CN' },
      conversationRef: { conversation: { id } },
      details: { category, description, wish: '道歉', ...(staff ? { staff } : {}) },
      consent: { personalData: { given: true, at, retentionDays: 1825 } },
      lawfulBasis: { description: 'legal_obligation' as const },
      customerTexts: [description],
    });
    const about = await t.app.tickets.create(base('e2e-about', '大堂经理周敏对我大声呵斥', 'service_attitude', '周敏'));
    const first = await t.app.tickets.create(base('e2e-dup', '柜台办业务等了两个小时'));
    const repeat = await t.app.tickets.create(base('e2e-dup', '又去了一次，还是等了两个小时'));

    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = errorsOf(page);
    await signIn(page, 'lihua');
    await page.click('nav [data-view=complaints]');
    const flagged = page.locator(`.item[data-number="${about.number}"]`);
    await expect(flagged.innerText()).resolves.toContain('须转部门');
    await flagged.click();
    await page.locator('.complaint-head .banner', { hasText: '涉及本部门的员工' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'complaint-team-conflict-1280.png') });
    await page.getByRole('button', { name: '转其他部门…' }).click();
    await expect(page.locator('dialog select[name=team] option[value=branch_service]').count()).resolves.toBe(0);
    await page.selectOption('dialog select[name=team]', 'customer_service');
    await page.fill('dialog textarea[name=reason]', '涉及网点员工，转客户服务中心处理');
    await page.click('dialog button[type=submit]');
    await page.locator('.complaint-head .sub', { hasText: '客户服务中心' }).waitFor();
    expect((await t.app.tickets.get(about.number)).department).toBe('customer_service');

    await page.fill('input[name=q]', repeat.number);
    await page.press('input[name=q]', 'Enter');
    await page.locator('.complaint-head h2', { hasText: repeat.number }).waitFor();
    await page.getByRole('button', { name: '合并到…' }).click();
    await page.locator(`dialog [data-merge="${first.number}"]`).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'complaint-merge-1280.png') });
    await page.click(`dialog [data-merge="${first.number}"]`);
    await page.locator('.complaint-head h2', { hasText: first.number }).waitFor();
    await page.locator('.story', { hasText: `(${repeat.number}) 又去了一次` }).waitFor();
    expect(await t.app.tickets.get(repeat.number)).toMatchObject({ status: 'merged', mergedInto: first.number });
    expect(errors).toEqual([]);
  }, 60_000);

  it('a supervisor works the call-backs and the undelivered notices (1280×800)', async () => {
    await t.app.desk!.staff.add({ username: 'chenjing', name: '陈静', role: 'supervisor', teams: [], password: PASSWORD });
    await t.app.callbacks.queue.add({ channelId: 'directline', customerId: 'dl_cb', locale: 'zh-CN', phone: '13900002222', ticketNumber: number, dueBy: new Date(now().getTime() + 3_600_000) });
    await t.app.outbox.enqueue({ number, change: 'status', text: `关于您的投诉 ${number}：目前状态为“已答复”。`, channelId: 'nowhere', customerId: 'gone' });
    const gaveUp = async () => (await t.app.outbox.dead()).some((n) => n.channelId === 'nowhere');
    for (let i = 0; i < 40 && !(await gaveUp()); i++) {
      await t.app.outbox.tick();
      // Retries are scheduled with back-off; bring them due at once.
      const due = t.app.keys.outboxSchedule();
      for (const id of await t.backend.redis.zrange(due, '0', '-1')) await t.backend.redis.zadd(due, '0', id);
    }
    expect(await gaveUp()).toBe(true);

    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = errorsOf(page);
    await signIn(page, 'chenjing');
    await page.click('nav [data-view=callbacks]');
    const row = page.locator('tr[data-callback]').first();
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/尾号 2222/);
    await row.locator('[data-action=claim]').click();
    await page.locator('tr[data-callback] a[href="tel:13900002222"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'callbacks-1280.png') });
    await page.selectOption('tr[data-callback] select[name=outcome]', 'reached');
    await page.fill('tr[data-callback] input[name=note]', '客户确认已收到退款');
    await page.click('tr[data-callback] [data-action=outcome]');
    await page.locator('.sheet .empty:not([hidden])').waitFor();
    expect((await t.app.tickets.get(number)).audit.some((a) => a.action === 'note' && /reached/.test(a.note ?? ''))).toBe(true);

    await page.click('nav [data-view=dead]');
    const dead = page.locator('tr[data-notice]', { hasText: 'nowhere' });
    await dead.waitFor();
    await expect(dead.innerText()).resolves.toMatch(new RegExp(`${number}[\\s\\S]*状态变更`));
    await page.screenshot({ path: path.join(SHOTS, 'dead-letters-1280.png') });
    // The status schedule's alerts and the month's satisfaction.
    const ticket = await t.app.tickets.get(number);
    await t.app.notices.alerts.add({ kind: 'escalate', number, department: ticket.department, promised: ticket.clocks.internalDue, at: now().toISOString() }, `${number}|escalate:e2e`);
    await t.app.notices.surveys.record('directline', 'e2e-survey', number, { score: 4, comment: '处理得挺快' }).catch(() => undefined);
    await page.click('nav [data-view=alerts]');
    await page.locator(`tr[data-alert="${number}:escalate"]`).waitFor();
    await page.locator('.figure.good b', { hasText: '100%' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'alerts-1280.png') });
    await page.click('nav [data-view=dead]');
    await dead.locator('[data-action=retry]').click();
    await page.locator('tr[data-notice]', { hasText: 'nowhere' }).waitFor({ state: 'detached' });
    expect((await t.app.outbox.pending()).some((n) => n.channelId === 'nowhere')).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);
});
