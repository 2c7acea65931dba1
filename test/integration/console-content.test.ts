/**
 * Supervisors tune content through the console API (issue 15), over real HTTP
 * on a real Redis, with two instances sharing it: a greeting changed in zh-CN
 * is published by one and greets on the other within seconds, without a
 * restart; restoring the earlier version brings the old text back; agents may
 * not publish; drafts with a forbidden phrase, a missing zh-TW text or a broken
 * placeholder are refused with the file and key named, and nothing live
 * changes; a customer mid-dialog carries on across a publish.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ScriptedCustomer } from '../support/conversation';
import { DeskStaff } from '../support/desk-staff';
import { startTestApp, waitFor, type TestApp } from '../support/harness';
import { uniquePrefix } from '../support/redis';

const OLD_GREETING = '您好！我是银行的在线客服助手，很高兴为您服务。';
const NEW_GREETING = '您好，这里是银行投诉服务台，请说说您遇到的情况。';
const text = (replies: any[]) => replies.map((r) => r.text ?? '').join('\n');

describe('content tuning in the console', () => {
  let one: TestApp;
  let two: TestApp;
  let boss: DeskStaff;
  let agent: DeskStaff;
  beforeAll(async () => {
    const prefix = uniquePrefix('console');
    one = await startTestApp({ prefix, env: { TRUST_PROXY: '1' } });
    two = await startTestApp({ prefix, env: { TRUST_PROXY: '1' } });
    await one.app.desk!.staff.add({ username: 'chen.sup', name: '陈静', role: 'supervisor', teams: [], password: 'Desk-pass-2024' });
    await one.app.desk!.staff.add({ username: 'wang.ops', name: '王芳', role: 'agent', teams: ['operations'], password: 'Desk-pass-2024' });
    boss = await DeskStaff.login(one.url, 'chen.sup');
    agent = await DeskStaff.login(one.url, 'wang.ops');
  });
  afterAll(async () => {
    await two?.app.close();
    await one?.close();
    await two?.backend.close();
  });

  const greetingOn = async (app: TestApp) => text(await (await ScriptedCustomer.start(app, 'zh-CN')).greeting());

  it('publishes a new zh-CN greeting that the other instance uses within seconds; restoring brings the old one back', async () => {
    expect(await greetingOn(two)).toContain(OLD_GREETING);
    const overview = await boss.call('GET', '/desk/api/content');
    expect(overview.status).toBe(200);
    expect(overview.body.live).toBe(0);
    expect(overview.body.texts.common.greeting).toEqual(expect.objectContaining({ 'zh-CN': OLD_GREETING }));

    expect((await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text: NEW_GREETING }] })).status).toBe(200);
    // The draft is not live: customers still get the old greeting.
    expect(await greetingOn(two)).toContain(OLD_GREETING);
    const review = await boss.call('GET', '/desk/api/content/review');
    expect(review.body.problems).toEqual([]);
    expect(review.body.changes).toEqual([{ file: 'locales/zh-CN/common.json', key: 'greeting', before: OLD_GREETING, after: NEW_GREETING }]);

    expect((await boss.call('POST', '/desk/api/content/publish', {})).status).toBe(400); // a note is required
    const published = await boss.call('POST', '/desk/api/content/publish', { note: '问候语更直接' });
    expect(published.status).toBe(200);
    expect(published.body.version).toEqual(expect.objectContaining({ version: 1, by: 'chen.sup', note: '问候语更直接', changed: ['locales/zh-CN/common.json'] }));
    // The publishing instance at once; the other within seconds (pub/sub), no restart.
    expect(await greetingOn(one)).toContain(NEW_GREETING);
    await waitFor(() => Promise.resolve(two.app.liveContent.version), (v) => v === 1, 5000);
    expect(await greetingOn(two)).toContain(NEW_GREETING);
    // Other languages unchanged.
    expect(text(await (await ScriptedCustomer.start(two, 'zh-TW')).greeting())).not.toContain(NEW_GREETING);

    const versions = await boss.call('GET', '/desk/api/content/versions');
    expect(versions.body.versions.map((v: any) => v.version)).toEqual([1]);
    const restored = await boss.call('POST', '/desk/api/content/restore', { version: 0, note: '恢复原来的问候语' });
    expect(restored.status).toBe(200);
    expect(restored.body.version).toEqual(expect.objectContaining({ version: 2, restoredFrom: 0 }));
    await waitFor(() => Promise.resolve(two.app.liveContent.version), (v) => v === 2, 5000);
    expect(await greetingOn(two)).toContain(OLD_GREETING);
    expect(await greetingOn(one)).toContain(OLD_GREETING);
    // Restoring what is already live changes nothing, and says so.
    expect((await boss.call('POST', '/desk/api/content/restore', { version: 0, note: '再恢复一次' })).status).toBe(400);

    // The audit log records who published and restored which version.
    const audit = await boss.call('GET', '/desk/api/audit');
    const content = audit.body.entries.filter((e: any) => e.action.startsWith('content_'));
    expect(content.map((e: any) => [e.action, e.version, e.staff])).toEqual([['content_restore', 2, 'chen.sup'], ['content_publish', 1, 'chen.sup']]);
  }, 30_000);

  it('a customer in the middle of a complaint carries on across a publish, and is asked with the new words', async () => {
    const c = await ScriptedCustomer.start(two, 'zh-CN');
    await c.greeting();
    expect(text(await c.say('我要投诉'))).toMatch(/说说发生了什么/);
    expect(text(await c.say('柜员把我的钱转错了账户'))).toMatch(/什么时候发生/);
    const asked = '请问这笔业务涉及多少钱？不涉及金额请回复“无”。';
    await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/intake.json', key: 'ask.amount', text: asked }] });
    const published = await boss.call('POST', '/desk/api/content/publish', { note: '金额问题说得更口语' });
    expect(published.status).toBe(200);
    await waitFor(() => Promise.resolve(two.app.liveContent.version), (v) => v === published.body.version.version, 5000);
    const next = text(await c.say('前天上午'));
    expect(next).toContain(asked);
    expect(text(await c.say('1200元'))).toMatch(/希望我们怎样处理/);
    // Put the old wording back for the tests after this one.
    const live = (await boss.call('GET', '/desk/api/content/versions')).body.live;
    expect((await boss.call('POST', '/desk/api/content/restore', { version: live - 1, note: '恢复原来的说法' })).status).toBe(200);
  }, 30_000);

  it('exports the live version as files that content:check accepts (npm run content:export -- DIR)', async () => {
    const wording = '您好，欢迎使用银行投诉服务，请告诉我们发生了什么。';
    await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text: wording }] });
    const published = (await boss.call('POST', '/desk/api/content/publish', { note: '导出测试用的问候语' })).body.version.version;
    const dir = mkdtempSync(path.join(tmpdir(), 'content-export-'));
    const root = path.resolve(__dirname, '../..');
    const run = (args: string[]) => promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), args, {
      cwd: root,
      env: { ...process.env, REDIS_KEY_PREFIX: one.prefix, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    });
    try {
      const out = path.join(dir, 'live');
      const exported = await run(['bot/content/export-cli.ts', out]);
      expect(exported.stdout).toContain(`version ${published}`);
      expect(JSON.parse(readFileSync(path.join(out, 'locales/zh-CN/common.json'), 'utf8')).greeting).toBe(wording);
      expect((await run(['bot/content/check.ts', out])).stdout).toMatch(/^content OK/);
      // A folder with files in it is not written over without --force.
      await expect(run(['bot/content/export-cli.ts', out])).rejects.toThrow(/not empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      expect((await boss.call('POST', '/desk/api/content/restore', { version: published - 1, note: '恢复导出前的版本' })).status).toBe(200);
    }
  }, 60_000);

  it('previews what a message gets from the FAQ and triage under the live version and under the draft', async () => {
    const phrasing = '给娃开个存钱的户头要拿啥东西过去';
    const before = await boss.call('POST', '/desk/api/content/preview', { text: phrasing, locale: 'zh-CN' });
    expect(before.status).toBe(200);
    expect(before.body.draft).toBeNull();
    expect(before.body.live.faq).not.toEqual(expect.objectContaining({ kind: 'answer', id: 'account-open-documents' }));
    // The supervisor teaches the entry this phrasing, in the draft only.
    const file = JSON.parse((await boss.call('GET', '/desk/api/content/file?path=faq/accounts.json')).body.text);
    file.entries.find((e: any) => e.id === 'account-open-documents').questions['zh-CN'].push(phrasing);
    expect((await boss.call('PUT', '/desk/api/content/draft/file', { path: 'faq/accounts.json', text: JSON.stringify(file, null, 2) })).status).toBe(200);
    const after = await boss.call('POST', '/desk/api/content/preview', { text: phrasing, locale: 'zh-CN' });
    expect(after.body.draft.faq).toEqual(expect.objectContaining({ kind: 'answer', id: 'account-open-documents', question: '开户需要带什么证件' }));
    expect(after.body.draft.faq.answer.length).toBeGreaterThan(10);
    expect(after.body.live.faq).toEqual(before.body.live.faq);
    // Triage: an angry message with a threat to go to the regulator hands off under both, with the reasons in words.
    const angry = await boss.call('POST', '/desk/api/content/preview', { text: '你们再拖着不处理，我就去金融监管局投诉，还要找记者曝光！', locale: 'zh-CN' });
    expect(angry.body.live.triage.handoff).toBe(true);
    expect(angry.body.live.triage.reasons.length).toBeGreaterThan(0);
    for (const r of angry.body.live.triage.reasons) expect(r.words).not.toBe(r.id);
    // Bad input: too long, no text, an unknown language.
    expect((await boss.call('POST', '/desk/api/content/preview', { text: 'x'.repeat(501), locale: 'zh-CN' })).status).toBe(400);
    expect((await boss.call('POST', '/desk/api/content/preview', { text: ' ', locale: 'zh-CN' })).status).toBe(400);
    expect((await boss.call('POST', '/desk/api/content/preview', { text: '你好', locale: 'fr' })).status).toBe(400);
    expect((await agent.call('POST', '/desk/api/content/preview', { text: '你好', locale: 'zh-CN' })).status).toBe(403);
    expect((await boss.call('DELETE', '/desk/api/content/draft')).status).toBe(200);
  });

  it('test chat: the whole bot under the draft, on a store of its own — nothing tried there is real', async () => {
    const live = await boss.call('POST', '/desk/api/content/try', { locale: 'zh-CN' });
    expect(live.status).toBe(200);
    expect(live.body.draft).toBe(false);
    expect(live.body.replies.map((r: any) => r.text).join('\n')).toContain(OLD_GREETING);
    expect(live.body.replies.flatMap((r: any) => r.choices)).toContain('我要投诉');

    const drafted = '您好，这里是草稿里的问候语，请说说您的情况。';
    await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text: drafted }] });
    const started = await boss.call('POST', '/desk/api/content/try', { locale: 'zh-CN' });
    expect(started.body.draft).toBe(true);
    expect(started.body.replies.map((r: any) => r.text).join('\n')).toContain(drafted);
    const { conversation } = started.body;
    const asked = await boss.call('POST', '/desk/api/content/try', { conversation, locale: 'zh-CN', text: '我要投诉' });
    expect(asked.body.replies.map((r: any) => r.text).join('\n')).toMatch(/说说发生了什么/);
    const story = await boss.call('POST', '/desk/api/content/try', { conversation, locale: 'zh-CN', text: '柜员把我的钱转错了账户' });
    expect(story.body.replies.map((r: any) => r.text).join('\n')).toMatch(/什么时候发生/);
    // Customers are not greeted with the draft, and the real store holds nothing of the test chat.
    expect(await greetingOn(one)).toContain(OLD_GREETING);
    expect(await one.backend.redis.keys(`${one.prefix}*try-*`)).toEqual([]);
    // Bad input: a made-up conversation id, an unknown language, too long a message; an agent.
    expect((await boss.call('POST', '/desk/api/content/try', { conversation: '../x', locale: 'zh-CN', text: 'hi' })).status).toBe(400);
    expect((await boss.call('POST', '/desk/api/content/try', { locale: 'de' })).status).toBe(400);
    expect((await boss.call('POST', '/desk/api/content/try', { locale: 'zh-CN', text: 'x'.repeat(2001) })).status).toBe(400);
    expect((await agent.call('POST', '/desk/api/content/try', { locale: 'zh-CN' })).status).toBe(403);
    expect((await boss.call('DELETE', '/desk/api/content/draft')).status).toBe(200);
  }, 30_000);

  it('refuses an agent everything, publishing included', async () => {
    for (const [method, path, body] of [
      ['GET', '/desk/api/content', undefined],
      ['PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text: '你好' }] }],
      ['POST', '/desk/api/content/publish', { note: 'agent try' }],
      ['POST', '/desk/api/content/restore', { version: 0, note: 'agent try' }],
    ] as const) {
      expect([method, path, (await agent.call(method, path, body)).status]).toEqual([method, path, 403]);
    }
    expect(await one.backend.get(one.app.keys.contentDraft('wang.ops'))).toBeNull();
  });

  it('refuses forged, malformed, oversized and out-of-bounds requests with a clear error, and keeps the draft intact', async () => {
    const put = (headers: Record<string, string>, body: string) =>
      fetch(`${one.url}/desk/api/content/draft/texts`, { method: 'PUT', headers: { Cookie: boss.cookie, 'X-Forwarded-For': boss.address, ...headers }, body });
    const good = JSON.stringify({ changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text: NEW_GREETING }] });
    expect((await put({ 'Content-Type': 'application/json' }, good)).status).toBe(403); // no CSRF token
    expect((await put({ 'Content-Type': 'application/json', 'X-CSRF-Token': boss.csrf, Origin: 'https://evil.example' }, good)).status).toBe(403);
    expect((await put({ 'Content-Type': 'text/plain', 'X-CSRF-Token': boss.csrf }, good)).status).toBe(415);
    expect((await put({ 'Content-Type': 'application/json', 'X-CSRF-Token': boss.csrf }, '{"changes": [')).status).toBe(400);
    expect((await fetch(`${one.url}/desk/api/content`)).status).toBe(401);
    // Texts that do not exist, or a group of texts, are not created or overwritten.
    const unknown = await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'greetingz', text: 'x' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual(expect.objectContaining({ file: 'locales/zh-CN/common.json', key: 'greetingz' }));
    expect((await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'menu', text: 'x' }] })).status).toBe(400);
    expect((await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'policy/triage.json', key: 'fillers', text: 'x' }] })).status).toBe(400);
    // Paths outside the content, or not JSON files, are refused before anything is read.
    for (const path of ['../../etc/passwd', 'locales/../../x.json', 'policy/x.txt', '/etc/hosts.json', 'faq/a/b/c.json', 'policy/%2e%2e.json']) {
      expect([path, (await boss.call('PUT', '/desk/api/content/draft/file', { path, text: '{}' })).status]).toEqual([path, 400]);
    }
    expect((await boss.call('GET', '/desk/api/content/file?path=..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await boss.call('GET', '/desk/api/content/file?path=policy%2Fnope.json')).status).toBe(404);
    // Oversized: a file of more than 256 KB.
    expect((await boss.call('PUT', '/desk/api/content/draft/file', { path: 'faq/big.json', text: 'x'.repeat(300 * 1024) })).status).toBeGreaterThanOrEqual(400);
    // Restore: an unknown version, a negative one, no note.
    expect((await boss.call('POST', '/desk/api/content/restore', { version: 999, note: '恢复不存在的版本' })).status).toBe(404);
    expect((await boss.call('POST', '/desk/api/content/restore', { version: -1, note: '负数版本' })).status).toBe(400);
    expect((await boss.call('POST', '/desk/api/content/restore', { version: 0 })).status).toBe(400);
    // Nothing of this reached the draft.
    expect(await one.backend.get(one.app.keys.contentDraft('chen.sup'))).toBeNull();
  });

  it('keeps the content in use when the live version in the store is missing or would not pass the checks', async () => {
    const before = one.app.liveContent.version;
    const greeting = await greetingOn(one);
    await one.backend.set(one.app.keys.contentLive(), '999');
    await one.app.liveContent.check();
    expect(one.app.liveContent.version).toBe(before);
    expect(one.logs.join('')).toMatch(/CONTENT_VERSION_MISSING/);
    // A version that fails the checks here (written straight to the store, as an older or newer release might).
    const files = (await one.app.liveContent.versions.files(before))!;
    const broken = { ...files, 'locales/zh-CN/common.json': files['locales/zh-CN/common.json']!.replace(OLD_GREETING, '这不归我管。') };
    const { gzipSync } = await import('node:zlib');
    await one.backend.set(one.app.keys.contentVersion(998), JSON.stringify({ meta: { version: 998, by: 'x', at: new Date().toISOString(), note: 'x', changed: [] }, files: gzipSync(JSON.stringify(broken)).toString('base64') }));
    await one.backend.set(one.app.keys.contentLive(), '998');
    await one.app.liveContent.check();
    expect(one.app.liveContent.version).toBe(before);
    expect(one.logs.join('')).toMatch(/CONTENT_VERSION_REFUSED/);
    expect(await greetingOn(one)).toBe(greeting);
    // Put the live number back for the tests after this one.
    await one.backend.set(one.app.keys.contentLive(), String(before));
    await one.backend.del(one.app.keys.contentVersion(998));
  });

  /** A draft that breaks one rule, made the way the console makes it. */
  const breakages: [string, string, () => Promise<string>, string][] = [
    ['a forbidden service phrase', 'locales/zh-CN/common.json', async () => {
      await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/zh-CN/common.json', key: 'greeting', text: '这不归我管，您自己去网点问。' }] });
      return 'greeting';
    }, 'forbidden'],
    ['a missing zh-TW text', 'locales/zh-TW/common.json', async () => {
      const tree = JSON.parse(await fileText('locales/zh-TW/common.json'));
      delete tree.greeting;
      expect((await boss.call('PUT', '/desk/api/content/draft/file', { path: 'locales/zh-TW/common.json', text: JSON.stringify(tree, null, 2) })).status).toBe(200);
      return 'greeting';
    }, 'missing'],
    ['a broken placeholder', 'locales/en/progress.json', async () => {
      const found = findPlaceholder(JSON.parse(await fileText('locales/en/progress.json')), '');
      const broken = found.text.replace(/\{\{\s*(\w+)/, '{{$1x');
      expect((await boss.call('PUT', '/desk/api/content/draft/texts', { changes: [{ file: 'locales/en/progress.json', key: found.key, text: broken }] })).status).toBe(200);
      return found.key;
    }, 'placeholders'],
  ];

  it.each(breakages)('refuses a draft with %s, naming the file and key, and leaves the live content alone', async (_label, file, breakIt, kind) => {
    const before = one.app.liveContent.version;
    const liveBefore = (await boss.call('GET', '/desk/api/content')).body.live;
    const key = await breakIt();
    const review = await boss.call('GET', '/desk/api/content/review');
    expect(review.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file, key, kind })]));
    const refused = await boss.call('POST', '/desk/api/content/publish', { note: 'should not go live' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file, key })]));
    expect(one.app.liveContent.version).toBe(before);
    expect((await boss.call('GET', '/desk/api/content')).body.live).toBe(liveBefore);
    expect(await greetingOn(one)).toContain(OLD_GREETING);
    expect((await boss.call('DELETE', '/desk/api/content/draft')).status).toBe(200);
  });

  async function fileText(file: string): Promise<string> {
    const res = await boss.call('GET', `/desk/api/content/file?path=${encodeURIComponent(file)}`);
    expect(res.status).toBe(200);
    return res.body.text;
  }
});

function findPlaceholder(tree: any, prefix: string): { key: string; text: string } {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' && /\{\{\s*\w+/.test(v)) return { key, text: v };
    if (v && typeof v === 'object') {
      try {
        return findPlaceholder(v, key);
      } catch {
        /* not in this branch */
      }
    }
  }
  throw new Error('no placeholder');
}
