/**
 * Who else a story names: a collection agency or "第三方", an online lender or
 * platform ("捷信", "借呗"), or an institution recognised by how its name ends
 * ("中原消费金融", "泰康人寿"). Recorded on the complaint so the handler knows whom
 * to ask, and counted in the statistics. Lists in `content/policy/story-reading.json`.
 */
import type { StoryReading } from '../tickets/policy';

/** Characters that end the words before a name: "本人在" | "中原" + "消费金融", "买了" | "中国" + "人寿". */
const BEFORE_A_NAME = /[^\p{Script=Han}A-Za-z]|[在从向被给跟和与对于是的了把由经去到找用借还及这那该此家个我你他她们买办投保款贷也有没来都就又再才只但而让叫请要会能可说问称为以后时里]/u;
/** What may follow a listed name and belongs to it ("捷信" + "金融"). */
const NAME_TAIL = /^(?:消费金融|金融|保险|平台|公司)/;
const MAX_NAMES = 3;

export class ThirdPartyReader {
  private readonly generic: string[];
  private readonly names: string[];
  private readonly suffixes: string[];

  constructor(reading: StoryReading['thirdParty']) {
    // Longest first, so "第三方催收公司" is found rather than "第三方".
    this.generic = [...reading.generic].sort((a, b) => b.length - a.length);
    this.names = [...reading.names].sort((a, b) => b.length - a.length);
    this.suffixes = reading.suffixes;
  }

  /** The third parties a (simplified) text names, in the order it names them, joined with "、"; undefined if none. */
  find(text: string): string | undefined {
    const found: { at: number; end: number; name: string }[] = [];
    const free = (at: number, end: number) => found.every((f) => end <= f.at || at >= f.end);
    const lower = text.toLowerCase();
    for (const name of this.names) {
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
        const tail = NAME_TAIL.exec(text.slice(at + name.length))?.[0] ?? '';
        if (free(at, at + name.length + tail.length)) found.push({ at, end: at + name.length + tail.length, name: name + tail });
      }
    }
    for (const ending of this.suffixes) {
      for (let at = text.indexOf(ending); at >= 0; at = text.indexOf(ending, at + ending.length)) {
        // Up to four characters before the ending, from the last one that cannot be part of a name.
        const window = [...text.slice(Math.max(0, at - 4), at)];
        let cut = window.length;
        while (cut > 0 && !BEFORE_A_NAME.test(window[cut - 1]!)) cut--;
        const own = window.slice(cut).join('');
        const start = at - own.length;
        const tail = /^(?:股份)?(?:有限)?公司/.exec(text.slice(at + ending.length))?.[0] ?? '';
        const end = at + ending.length + tail.length;
        // A name needs two characters of its own ("泰康" + "人寿").
        if (own.length >= 2 && free(start, end)) found.push({ at: start, end, name: text.slice(start, end) });
      }
    }
    for (const word of this.generic) {
      const at = lower.indexOf(word.toLowerCase());
      if (at >= 0 && free(at, at + word.length)) found.push({ at, end: at + word.length, name: text.slice(at, at + word.length) });
    }
    const all = [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name))];
    // "捷信" and later "捷信公司" are one party.
    const names = all.filter((n) => !all.some((o) => o !== n && (o.startsWith(n) || n.startsWith(o)) && o.length > n.length));
    return names.length > 0 ? names.slice(0, MAX_NAMES).join('、').slice(0, 200) : undefined;
  }
}
