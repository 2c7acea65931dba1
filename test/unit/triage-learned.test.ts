/**
 * The learned layer of triage (bot/triage/weights.ts, learn.ts): the weights
 * file is validated and refused when wrong, learning on the team's small
 * labelled set (test/fixtures/triage-learn.jsonl) separates it, and the
 * combination rule — the model can add a handoff (reason "anger", its
 * probability shown), never take one away; the policy's threshold decides.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentError, loadContent } from '../../bot/content/loader';
import { learnTriageWeights, type LabelledMessage } from '../../bot/triage/learn';
import { loadPublishedTriageWeights, loadTriagePolicy, loadTriageWeights } from '../../bot/triage/load';
import { Triage } from '../../bot/triage/triage';
import { termsOf, triageWeightsSchema, type TriageWeights } from '../../bot/triage/weights';

const ROOT = path.resolve(__dirname, '..', '..');
const policy = loadTriagePolicy();
const rulesOnly = new Triage(policy);
const labelled: LabelledMessage[] = readFileSync(path.join(__dirname, '..', 'fixtures', 'triage-learn.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as LabelledMessage);

/** Hand-written weights: "雨" (rain) reads as angry, nothing else counts. */
const rainy = (over: Partial<TriageWeights> = {}): TriageWeights =>
  triageWeightsSchema.parse({
    features: 'han-1-2+latin-words+marks',
    trainedOn: { messages: 10, angry: 5, at: '2026-12-01T00:00:00.000Z' },
    bias: -4,
    rules: {},
    terms: { 雨: 6 },
    suggestedThreshold: 0.5,
    ...over,
  });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'triage-weights-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('triage weights: the content file', () => {
  it('loads a valid file and refuses a wrong one, naming every problem', () => {
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(rainy()));
    expect(loadTriageWeights(good).terms).toEqual({ 雨: 6 });

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...rainy(), features: 'words', rules: { shouting: 1 }, terms: { 雨: 'six' }, suggestedThreshold: 1.5 }));
    let error: unknown;
    try {
      loadTriageWeights(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    const problems = (error as ContentError).problems.join('\n');
    for (const where of ['features', 'rules', 'terms.雨', 'suggestedThreshold']) expect(problems).toContain(`: ${where}`);

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"features": ');
    expect(() => loadTriageWeights(broken)).toThrow(/not valid JSON/);
  });

  it('is optional in content/, and a published wrong one stops the content from loading', () => {
    const content = path.join(dir, 'content');
    cpSync(path.join(ROOT, 'content'), content, { recursive: true });
    rmSync(path.join(content, 'policy', 'triage-weights.json'), { force: true });
    expect(loadContent(content).triageWeights).toBeUndefined();
    expect(loadPublishedTriageWeights(content)).toBeUndefined();

    writeFileSync(path.join(content, 'policy', 'triage-weights.json'), JSON.stringify(rainy()));
    expect(loadContent(content).triageWeights?.terms).toEqual({ 雨: 6 });
    expect(loadPublishedTriageWeights(content)?.bias).toBe(-4);

    writeFileSync(path.join(content, 'policy', 'triage-weights.json'), JSON.stringify({ ...rainy(), bias: 'high' }));
    expect(() => loadContent(content)).toThrow(/triage-weights\.json: bias/);
  });
});

describe('triage weights: learning', () => {
  it('separates the team-written labelled set, and the same messages give the same file', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const { weights, examples } = learnTriageWeights(rulesOnly, labelled, { now, folds: 4, epochs: 30 });
    expect(triageWeightsSchema.parse(JSON.parse(JSON.stringify(weights)))).toEqual(weights);
    expect(weights.trainedOn).toEqual({ messages: 40, angry: 20, at: now.toISOString() });
    const model = new Triage({ ...policy, learned: { handoffAt: 0.5 } }, weights);
    const p = examples.map((_, i) => model.assess({ text: labelled[i]!.text }).learned!.anger);
    const angry = p.filter((_, i) => examples[i]!.angry);
    const calm = p.filter((_, i) => !examples[i]!.angry);
    // Every angry message reads as angrier than every calm one.
    expect(Math.min(...angry)).toBeGreaterThan(Math.max(...calm));
    expect(angry.every((x) => x >= 0.5) && calm.every((x) => x < 0.5)).toBe(true);
    expect(learnTriageWeights(rulesOnly, labelled, { now, folds: 4, epochs: 30 }).weights).toEqual(weights);
  });

  it('learns against the chosen negative labels only, and refuses a set without both kinds', () => {
    const { weights } = learnTriageWeights(rulesOnly, labelled, { negatives: ['happy'], folds: 4 });
    expect(weights.trainedOn.messages).toBe(20 + labelled.filter((r) => r.label === 'happy').length);
    expect(() => learnTriageWeights(rulesOnly, labelled.filter((r) => r.label === 'angry'))).toThrow(/both/);
    expect(() => learnTriageWeights(rulesOnly, labelled, { negatives: ['nonexistent'] })).toThrow(/both/);
  });

  it('chooses the threshold within the false-handoff budget on out-of-fold scores', () => {
    const strict = learnTriageWeights(rulesOnly, labelled, { folds: 4, maxFalse: 0 }).weights.suggestedThreshold;
    const loose = learnTriageWeights(rulesOnly, labelled, { folds: 4, maxFalse: 0.5 }).weights.suggestedThreshold;
    expect(loose).toBeLessThan(strict);
  });
});

describe('triage weights: rules and model together', () => {
  const withRain = new Triage({ ...policy, learned: { handoffAt: 0.5 } }, rainy());

  it('hands off what the model reads as angry, with reason anger and its probability', () => {
    const text = '又下雨了';
    expect(rulesOnly.assess({ text }).handoff).toBe(false);
    expect(rulesOnly.assess({ text }).learned).toBeUndefined();
    const r = withRain.assess({ text });
    expect(r.handoff).toBe(true);
    expect(r.reasons).toContain('anger');
    expect(r.learned).toEqual({ anger: 0.88, handoff: true, terms: ['雨'] });
  });

  it('leaves alone what the model does not read as angry', () => {
    const r = withRain.assess({ text: '请问网点几点开门' });
    expect(r.handoff).toBe(false);
    expect(r.reasons).not.toContain('anger');
    expect(r.learned).toEqual({ anger: 0.02, handoff: false, terms: [] });
  });

  it('never takes a handoff of the rules away', () => {
    const calmModel = new Triage(policy, rainy({ bias: -30, terms: {} }));
    for (const text of ['气死我了，什么垃圾银行', '我要去银保监会投诉你们', '转人工']) {
      expect(rulesOnly.assess({ text }).handoff).toBe(true);
      const r = calmModel.assess({ text });
      expect(r.handoff).toBe(true);
      expect(r.learned?.handoff).toBe(false);
    }
  });

  it('the policy threshold decides; without one, the threshold the learner chose', () => {
    const text = '又下雨了'; // p = 0.88
    expect(new Triage({ ...policy, learned: { handoffAt: 0.9 } }, rainy()).assess({ text }).handoff).toBe(false);
    expect(new Triage({ ...policy, learned: { handoffAt: 0.85 } }, rainy()).assess({ text }).handoff).toBe(true);
    const { learned: _, ...noThreshold } = policy;
    expect(new Triage(noThreshold, rainy({ suggestedThreshold: 0.9 })).assess({ text }).handoff).toBe(false);
    expect(new Triage(noThreshold, rainy({ suggestedThreshold: 0.8 })).assess({ text }).handoff).toBe(true);
  });

  it('weighs the rules’ own scores: a model that trusts the anger score alone', () => {
    const angerOnly = new Triage({ ...policy, learned: { handoffAt: 0.5 } }, rainy({ terms: {}, rules: { anger: 10 } }));
    const mild = '这也太慢了吧'; // some anger, below the rules' threshold
    expect(rulesOnly.assess({ text: mild }).handoff).toBe(false);
    expect(rulesOnly.assess({ text: mild }).scores.anger).toBeGreaterThan(0.4);
    expect(angerOnly.assess({ text: '请问网点几点开门' }).handoff).toBe(false);
    expect(angerOnly.assess({ text: mild }).handoff).toBe(true);
  });

  it('cuts terms the same way for every script and keeps the marks folding erases', () => {
    expect(termsOf(' 下雨 ', '下雨!!')).toEqual(expect.arrayContaining(['下', '雨', '下雨', '!', '!!']));
    expect(termsOf(' why again ', 'why again??')).toEqual(expect.arrayContaining(['why', 'again', '?', '??']));
    expect(termsOf(' a ', 'a')).toEqual([]);
  });
});

describe('npm run triage:eval -- --train', () => {
  it('learns, writes a file the content schema accepts, and reports rules only beside rules + model', () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'triage-learn.jsonl');
    const out = path.join(dir, 'weights.json');
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bot/triage/eval-cli.ts', '--labelled', fixture, '--train', fixture, '--weights-out', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').pop()!) as { part: string; threshold: number; rulesOnly: { angryCaught: { n: number } }; angryCaught: { n: number } };
    expect(last.part).toBe('held-out');
    expect(last.angryCaught.n).toBe(last.rulesOnly.angryCaught.n);
    expect(loadTriageWeights(out).suggestedThreshold).toBe(last.threshold);
    expect(run.stdout).toContain('rules only');
    expect(run.stdout).toContain('rules + learned model');
  });
});
