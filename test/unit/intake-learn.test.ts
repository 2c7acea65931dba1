/**
 * The reason learner (bot/intake/learn.ts) on a handful of team-written
 * stories (not the tuning data): it must separate them by their words alone,
 * read unseen stories told in the same words, give the same file twice, and
 * write a file the content loader accepts — while a broken weights file is
 * refused like any other policy file.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentError, DEFAULT_CONTENT_DIR, loadContent } from '../../bot/content/loader';
import { AxisScorer, foldStory, LearnedScores, termsOf } from '../../bot/intake/axes';
import { ComplaintExtractor } from '../../bot/intake/extract';
import { learnReasonWeights, type LabelledStory } from '../../bot/intake/learn';
import type { Reasons, ReasonWeights } from '../../bot/tickets/policy';

const policy = loadContent().complaints;
const NOW = new Date('2026-11-23T10:00:00+08:00');

const stories: LabelledStory[] = [
  ...[
    '打了好几次客服热线，一直占线，没人接听。',
    '客服热线占线一整天，转人工也等不到。',
    '网点柜员态度恶劣，排队两个小时没人理。',
    '柜员态度很差，排队很久，热线也占线。',
    '热线总是占线，柜员态度冷淡。',
    '排队排了一上午，柜员态度敷衍。',
  ].map((text) => ({ text, label: '客户服务类' })),
  ...[
    '信用卡年费被扣了两次，要求退还年费。',
    '分期手续费太高，还多收了利息。',
    '没用过的卡也扣年费，手续费也不合理。',
    '提前还款还收手续费，年费也乱扣。',
    '利息和手续费算下来比说的高很多。',
    '年费扣了三百元，要求退回。',
  ].map((text) => ({ text, label: '定价收费类' })),
  ...[
    '催收人员天天打电话骚扰我的家人。',
    '催收公司给我通讯录里的朋友发短信。',
    '每天被催收电话轰炸，还威胁上门。',
    '催收打电话给我单位同事，骚扰不断。',
    '家人和同事都接到催收电话。',
    '催收短信威胁要起诉我，骚扰家人。',
  ].map((text) => ({ text, label: 'collection' })),
];

/** The same reasons without a single phrase: whatever is read is learned. */
const noPhrases: Reasons = {
  ...policy.reasons,
  reasons: Object.fromEntries(Object.entries(policy.reasons.reasons).map(([id, r]) => [id, { ...r, examples: [] }])),
};

function classOf(weights: ReasonWeights, reasons: Reasons, text: string): string | undefined {
  const id = new AxisScorer(reasons.reasons, reasons.minScore, new LearnedScores(weights, reasons.reasons)).read(foldStory(text)).id;
  return id ? reasons.reasons[id]?.reportClass : undefined;
}
const classOfLabel = (label: string) => policy.reasons.reasons[label]?.reportClass ?? label;

describe('learning reason weights', () => {
  const learned = learnReasonWeights(stories, noPhrases, { now: NOW });

  it('separates the stories it learned from by their words alone', () => {
    for (const s of stories) expect([s.text, classOf(learned, noPhrases, s.text)]).toEqual([s.text, classOfLabel(s.label)]);
  });

  it('reads unseen stories told in the same words', () => {
    expect(classOf(learned, noPhrases, '热线占线，柜员态度也差。')).toBe('客户服务类');
    expect(classOf(learned, noPhrases, '又扣年费又收手续费。')).toBe('定价收费类');
    expect(classOf(learned, noPhrases, '催收电话骚扰我的同事。')).toBe('催收行为类');
  });

  it('keeps weights a person can read: a telling term weighs most for its own reason', () => {
    const top = (term: string) => learned.reasons[learned.terms[term]!.indexOf(Math.max(...learned.terms[term]!))];
    expect(top('占线')).toBe('service');
    expect(top('年费')).toBe('pricing');
    expect(top('催收')).toBe('collection');
    expect(learned.trainedOn).toMatchObject({ stories: 18, at: NOW.toISOString(), chosen: { folds: 5 } });
  });

  it('gives the same file for the same stories', () => {
    expect(learnReasonWeights(stories, noPhrases, { now: NOW })).toEqual(learned);
  });

  it('learns how far each reason\'s phrases are to be trusted', () => {
    const withPhrases = learnReasonWeights(stories, policy.reasons, { now: NOW, phraseScales: [1] });
    expect(Object.keys(withPhrases.phrases ?? {})).toEqual(expect.arrayContaining(['collection', 'pricing', 'service']));
    for (const s of stories) expect([s.text, classOf(withPhrases, policy.reasons, s.text)]).toEqual([s.text, classOfLabel(s.label)]);
  });

  it('refuses stories whose labels the policy does not know', () => {
    expect(() => learnReasonWeights([{ text: '随便说说', label: '不存在的类' }], policy.reasons)).toThrow(/label/);
  });

  it('counts a repeated word by 1 + ln(times) and a story by its length, so neither shouts', () => {
    const values = termsOf(foldStory('年费年费年费年费，催收'), learned.features);
    expect(values.get('年费')! / values.get('催收')!).toBeCloseTo(1 + Math.log(4));
    expect([...values.values()].reduce((sum, x) => sum + x * x, 0)).toBeCloseTo(1);
  });
});

describe('a published weights file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'content-'));
    cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const publish = (weights: unknown) => writeFileSync(path.join(dir, 'policy', 'reason-weights.json'), JSON.stringify(weights));
  const problemsOf = (): string[] => {
    try {
      loadContent(dir);
      return [];
    } catch (error) {
      if (error instanceof ContentError) return error.problems;
      throw error;
    }
  };
  const learned = learnReasonWeights(stories, policy.reasons, { now: NOW });

  it('is loaded and used by the intake when it is what the learner wrote', () => {
    publish(learned);
    expect(problemsOf()).toEqual([]);
    const published = loadContent(dir).complaints;
    expect(published.reasonWeights).toEqual(learned);
    expect(new ComplaintExtractor(published).extract('热线占线，柜员态度也差。', 'zh-CN', NOW).reason).toBe('service');
  });

  it.each([
    ['a term with too few weights', (w: any) => (w.terms['占线'] = [1, 2])],
    ['phrase weights of the wrong length', (w: any) => (w.phrases.collection = [1])],
    ['a way of counting it does not know', (w: any) => (w.features.counts = 'tfidf')],
    ['a field it does not know', (w: any) => (w.bias = [])],
    ['a reason reasons.json lacks', (w: any) => (w.reasons[0] = 'no_such_reason')],
  ])('is refused with %s', (_, spoil) => {
    const broken = structuredClone(learned);
    spoil(broken);
    publish(broken);
    expect(problemsOf().join('\n')).toMatch(/reason-weights/);
  });
});
