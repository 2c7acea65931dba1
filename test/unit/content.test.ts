import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEFAULT_CONTENT_DIR, findForbiddenPhrases, loadContent } from '../../bot/content/loader';
import { createI18n, I18nTranslator } from '../../bot/content/i18n';
import { copyContent, problemsOf } from '../support/content';

function edit(dir: string, file: string, change: (json: any) => void): void {
  const p = path.join(dir, file);
  const json = JSON.parse(readFileSync(p, 'utf8'));
  change(json);
  writeFileSync(p, JSON.stringify(json));
}


describe('content', () => {
  let dir: string;
  beforeEach(() => (dir = copyContent()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ships valid content', () => {
    expect(problemsOf(DEFAULT_CONTENT_DIR)).toEqual([]);
  });

  it('names the file and key of a text missing in one locale', () => {
    edit(dir, 'locales/en/common.json', (j) => delete j.menu.help);
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/locales\/en\/common\.json: menu\.help: missing/)]);
  });

  it('names a key that only one locale has, and differing placeholders', () => {
    edit(dir, 'locales/zh-TW/common.json', (j) => {
      j.extra = 'x';
      j.input.tooLong = '太長了';
    });
    const problems = problemsOf(dir).join('\n');
    expect(problems).toMatch(/zh-TW\/common\.json: extra: not in zh-CN/);
    expect(problems).toMatch(/zh-TW\/common\.json: input\.tooLong: placeholders/);
  });

  it('refuses a forbidden service phrase in any locale', () => {
    edit(dir, 'locales/zh-TW/common.json', (j) => (j.cancel.done = '好的。我已經說過了，不要再問。'));
    expect(problemsOf(dir).join('\n')).toMatch(/zh-TW\/common\.json: cancel\.done: contains the forbidden service phrase "我已經說過了"/);
  });

  it('holds the desk\'s better wordings to the guard\'s phrase groups, and no policy file quotes a forbidden phrase', () => {
    edit(dir, 'policy/desk.json', (j) => j.suggestions.push({ group: 'rudeWords', use: 'understand' }));
    expect(problemsOf(dir).join('\n')).toMatch(/policy\/desk\.json: suggestions\.10\.group:/);
    const policyText = loadContent().servicePhrases.forbidden.filter((p) => readFileSync(path.join(DEFAULT_CONTENT_DIR, 'policy/desk.json'), 'utf8').includes(p));
    expect(policyText).toEqual([]);
  });

  it('reports invalid JSON and schema errors with the file', () => {
    writeFileSync(path.join(dir, 'locales/en/web.json'), '{ "title": ');
    edit(dir, 'policy/commands.json', (j) => (j.help = []));
    const problems = problemsOf(dir).join('\n');
    expect(problems).toMatch(/locales\/en\/web\.json: not valid JSON/);
    expect(problems).toMatch(/policy\/commands\.json: help:/);
  });

  it('finds rude forms of address only when used to call the customer', () => {
    const phrases = loadContent().servicePhrases;
    expect(findForbiddenPhrases('喂，你听好了', phrases)).toEqual(['喂（称呼）']);
    expect(findForbiddenPhrases('请喂养宠物时注意', phrases)).toEqual([]);
  });

  it('the content:check CLI exits non-zero with the problem', () => {
    edit(dir, 'locales/en/common.json', (j) => delete j.greeting);
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bot/content/check.ts', dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/en\/common\.json: greeting: missing/);
  });

  it('translates through i18next without falling back between zh-CN and zh-TW', () => {
    const t = new I18nTranslator(createI18n(loadContent()));
    expect(t.t('zh-TW', 'menu.help')).toBe('使用說明');
    expect(t.t('en', 'input.tooLong', { max: 10 })).toMatch(/over 10 characters/);
    expect(t.t('zh-CN', 'web:title')).toBe('在线客服');
    expect(() => t.t('en', 'no.such.key')).toThrow(/Missing text/);
  });
});
