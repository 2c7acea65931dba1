/**
 * Microsoft's recognizers (date-time, currency, number), loaded with a speed
 * fix. Their JavaScript port emulates negative look-behind, which JavaScript
 * regexes of its day lacked, by taking each such regex apart and compiling
 * the pieces with XRegExp — on every call (`RegExpUtility.getMatches`; the
 * technique is microsoft/Recognizers-Text#109). The Chinese number regexes
 * are several kilobytes long and run dozens of times per message, so this
 * was about three quarters of reading a date: 4–5 ms for "前天下午", and the
 * largest cost of a complaint turn (`npm run bench -- --profile`, docs/bench.md).
 *
 * The pieces depend only on the regex, so they are now compiled once and kept;
 * the look-behind matches of a text are found once per call instead of once
 * per candidate match.
 * Also kept: the last input of `removeDiacriticsFromWordBoundaries`, which
 * every regex of a call applies to the same text. Both are pure, so results
 * are identical (test/unit/recognizers.test.ts compares them with the
 * unmodified packages).
 *
 * How: each package is one self-contained UMD file (pinned 1.1.4; upstream
 * is archived). Its text is read, the two functions are edited at exact
 * anchors, and it is evaluated as a CommonJS module. If an anchor is missing
 * (another version), that package is used unmodified: slower, never wrong;
 * `recognizerPatches()` says which were fixed, and a unit test checks it.
 */
import { readFileSync } from 'node:fs';
import type * as DateTime from '@microsoft/recognizers-text-date-time';
import type * as Units from '@microsoft/recognizers-text-number-with-unit';
import type * as Numbers from '@microsoft/recognizers-text-number';

/** Compiles the look-behind pieces of a regex once per (source, flags); `null` for regexes without any. */
const SPLIT_HELPER = `
const __nlbSplits = new Map();
function __splitNegativeLookbehinds(rawRegex, flags) {
    let byFlags = __nlbSplits.get(rawRegex);
    if (byFlags === null) return null;
    if (byFlags === undefined) {
        // Regexes are built from the models' configuration; the bound only guards against surprises.
        if (__nlbSplits.size > 20000) __nlbSplits.clear();
        byFlags = rawRegex.includes('(?<nlb__') ? new Map() : null;
        __nlbSplits.set(rawRegex, byFlags);
        if (byFlags === null) return null;
    }
    let split = byFlags.get(flags);
    if (split) return split;
    let negativeLookbehindRegexes = new Array();
    let closePos = 0;
    let startPos = rawRegex.indexOf('(?<nlb__', 0);
    while (startPos >= 0) {
        closePos = RegExpUtility.getClosePos(rawRegex, startPos);
        let nlbRegex = lib(rawRegex.substring(startPos, closePos + 1), flags);
        let nextRegex = RegExpUtility.getNextRegex(rawRegex, startPos);
        nlbRegex.nextRegex = nextRegex ? lib(nextRegex, flags) : null;
        negativeLookbehindRegexes.push(nlbRegex);
        rawRegex = rawRegex.substr(0, startPos) + rawRegex.substr(closePos + 1);
        startPos = rawRegex.indexOf('(?<nlb__', 0);
    }
    split = { negativeLookbehindRegexes, tempRegex: lib(rawRegex, flags) };
    byFlags.set(flags, split);
    return split;
}
const __lastWordBoundaries = { input: undefined, output: undefined };
`;

interface Edit {
  find: string;
  replace: string;
}

const EDITS: Edit[] = [
  { find: 'class RegExpUtility {\n', replace: `${SPLIT_HELPER}class RegExpUtility {\n` },
  {
    find: `        let rawRegex = regex.xregexp.source;
        if (!rawRegex.includes('(?<nlb__')) {
            return this.getMatchesSimple(regex, source);
        }
        let realMatches = new Array();
        let negativeLookbehindRegexes = new Array();
        let flags = regex.flags;
        let closePos = 0;
        let startPos = rawRegex.indexOf('(?<nlb__', 0);
        while (startPos >= 0) {
            closePos = this.getClosePos(rawRegex, startPos);
            let nlbRegex = lib(rawRegex.substring(startPos, closePos + 1), flags);
            let nextRegex = RegExpUtility.getNextRegex(rawRegex, startPos);
            nlbRegex.nextRegex = nextRegex ? lib(nextRegex, flags) : null;
            negativeLookbehindRegexes.push(nlbRegex);
            rawRegex = rawRegex.substr(0, startPos) + rawRegex.substr(closePos + 1);
            startPos = rawRegex.indexOf('(?<nlb__', 0);
        }
        let tempRegex = lib(rawRegex, flags);
`,
    replace: `        let split = __splitNegativeLookbehinds(regex.xregexp.source, regex.flags);
        if (split === null) {
            return this.getMatchesSimple(regex, source);
        }
        let realMatches = new Array();
        let negativeLookbehindRegexes = split.negativeLookbehindRegexes;
        let tempRegex = split.tempRegex;
`,
  },
  {
    // The look-behind matches depend only on the look-behind regex and the text: found once per call, not once per candidate match.
    find: `        let tempMatches = RegExpUtility.getMatchesSimple(tempRegex, source);
        tempMatches.forEach(match => {
            let clean = true;
            negativeLookbehindRegexes.forEach(regex => {
                let negativeLookbehindMatches = RegExpUtility.getMatchesSimple(regex, source);
`,
    replace: `        let tempMatches = RegExpUtility.getMatchesSimple(tempRegex, source);
        let lookbehindMatchesOf = new Array(negativeLookbehindRegexes.length);
        tempMatches.forEach(match => {
            let clean = true;
            negativeLookbehindRegexes.forEach((regex, at) => {
                let negativeLookbehindMatches = lookbehindMatchesOf[at] || (lookbehindMatchesOf[at] = RegExpUtility.getMatchesSimple(regex, source));
`,
  },
  {
    find: `    static removeDiacriticsFromWordBoundaries(input) {
        return input
`,
    replace: `    static removeDiacriticsFromWordBoundaries(input) {
        if (input === __lastWordBoundaries.input) return __lastWordBoundaries.output;
        const output = StringUtility.computeRemoveDiacriticsFromWordBoundaries(input);
        __lastWordBoundaries.input = input;
        __lastWordBoundaries.output = output;
        return output;
    }
    static computeRemoveDiacriticsFromWordBoundaries(input) {
        return input
`,
  },
];

/** The package's UMD file with the edits, evaluated; or the package as it is when an anchor is missing. */
function load<T>(name: string): { module: T; patched: boolean } {
  const file = require.resolve(name);
  // The files mix CRLF and LF; outside template literals (where JavaScript reads CRLF as LF anyway) line ends mean nothing.
  let source = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  for (const edit of EDITS) {
    const at = source.indexOf(edit.find);
    if (at < 0 || source.indexOf(edit.find, at + 1) >= 0) return { module: require(name) as T, patched: false };
    source = source.slice(0, at) + edit.replace + source.slice(at + edit.find.length);
  }
  // The UMD wrapper takes the CommonJS branch when `exports` and `module` exist; the file requires nothing.
  const factory = new Function('exports', 'module', `${source}\n//# sourceURL=${file}`) as (exports: object, module: { exports: object }) => void;
  const mod = { exports: {} };
  factory(mod.exports, mod);
  return { module: mod.exports as T, patched: true };
}

const dateTime = load<typeof DateTime>('@microsoft/recognizers-text-date-time');
const units = load<typeof Units>('@microsoft/recognizers-text-number-with-unit');
const numbers = load<typeof Numbers>('@microsoft/recognizers-text-number');

export const recognizeDateTime: typeof DateTime.recognizeDateTime = dateTime.module.recognizeDateTime;
export const recognizeCurrency: typeof Units.recognizeCurrency = units.module.recognizeCurrency;
export const recognizeNumber: typeof Numbers.recognizeNumber = numbers.module.recognizeNumber;

/** Which packages carry the speed fix (false: loaded unmodified, e.g. after a version change). */
export function recognizerPatches(): Record<'date-time' | 'number-with-unit' | 'number', boolean> {
  return { 'date-time': dateTime.patched, 'number-with-unit': units.patched, number: numbers.patched };
}
