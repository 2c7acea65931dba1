/**
 * A small reader of money amounts and ages, enough for triage's thresholds:
 * "5万", "1.5w", "50000元", "¥3,000", "10k", "五万块", "二十万", "$2,000";
 * "我妈80岁", "八十多岁", "78 years old". A number counts as money only with a
 * currency or a multiplier beside it, so card numbers, dates and phone numbers
 * are never amounts; "千万" (by all means) and "十万火急" are not amounts.
 */

const HAN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const HAN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 萬: 10000, 万: 10000 };

/** 二十五 → 25, 三千五百 → 3500, 十 → 10 (below 万; the caller multiplies). */
export function hanNumber(s: string): number | undefined {
  let total = 0;
  let digit: number | undefined;
  for (const ch of s) {
    if (ch in HAN_DIGITS) digit = HAN_DIGITS[ch];
    else if (ch in HAN_UNITS && ch !== '万' && ch !== '萬') {
      total += (digit ?? 1) * (HAN_UNITS[ch] ?? 1);
      digit = undefined;
    } else return undefined;
  }
  return total + (digit ?? 0);
}

const MULTIPLIER: Record<string, number> = { 万: 1e4, 萬: 1e4, w: 1e4, k: 1e3, 千: 1e3, 百万: 1e6, 百萬: 1e6, 亿: 1e8, 億: 1e8, m: 1e6 };
const CNY = '(?:元|块钱|块|塊錢|塊|圆|rmb|cny|yuan)';
const FOREIGN: [RegExp, string][] = [
  [/hk\$|港币|港幣|hkd/, 'hkd'],
  [/us\$|\$|美元|美金|usd|dollars?/, 'usd'],
];

/** Every amount in the text, in yuan (other currencies at the policy's rates; unknown rates count as yuan). */
export function amountsIn(text: string, rates: Record<string, number>): number[] {
  const t = text.normalize('NFKC').toLowerCase().replace(/(\d),(?=\d{3})/g, '$1');
  const out: number[] = [];
  const rateOf = (context: string) => {
    for (const [re, code] of FOREIGN) if (re.test(context)) return rates[code] ?? 1;
    return 1;
  };
  // Digits: a currency before, or a multiplier / currency after.
  const digits = new RegExp(`(hk\\$|us\\$|[¥$])?\\s*(\\d+(?:\\.\\d+)?)\\s*(百万|百萬|万|萬|亿|億|千|w|k|m)?\\s*(${CNY}|美元|美金|港币|港幣|usd|hkd|dollars?)?`, 'gu');
  for (const m of t.matchAll(digits)) {
    const [, before, num, mult, after] = m;
    if (!before && !mult && !after) continue;
    // "10m" as metres, "3k" inside a word: a Latin multiplier must end the word.
    if (mult && /^[wkm]$/.test(mult) && /[a-z]/.test(t[(m.index ?? 0) + m[0].length] ?? '')) continue;
    if (mult === 'm' && !before && !after) continue;
    const value = Number(num) * (mult ? (MULTIPLIER[mult] ?? 1) : 1);
    out.push(value * rateOf(`${before ?? ''}${after ?? ''}`));
  }
  // Han numerals: 五万, 二十万块, 三千元; 千 alone needs a currency after it.
  for (const m of t.matchAll(/([一二两兩三四五六七八九十][零〇一二两兩三四五六七八九十百千]*)(万|萬|亿|億)?(元|块|塊|美元|美金|港币|港幣)?/gu)) {
    const [, num = '', mult, after] = m;
    if (!mult && !after) continue;
    if (t.slice((m.index ?? 0) + m[0].length).startsWith('火急')) continue;
    const n = hanNumber(num);
    if (n === undefined || n === 0) continue;
    out.push(n * (mult ? (MULTIPLIER[mult] ?? 1) : 1) * rateOf(after ?? ''));
  }
  return out;
}

/** Ages written in the text, only with 岁/歲 or "years old": "80岁", "八十多岁", "78 years old" ("80后" is a generation). */
export function agesIn(text: string): number[] {
  const t = text.normalize('NFKC').toLowerCase();
  const out: number[] = [];
  for (const m of t.matchAll(/(\d{1,3})\s*(?:多|几|幾)?\s*(?:岁|歲|周岁|週歲|years? old|yrs? old|yo\b)/gu)) out.push(Number(m[1]));
  for (const m of t.matchAll(/([一二三四五六七八九十百]+)(?:多|几|幾|来)?(?:岁|歲)/gu)) {
    const n = hanNumber(m[1] ?? '');
    if (n !== undefined) out.push(n);
  }
  return out;
}
