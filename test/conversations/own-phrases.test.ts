/**
 * Every phrase our own content tells the customer to type ("回复“人工”",
 * "send “查询进度”") and every menu button works from every state (issue 9 §1).
 * The phrases are not listed here: the test walks the locale files, takes
 * every quoted phrase, and fails on one it does not know the meaning of, so a
 * new sentence that tells customers to type something new must come with its
 * expected meaning. Phrases that answer one particular question (“同意”, “无”,
 * a date example) are checked by that dialog's tests; they may only appear in
 * the keys listed in ANSWER_KEYS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONTENT_DIR } from '../../bot/content/loader';
import type { SupportedLocale } from '../../bot/content/schemas';
import { startTestApp, daytimeClock, type TestApp } from '../support/harness';
import { ScriptedCustomer, texts } from '../support/conversation';

const LOCALES: SupportedLocale[] = ['zh-CN', 'zh-TW', 'en'];
const NOT_UNDERSTOOD = /没能完全理解|沒能完全理解|didn't quite understand|还是没能理解|還是沒能理解|still didn't understand/;
/** A number in the right form that belongs to nobody. */
const UNKNOWN_NUMBER = 'TS-20200101-0001';

/** Keys whose quoted phrases answer that one question (not global). */
const ANSWER_KEYS = [/^intake:/, /^progress:withdraw\.(confirmHelp|whichHelp)$/, /^common:language\.help$/, /^common:greeting$/, /^common:smalltalk\./, /^common:question\.notYet$/, /^notice:/];

type Meaning = 'help' | 'cancel' | 'restart' | 'language' | 'progress' | 'appeal' | 'person' | 'complaint' | 'withdraw' | 'languageMenu' | 'question' | 'questionMenu';

/** What a global phrase means, by its wording in any locale. */
const GLOBAL: [RegExp, Meaning][] = [
  [/^(帮助|幫助|help|使用帮助|使用幫助|使用說明|how to use)$/i, 'help'],
  [/^(取消|cancel)$/i, 'cancel'],
  [/^(重新开始|重新開始|start over)$/i, 'restart'],
  [/^(english|繁體|繁體中文|简体|简体中文|中文)$/i, 'language'],
  [/^(查询进度|查詢進度|查询投诉进度|查詢投訴進度|check my complaint|check a complaint|check complaint progress)$/i, 'progress'],
  [/^(申请复核|申請複核|appeal) TS-/i, 'appeal'],
  [/^(人工|真人|agent|person|转人工服务|轉人工服務|talk to a person)$/i, 'person'],
  [/^(我要投诉|我要投訴|i want to complain|make a complaint)$/i, 'complaint'],
  [/^(撤销投诉|撤銷投訴|withdraw a complaint)$/i, 'withdraw'],
  [/^(切换语言|切換語言|change language|language)$/i, 'languageMenu'],
  // The examples of "咨询问题": questions the knowledge base answers, wherever they are asked.
  [/^(信用卡年费怎么免|信用卡年費怎麼免|转账限额是多少|轉帳限額是多少|what is my transfer limit\?)$/i, 'question'],
  [/^(咨询问题|諮詢問題|ask a question)$/i, 'questionMenu'],
];

interface Phrase {
  locale: SupportedLocale;
  key: string;
  text: string;
}

/** Every quoted phrase in every locale file, with the key it is in. */
function quotedPhrases(): Phrase[] {
  const out: Phrase[] = [];
  for (const locale of LOCALES) {
    const dir = path.join(DEFAULT_CONTENT_DIR, 'locales', locale);
    for (const file of readdirSync(dir)) {
      const ns = file.replace(/\.json$/, '');
      // The desk's words speak to staff (examples of what to write, quoted); nothing in them is told to a customer.
      if (ns === 'desk') continue;
      const walk = (node: unknown, key: string) => {
        if (typeof node === 'string') {
          for (const m of node.matchAll(/“([^”]{1,30})”|「([^」]{1,30})」|"([^"]{1,30})"/g)) {
            const text = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\{\{number\}\}/g, UNKNOWN_NUMBER).trim();
            if (text && !/\{\{/.test(text)) out.push({ locale, key, text });
          }
        } else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) walk(v, key ? `${key}.${k}` : `${ns}:${k}`);
        }
      };
      walk(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), '');
    }
  }
  return out;
}

/** Menu buttons in every locale: customers type them as often as they tap them. */
function menuLabels(t: TestApp): Phrase[] {
  const ids = ['complaint', 'progress', 'withdraw', 'person', 'question', 'language', 'help'];
  return LOCALES.flatMap((locale) => ids.map((id) => ({ locale, key: `common:menu.${id}`, text: t.app.translator.t(locale, `menu.${id}`) })));
}

const meaningOf = (text: string): Meaning | undefined => GLOBAL.find(([re]) => re.test(text))?.[1];

describe('the phrases our content tells customers to type', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One fresh customer per phrase and state: far more conversations a minute than one address may start in production.
    t = await startTestApp({ now: daytimeClock(), env: { WEBCHAT_TOKENS_PER_MINUTE: '100000' } });
  });
  afterAll(() => t.close());

  it('each has a known meaning, or sits in the answer to one question', () => {
    const unknown = quotedPhrases().filter((p) => !meaningOf(p.text) && !ANSWER_KEYS.some((re) => re.test(p.key)));
    expect(unknown).toEqual([]);
    // The walk finds the phrases it must: the help text's commands and the progress phrase after a complaint.
    const found = new Set(quotedPhrases().map((p) => meaningOf(p.text)));
    for (const m of ['help', 'cancel', 'restart', 'language', 'progress', 'appeal', 'person'] as Meaning[]) expect(found).toContain(m);
  });

  /** How a customer gets to each state, per locale. */
  const STATES: Record<string, Record<SupportedLocale, string[]>> = {
    menu: { 'zh-CN': [], 'zh-TW': [], en: [] },
    'intake: what happened': { 'zh-CN': ['我要投诉'], 'zh-TW': ['我要投訴'], en: ['I want to complain'] },
    'intake: after the story': {
      'zh-CN': ['信用卡账单里多了一笔我没办过的分期手续费'],
      'zh-TW': ['信用卡帳單裡多了一筆我沒辦過的分期手續費'],
      en: ['My credit card statement has an instalment fee I never signed up for'],
    },
    'person: phone number': { 'zh-CN': ['人工'], 'zh-TW': ['人工'], en: ['person'] },
    'language prompt': { 'zh-CN': ['切换语言'], 'zh-TW': ['切換語言'], en: ['change language'] },
  };

  function expected(meaning: Meaning, phrase: Phrase, state: string): RegExp {
    const t1 = (key: string, locale: SupportedLocale = phrase.locale) => escape(t.app.translator.t(locale, key).slice(0, 8));
    switch (meaning) {
      case 'help':
        return new RegExp(t1('help.text'));
      case 'cancel':
        return new RegExp(`${t1('cancel.done')}|${t1('cancel.nothing')}`);
      case 'restart':
        return new RegExp(t1('restart.done'));
      case 'language': {
        const target = /english/i.test(phrase.text) ? 'en' : /繁/.test(phrase.text) ? 'zh-TW' : 'zh-CN';
        return new RegExp(t1('language.changed', target));
      }
      case 'progress':
        return new RegExp(`${t1('progress:none')}|${t1('progress:list')}`);
      case 'appeal':
        return new RegExp(t1('progress:notFound'));
      case 'person':
        return new RegExp(t1('person:askPhone'));
      case 'withdraw':
        return new RegExp(t1('progress:withdraw.none'));
      case 'languageMenu':
        return new RegExp(t1('language.prompt'));
      case 'question': {
        // Answered from the knowledge base: at the menu with "did this help?"; inside a task alone, and the task asks again (ON_TOP).
        const id = /年费|年費/.test(phrase.text) ? 'fee-credit-card-annual' : 'transfer-limits';
        const answer = escape(t.app.faq.knowledge.answer(id, phrase.locale)!.text.slice(0, 12));
        return state === 'menu' ? new RegExp(`${answer}[^]*${t1('question:didItHelp')}`) : new RegExp(answer);
      }
      case 'questionMenu':
        return new RegExp(t1('question:ask'));
      case 'complaint':
        // Inside the intake it is more of the same complaint; anywhere else it starts one.
        return state.startsWith('intake') ? /./ : new RegExp(t1('intake:start'));
    }
  }

  const cases = (): [string, string, Phrase, Meaning][] => {
    const seen = new Set<string>();
    const phrases = [...quotedPhrases(), ...menuLabels(t)].filter((p) => {
      const id = `${p.locale}|${p.text}`;
      if (!meaningOf(p.text) || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return Object.keys(STATES).flatMap((state) => phrases.map((p) => [state, p.text, p, meaningOf(p.text)!] as [string, string, Phrase, Meaning]));
  };

  async function reach(state: string, locale: SupportedLocale): Promise<ScriptedCustomer> {
    const c = await ScriptedCustomer.start(t, locale);
    await c.greeting();
    for (const step of STATES[state]![locale]) await c.say(step);
    return c;
  }

  /** The question a state asks again after an interruption: what follows the help text when help is asked there. */
  const reprompts = new Map<string, string>();
  async function repromptOf(state: string, locale: SupportedLocale): Promise<string> {
    const id = `${state}|${locale}`;
    if (!reprompts.has(id)) {
      const c = await reach(state, locale);
      const help = t.app.translator.t(locale, 'help.text');
      const after = texts(await c.say(t.app.translator.t(locale, 'menu.help'))).replace(help, '').trim();
      reprompts.set(id, after.split('\n').at(-1) ?? '');
    }
    return reprompts.get(id)!;
  }

  /** Meanings that run on top of a task: the task's question comes back after them. */
  const ON_TOP: Meaning[] = ['help', 'progress', 'appeal', 'withdraw', 'question'];

  it('each works from every state, in every language', async () => {
    const failures: string[] = [];
    for (const [state, text, phrase, meaning] of cases()) {
      const c = await reach(state, phrase.locale);
      const replies = await c.say(text);
      const said = texts(replies);
      const want = expected(meaning, phrase, state);
      if (!want.test(said) || NOT_UNDERSTOOD.test(said)) failures.push(`[${phrase.locale}] ${state} ← “${text}”: ${said.replace(/\n/g, ' ⏎ ').slice(0, 160)}`);
      // Inside a task, whatever it was doing is still there: its question comes again.
      if (state !== 'menu' && ON_TOP.includes(meaning)) {
        const question = await repromptOf(state, phrase.locale);
        expect(question).not.toBe('');
        if (!said.includes(question)) failures.push(`[${phrase.locale}] ${state} ← “${text}”: the task's question (“${question}”) did not come back`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
