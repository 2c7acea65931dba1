/**
 * Triage (bot/triage): the team's fixture of messages in zh-CN, zh-TW and
 * English (angry, distressed, threatening, neutral questions, polite
 * complaints), and the rules the issue names: decay and mounting frustration,
 * negation, repeat and not-understood inputs, the amount threshold, levels,
 * the policy's validation and the two CLIs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as OpenCC from 'opencc-js';
import { ContentError, flatten, loadContent } from '../../bot/content/loader';
import { agesIn, amountsIn } from '../../bot/triage/amounts';
import { loadTriagePolicy } from '../../bot/triage/load';
import { Triage, type TriageState } from '../../bot/triage/triage';

const ROOT = path.resolve(__dirname, '..', '..');
const content = loadContent();
const policy = content.triage;
const triage = new Triage(policy);
const assess = (text: string, extra: object = {}, before?: TriageState) => triage.assess({ text, ...extra }, before);

type Row = { text: string; handoff: boolean; reasons?: string[] };
const fixture: Row[] = readFileSync(path.join(__dirname, '..', 'fixtures', 'triage.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Row);

/** Mildly impatient messages: none hands off alone. */
const mild = ['Why is my transfer still not here?', 'Still waiting...', 'Seriously, again?', 'This is taking forever'];

/** Runs messages one after another in one conversation. */
function conversation(texts: string[], extra: object = {}) {
  let state: TriageState | undefined;
  return texts.map((t) => {
    const r = assess(t, extra, state);
    state = r.state;
    return r;
  });
}

describe('triage: the fixture', () => {
  it('has at least 200 messages in three scripts, both outcomes, every kind', () => {
    expect(fixture.length).toBeGreaterThanOrEqual(200);
    // Traditional script: what OpenCC changes when folding to simplified.
    const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
    expect(fixture.filter((r) => toSimplified(r.text) !== r.text).length).toBeGreaterThanOrEqual(30);
    expect(fixture.filter((r) => /^[\x20-\x7e’]+$/.test(r.text)).length).toBeGreaterThanOrEqual(50);
    expect(fixture.filter((r) => r.handoff).length).toBeGreaterThanOrEqual(100);
    expect(fixture.filter((r) => !r.handoff).length).toBeGreaterThanOrEqual(80);
    const reasons = new Set(fixture.flatMap((r) => r.reasons ?? []));
    const kinds = ['anger', 'distress', 'swearing', 'asksPerson', 'fraud', 'dataLeak', 'selfHarm', 'largeAmount', 'threat.media', 'threat.regulator', 'threat.lawyer', 'threat.police', 'threat.court', 'vulnerable.elderly', 'vulnerable.illness'];
    expect(kinds.filter((id) => !reasons.has(id))).toEqual([]);
  });

  it('decides every handoff of the fixture as written, with the reasons it names', () => {
    const wrong = fixture
      .map((row) => ({ row, got: assess(row.text) }))
      .filter(({ row, got }) => got.handoff !== row.handoff || (row.reasons ?? []).some((r) => !got.reasons.includes(r)))
      .map(({ row, got }) => `${row.handoff ? 'missed' : 'false handoff'} [${got.reasons.join(',')} ${got.scores.message}] ${row.text}`);
    expect(wrong).toEqual([]);
  });

  it('every handoff says why, in words staff read in every locale', () => {
    for (const row of fixture.filter((r) => r.handoff)) expect(assess(row.text).reasons.length).toBeGreaterThan(0);
    for (const locale of ['zh-CN', 'zh-TW', 'en'] as const) {
      const words = flatten(content.locales[locale].triage ?? {});
      expect(triage.reasonIds().filter((id) => !words.get(`reason.${id}`))).toEqual([]);
    }
  });
});

describe('triage: the conversation score', () => {

  it('catches mounting frustration that no single message shows', () => {
    for (const t of mild) expect(assess(t).handoff).toBe(false);
    const run = conversation(mild);
    expect(run.slice(0, 2).map((r) => r.handoff)).toEqual([false, false]);
    const caught = run.find((r) => r.handoff);
    expect(caught?.reasons).toContain('mounting');
    // The conversation score is the decayed sum: previous × decay + message.
    for (let i = 1; i < run.length; i++) {
      const expected = run[i - 1]!.state.score * policy.handoff.decay + run[i]!.scores.message;
      expect(run[i]!.scores.conversation).toBeCloseTo(expected, 1);
    }
    expect(run.at(-1)!.state.turns).toBe(mild.length);
  });

  it('lets frustration fade: calm messages between the mild ones keep the chat with the bot', () => {
    const run = conversation(['Why is my transfer still not here?', 'ok thanks', 'Still waiting...', 'ok', 'thanks', 'Seriously, again?']);
    expect(run.every((r) => !r.handoff)).toBe(true);
  });

  it('the same in Chinese: 还没到, 到底, 又要等 add up', () => {
    const zh = ['我的转账怎么还没到？', '怎么又要等', '说好的今天到账呢', '能不能快点处理'];
    for (const t of zh) expect(assess(t).handoff).toBe(false);
    expect(conversation(zh).some((r) => r.handoff && r.reasons.includes('mounting'))).toBe(true);
  });

  it('a decay of 0 scores every message alone; the state is small JSON', () => {
    const forgetful = new Triage({ ...policy, handoff: { ...policy.handoff, decay: 0 } });
    let state: TriageState | undefined;
    for (const t of mild) {
      const r = forgetful.assess({ text: t }, state);
      expect(r.handoff).toBe(false);
      state = JSON.parse(JSON.stringify(r.state)) as TriageState;
    }
    expect(Object.keys(state!).sort()).toEqual(['level', 'score', 'turns']);
  });

  it('keeps the highest level of the conversation', () => {
    const run = conversation(['我要找记者曝光你们', '好的', '谢谢']);
    expect(run.map((r) => r.level)).toEqual(['urgent', 'urgent', 'urgent']);
    expect(run[1]!.handoff).toBe(false);
  });
});

describe('triage: negation', () => {
  it.each([
    ['我不生气，只是想问一下', '我很生气'], ['我没有被骗', '我被骗了'], ["I'm not angry", "I'm angry"], ['我并没有生气', '我真的很生气'],
    ['不用转人工', '转人工'], ['我不想找媒体', '我要找媒体'], ['如果卡被盗刷了怎么办', '我的卡被盗刷了'],
  ])('"%s" does not hand off, "%s" does', (negated, plain) => {
    expect(assess(negated).handoff).toBe(false);
    expect(assess(plain).handoff).toBe(true);
  });

  it('a rhetorical negation is still angry (怎么能不生气, 是不是有病)', () => {
    expect(assess('我怎么能不生气？').reasons).toContain('anger');
    expect(assess('你们是不是有病').reasons).toContain('anger');
  });

  it('a conditional threat is still a threat (如果不解决我就投诉到银保监会)', () => {
    expect(assess('如果今天不解决，我就去银保监会投诉').reasons).toContain('threat.regulator');
  });
});

describe('triage: asking for a person', () => {
  it('a short request hands off; a story that names the staff it spoke to does not ask', () => {
    expect(assess('人工客服').reasons).toEqual(['asksPerson']);
    expect(assess('请帮我转人工客服，谢谢').handoff).toBe(true);
    const story = '上周我在网点办理转账的时候，打了你们的人工客服电话，客服人员说三个工作日内回复，我想问一下现在的处理进度';
    expect(assess(story).reasons).not.toContain('asksPerson');
    // "转人工" is a request wherever it stands.
    expect(assess(`${story}，麻烦转人工`).reasons).toContain('asksPerson');
  });
});

describe('triage: inputs from outside the text', () => {
  it('a repeat complaint hands off at least "important" with reason "repeat"', () => {
    const r = assess('你好，还是上次那件事', { repeatComplaint: true });
    expect(r).toMatchObject({ handoff: true, level: 'important' });
    expect(r.reasons).toContain('repeat');
    expect(assess('你好，还是上次那件事').handoff).toBe(false);
  });

  it('the bot not understanding several times in a row hands off at the policy count', () => {
    const at = policy.notUnderstood.handoffAt;
    expect(assess('嗯', { notUnderstoodInARow: at - 1 }).handoff).toBe(false);
    const r = assess('嗯', { notUnderstoodInARow: at });
    expect(r.handoff).toBe(true);
    expect(r.reasons).toEqual(['notUnderstood']);
    // Each miss adds to the score even before that.
    expect(assess('嗯', { notUnderstoodInARow: 2 }).scores.message).toBeGreaterThan(assess('嗯').scores.message);
    // Broken numbers from a stored state start afresh.
    const fresh = assess('嗯', { notUnderstoodInARow: NaN }, { score: NaN, turns: Infinity }).state;
    expect(fresh).toMatchObject({ turns: 1, level: 'general' });
    expect(fresh.score).toBeLessThan(0.01);
  });
});

describe('triage: amounts', () => {
  it.each([
    ['被扣了5万', 50_000], ['转了50000元', 50_000], ['¥3,000', 3_000], ['lost 10k', 10_000],
    ['五万块', 50_000], ['二十万', 200_000], ['1.5w', 15_000], ['$2,000', 14_200],
  ])('reads "%s" as %d yuan', (text, yuan) => {
    expect(Math.max(...amountsIn(text, policy.amount.rates))).toBeCloseTo(yuan, 0);
  });

  it.each(['卡号 6222 0212 3456 7890', '打了12378', '千万别这样', '十万火急', '2016年10月30日', '我有3张卡'])('"%s" holds no amount', (text) => {
    expect(amountsIn(text, policy.amount.rates)).toEqual([]);
  });

  it('reasons "largeAmount" at the policy threshold and not below, and the threshold is the policy\'s', () => {
    expect(assess('我转了5万块到对方账户').reasons).toContain('largeAmount');
    expect(assess('我转了49999元到对方账户').reasons).not.toContain('largeAmount');
    expect(assess('我转了5万块到对方账户').level).toBe('important');
    const higher = new Triage({ ...policy, amount: { ...policy.amount, thresholdCny: 100_000 } });
    expect(higher.assess({ text: '我转了5万块到对方账户' }).reasons).not.toContain('largeAmount');
    expect(higher.assess({ text: '我转了十万块到对方账户' }).reasons).toContain('largeAmount');
  });

  it('reads ages for elderly customers ("80岁", "八十多岁"), never a generation ("80后")', () => {
    expect(agesIn('我妈80岁了')).toEqual([80]);
    expect(agesIn('我爸八十多岁')).toEqual([80]);
    expect(agesIn('我是80后')).toEqual([]);
    expect(assess('我妈80岁了，卡取不出钱，她急得不行').reasons).toContain('vulnerable.elderly');
  });
});

describe('triage: levels', () => {
  it.each([
    ['我要去银保监会投诉你们', 'important'], ['我要找记者曝光', 'urgent'], ['我的卡被盗刷了', 'urgent'], ['我要报警，还要起诉你们', 'urgent'],
    ['钱都没了，我不想活了', 'major'], ['信用卡年费多少', 'general'], ['气死我了', 'general'],
  ])('"%s" is %s', (text, level) => {
    expect(assess(text).level).toBe(level);
  });
});

describe('triage: intensity', () => {
  it('shouting, !!! and 啊啊啊 make an annoyed message angry; joy and acronyms do not', () => {
    expect(assess('why is this so slow').handoff).toBe(false);
    expect(assess('WHY IS THIS SO SLOW!!!').handoff).toBe(true);
    expect(assess('太慢了').handoff).toBe(false);
    expect(assess('太慢了啊啊啊啊！！！').handoff).toBe(true);
    expect(assess('太好了！！！谢谢！！！').handoff).toBe(false);
    expect(assess('哈哈哈哈哈哈').handoff).toBe(false);
    expect(assess('ATM POS APP 的 VISA 卡可以用吗').scores.anger).toBe(0);
  });
});

describe('triage: the policy file', () => {
  const copy = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'triage-content-'));
    cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
    return dir;
  };
  const edit = (dir: string, file: string, change: (j: Record<string, unknown>) => void) => {
    const j = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    change(j);
    writeFileSync(path.join(dir, file), JSON.stringify(j));
  };

  it('is refused when broken, naming the file and key', () => {
    const dir = copy();
    try {
      edit(dir, 'policy/triage.json', (j) => ((j.handoff as Record<string, number>).conversation = 0.1));
      expect(() => loadTriagePolicy(dir)).toThrow(/triage\.json: handoff\.conversation/);
      expect(() => loadContent(dir)).toThrow(ContentError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a signal without staff words is a content problem', () => {
    const dir = copy();
    try {
      edit(dir, 'policy/triage.json', (j) => {
        (j.signals as Record<string, unknown>)['threat.union'] = { add: 1, handoff: true, groups: [{ weight: 1, phrases: ['工会'] }] };
      });
      expect(() => loadContent(dir)).toThrow(/triage\.json: reason\.threat\.union: missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('triage: the CLIs', () => {
  const run = (script: string, args: string[], input: string) =>
    spawnSync(process.execPath, [require.resolve('tsx/cli'), script, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });

  it('npm run triage: one JSON line per input line, conversations scored in order', () => {
    const lines = [
      { text: '信用卡年费多少？' },
      { text: '气死我了，你们这破银行！！！' },
      ...mild.map((text) => ({ text, conversationId: 'c1' })),
      { text: '你好', repeatComplaint: true },
    ];
    const r = run('bot/triage/cli.ts', [], `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(lines.length + 1);
    expect(out[0]).toMatchObject({ handoff: false, level: 'general', reasons: [] });
    expect(out[1]).toMatchObject({ handoff: true, reasons: expect.arrayContaining(['anger']) });
    expect(Object.keys(out[1]!.scores as object)).toEqual(['anger', 'distress', 'anxiety', 'urgency', 'complexity', 'message', 'conversation']);
    expect(out.slice(2, 6).map((o) => o.turn)).toEqual([1, 2, 3, 4]);
    expect(out.slice(2, 6).some((o) => (o.reasons as string[]).includes('mounting'))).toBe(true);
    expect(out[6]).toMatchObject({ handoff: true, reasons: ['repeat'] });
    expect(out[7]).toMatchObject({ line: 8, error: expect.any(String) });
    expect(r.status).toBe(1);
  });

  it('npm run triage:eval: catch rate on angry, false handoffs on calm, last line JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'triage-eval-'));
    try {
      const angry = path.join(dir, 'angry.jsonl');
      const calm = path.join(dir, 'calm.jsonl');
      writeFileSync(angry, ['气死我了', '你们这破银行！！！', '我就问问'].map((text) => JSON.stringify({ text })).join('\n'));
      writeFileSync(calm, ['信用卡年费多少', '怎么改密码', '网点几点开门', '转人工'].map((text) => JSON.stringify({ text, expected_id: 'x' })).join('\n'));
      const r = run('bot/triage/eval-cli.ts', ['--angry', angry, '--calm', calm], '');
      expect(r.status).toBe(0);
      const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, { n: number; handedOff: number; rate: number }>;
      expect(last.angryCaught).toMatchObject({ n: 3, handedOff: 2 });
      expect(last.calmHandedOff).toMatchObject({ n: 4, handedOff: 1, rate: 0.25 });
      expect(run('bot/triage/eval-cli.ts', ['--part', 'sideways', '--angry', angry], '').status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
