/**
 * A knowledge base supervisors edit by hand is checked as strictly as the
 * locales (issue 11): a bad entry is refused at start-up and by
 * `npm run content:check`, and every problem names the file and the entry id.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEFAULT_CONTENT_DIR, loadContent } from '../../bot/content/loader';
import { copyContent, problemsOf } from '../support/content';


describe('the FAQ files are checked', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyContent('faq-content-');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cards = () => path.join(dir, 'faq', 'cards.json');
  function editEntry(id: string, change: (entry: any) => void, file = cards()): void {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const entry = json.entries.find((e: any) => e.id === id);
    expect(entry).toBeDefined();
    change(entry);
    writeFileSync(file, JSON.stringify(json, null, 2));
  }
  const someId = () => JSON.parse(readFileSync(cards(), 'utf8')).entries[0].id as string;

  it('ships a valid knowledge base of at least 60 entries in three languages', () => {
    const content = loadContent(DEFAULT_CONTENT_DIR);
    expect(content.faq.entries.length).toBeGreaterThanOrEqual(60);
    for (const e of content.faq.entries) for (const l of ['zh-CN', 'zh-TW', 'en'] as const) expect(e.answer[l].length).toBeGreaterThan(3);
  });

  it('names the file and the entry of an answer missing in one language', () => {
    const id = someId();
    editEntry(id, (e) => delete e.answer['zh-TW']);
    const problems = problemsOf(dir);
    expect(problems.some((p) => p.includes('faq/cards.json') && p.includes(`entry "${id}"`) && p.includes('answer.zh-TW'))).toBe(true);
  });

  it('refuses a forbidden service phrase in an answer', () => {
    const id = someId();
    editEntry(id, (e) => (e.answer['zh-CN'] = '这个我不知道，您自己去看说明吧。'));
    expect(problemsOf(dir)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`faq/cards\\.json: entry "${id}": answer\\.zh-CN: contains the forbidden service phrase "我不知道"`))]));
  });

  it('refuses an unknown placeholder, and placeholders that differ between languages', () => {
    const id = someId();
    editEntry(id, (e) => {
      e.answer['zh-CN'] = `${e.answer['zh-CN']}（{{cardNumber}}）`;
      e.answer.en = `${e.answer.en} Within {{regulatoryDays}} days.`;
    });
    const problems = problemsOf(dir).join('\n');
    expect(problems).toMatch(/placeholder \{\{cardNumber\}\} is not one of/);
    expect(problems).toMatch(/answer\.en: placeholders \{regulatoryDays\} differ from zh-CN \{cardNumber\}/);
  });

  it('refuses an id used twice, naming both files', () => {
    const id = someId();
    editEntry(JSON.parse(readFileSync(path.join(dir, 'faq', 'atm.json'), 'utf8')).entries[0].id, (e) => (e.id = id), path.join(dir, 'faq', 'atm.json'));
    expect(problemsOf(dir).join('\n')).toMatch(new RegExp(`faq/(atm|cards)\\.json: entry "${id}": id used twice \\(also in .*faq/(atm|cards)\\.json\\)`));
  });

  it('refuses impossible validity dates and a file that is not JSON', () => {
    const id = someId();
    editEntry(id, (e) => {
      e.validFrom = '2026-02-30';
    });
    writeFileSync(path.join(dir, 'faq', 'broken.json'), '{ "entries": [ ');
    const problems = problemsOf(dir).join('\n');
    expect(problems).toMatch(new RegExp(`entry "${id}": validFrom: not a real date`));
    expect(problems).toMatch(/faq\/broken\.json: not valid JSON/);
  });

  it('refuses thresholds out of range in the search policy', () => {
    const file = path.join(dir, 'policy', 'faq-search.json');
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    policy.thresholds.answer = 1.7;
    writeFileSync(file, JSON.stringify(policy));
    expect(problemsOf(dir).join('\n')).toMatch(/policy\/faq-search\.json: thresholds\.answer/);
  });

  it('content:check exits non-zero and prints the file and the entry', () => {
    const id = someId();
    editEntry(id, (e) => (e.questions.en = []));
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bot/content/check.ts', dir], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(new RegExp(`faq/cards\\.json: entry "${id}": questions\\.en`));
  }, 30_000);
});
