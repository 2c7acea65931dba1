/**
 * The log scrubber's rules one by one, through its own API (bot/log.ts applies
 * it to every path; test/unit/log.test.ts checks those paths): which fields are
 * customer ids, which objects are accounts, platform ids inside text, the depth
 * and length limits, cycles, errors and their causes, binary data, Redis
 * commands, and values that serialise themselves.
 */
import { createLogScrubber } from '../../bot/privacy/log-scrub';

const scrub = createLogScrubber('test-key');
const HASH = /^h:[\w-]{16}$/;
const PHONE = '13812345678';
const OPENID = 'oT9Xs5AbcDef_ghIJk-123456789'; // 28 characters from "o"
const WECOM = `wm${'A'.repeat(30)}`;

describe('customer ids', () => {
  it('hash to 16 url-safe characters, the same for the same id and key, different otherwise', () => {
    expect(scrub.hashId('u1')).toMatch(HASH);
    expect(scrub.hashId('u1')).toBe(scrub.hashId('u1'));
    expect(scrub.hashId('u1')).not.toBe(scrub.hashId('u2'));
    expect(createLogScrubber('other-key').hashId('u1')).not.toBe(scrub.hashId('u1'));
  });

  it.each(['userId', 'customerId', 'openId', 'openid', 'unionId', 'unionid', 'externalUserId', 'external_userid', 'fromId', 'FromUserName', 'conversationId', 'conversationKey', 'recipientId'])(
    'are hashed in the field %s',
    (field) => {
      expect(scrub.value({ [field]: 'plain-id' })).toEqual({ [field]: scrub.hashId('plain-id') });
    },
  );

  it.each(['from', 'recipient', 'conversation', 'user', 'customer', 'member'])('are hashed as the id and name of an account under %s', (field) => {
    expect(scrub.value({ [field]: { id: 'plain-id', name: '张三', role: 'user' } })).toEqual({ [field]: { id: scrub.hashId('plain-id'), name: scrub.hashId('张三'), role: 'user' } });
  });

  it('are not hashed where id and name are not an account\'s (only masked as text)', () => {
    expect(scrub.value({ ticket: { id: 'TS-1', name: '张三' }, id: 'x' })).toEqual({ ticket: { id: 'TS-1', name: '张三' }, id: 'x' });
    // The account's own fields are read one level down only.
    expect(scrub.value({ from: { role: { id: 'r1' } } })).toEqual({ from: { role: { id: 'r1' } } });
  });

  it('are hashed once: a value already hashed stays as it is', () => {
    const once = scrub.hashId('u1');
    expect(scrub.value({ userId: once })).toEqual({ userId: once });
    expect((scrub.value({ userId: `${once}x` }) as { userId: string }).userId).not.toBe(`${once}x`);
    expect((scrub.value({ userId: `x${once}` }) as { userId: string }).userId).toMatch(HASH);
  });

  it('are hashed inside free text: WeChat openids and WeCom external ids, whole tokens only', () => {
    expect(scrub.text(`user ${OPENID} wrote`)).toBe(`user ${scrub.hashId(OPENID)} wrote`);
    expect(scrub.text(`${WECOM}`)).toBe(scrub.hashId(WECOM));
    expect(scrub.text(`wo${'b'.repeat(30)}`)).toBe(scrub.hashId(`wo${'b'.repeat(30)}`));
    expect(scrub.text(`a ${OPENID} b ${OPENID}`)).toBe(`a ${scrub.hashId(OPENID)} b ${scrub.hashId(OPENID)}`);
    for (const notAnId of [OPENID.slice(0, 27), `x${OPENID}`, `${OPENID}x`, `wx${'A'.repeat(30)}`, `wm${'A'.repeat(29)}`]) expect(scrub.text(notAnId)).toBe(notAnId);
  });
});

describe('free text', () => {
  it('is masked in any field and in arrays', () => {
    expect(scrub.value({ note: `电话${PHONE}`, list: [`call ${PHONE}`, 3, true, null] })).toEqual({ note: '电话138****5678', list: ['call 138****5678', 3, true, null] });
  });

  it('is cut after 10 000 characters', () => {
    expect(scrub.text('a'.repeat(10_000))).toBe('a'.repeat(10_000));
    expect(scrub.text('a'.repeat(10_001))).toBe(`${'a'.repeat(10_000)}…`);
  });

  it('leaves numbers, booleans, null and undefined as they are', () => {
    expect(scrub.value({ n: 13812345678, b: false, z: null, u: undefined })).toEqual({ n: 13812345678, b: false, z: null, u: undefined });
    expect(scrub.value(42)).toBe(42);
  });
});

describe('structure', () => {
  const nest = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { a: nest(levels - 1, leaf) });

  it('opens no object deeper than eight levels below the root', () => {
    expect(JSON.stringify(scrub.value(nest(8, { text: PHONE })))).toContain('"text":"138****5678"');
    expect(JSON.stringify(scrub.value(nest(8, { text: PHONE })))).not.toContain('[too deep]');
    expect(JSON.stringify(scrub.value(nest(9, { text: PHONE })))).toContain('"a":"[too deep]"');
    expect(JSON.stringify(scrub.value(nest(9, { text: PHONE })))).not.toContain('5678');
  });

  it('counts every kind of container toward that depth: arrays, Maps, Sets, toJSON, errors and their causes', () => {
    const deep = (wrap: (inner: unknown) => unknown) => {
      let v: unknown = PHONE;
      for (let i = 0; i < 12; i++) v = wrap(v);
      return JSON.stringify(scrub.value(v));
    };
    expect(deep((x) => [x])).toContain('[too deep]');
    expect(deep((x) => new Map([['k', x]]))).toContain('[too deep]');
    expect(deep((x) => new Set([x]))).toContain('[too deep]');
    expect(deep((x) => ({ toJSON: () => ({ k: x }) }))).toContain('[too deep]');
    expect(deep((x) => Object.assign(new Error('e'), { detail: x }))).toContain('[too deep]');
    expect(deep((x) => new Error('e', { cause: x }))).toContain('[too deep]');
    expect(deep((x) => new AggregateError([x], 'e'))).toContain('[too deep]');
    // Within eight levels (a Map and a Set take two each: they become an object and an array) it is shown, masked.
    let shallow: unknown = { text: PHONE };
    shallow = [new Map([["k", new Set([shallow])]])];
    expect(JSON.stringify(scrub.value(shallow))).toContain('138****5678');
  });

  it('marks a cycle, but copies an object that merely appears twice', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(scrub.value(loop)).toEqual({ name: 'loop', self: '[circular]' });
    const shared = { text: PHONE };
    expect(scrub.value({ a: shared, b: shared, c: [shared] })).toEqual({ a: { text: '138****5678' }, b: { text: '138****5678' }, c: [{ text: '138****5678' }] });
  });

  it('writes binary data as its length', () => {
    expect(scrub.value({ body: Buffer.from(PHONE) })).toEqual({ body: '[11 bytes]' });
    expect(scrub.value({ raw: new ArrayBuffer(4) })).toEqual({ raw: '[4 bytes]' });
    expect(scrub.value({ view: new Uint16Array(3) })).toEqual({ view: '[6 bytes]' });
  });

  it('reads maps as objects and sets as arrays, keeping id fields and accounts', () => {
    expect(scrub.value({ m: new Map([['userId', 'u1'], ['text', PHONE]]) })).toEqual({ m: { userId: scrub.hashId('u1'), text: '138****5678' } });
    expect(scrub.value({ from: new Map([['id', 'u1']]) })).toEqual({ from: { id: scrub.hashId('u1') } });
    expect(scrub.value({ s: new Set([PHONE, 1]) })).toEqual({ s: ['138****5678', 1] });
  });

  it('uses what a value serialises itself as, under the same field', () => {
    expect(scrub.value({ at: new Date('2026-11-23T02:00:00Z') })).toEqual({ at: '2026-11-23T02:00:00.000Z' });
    expect(scrub.value({ userId: { toJSON: () => 'u1' } })).toEqual({ userId: scrub.hashId('u1') });
    expect(scrub.value({ from: { toJSON: () => ({ id: 'u1' }) } })).toEqual({ from: { id: scrub.hashId('u1') } });
    expect(scrub.value({ x: { toJSON: () => `call ${PHONE}` } })).toEqual({ x: 'call 138****5678' });
  });
});

describe('errors', () => {
  it('become plain objects: type, masked message and stack, own properties, cause', () => {
    const error = Object.assign(new TypeError(`bad ${PHONE}`, { cause: new RangeError(`inner ${PHONE}`) }), { userId: 'u1', code: 'E_X' });
    const out = scrub.error(error) as Record<string, unknown>;
    expect(out).toMatchObject({ type: 'TypeError', message: 'bad 138****5678', userId: scrub.hashId('u1'), code: 'E_X', cause: { type: 'RangeError', message: 'inner 138****5678' } });
    expect(out.stack).toMatch(/^TypeError: bad 138\*\*\*\*5678\n\s+at /);
    expect(JSON.stringify(out)).not.toContain(PHONE);
  });

  it('have no stack when theirs is not text, and no cause when they have none', () => {
    const error = new Error('x');
    error.stack = undefined;
    const out = scrub.error(error) as Record<string, unknown>;
    expect(out.stack).toBeUndefined();
    expect('cause' in out).toBe(false);
    expect('errors' in out).toBe(false);
  });

  it('keep every error of an AggregateError', () => {
    const out = scrub.error(new AggregateError([new Error(`a ${PHONE}`), `b ${PHONE}`], 'many')) as { type: string; errors: unknown[] };
    expect(out.type).toBe('AggregateError');
    expect(out.errors).toEqual([expect.objectContaining({ type: 'Error', message: 'a 138****5678' }), 'b 138****5678']);
  });

  it('are found anywhere in a value, and anything thrown is made safe', () => {
    expect(scrub.value({ list: [new Error(PHONE)] })).toEqual({ list: [expect.objectContaining({ type: 'Error', message: '138****5678' })] });
    expect(scrub.error(`thrown text ${PHONE}`)).toBe('thrown text 138****5678');
    expect(scrub.error({ message: PHONE })).toEqual({ message: '138****5678' });
  });

  it('drop a Redis command\'s arguments but keep its name', () => {
    const error = Object.assign(new Error('ERR'), { command: { name: 'set', args: ['k', PHONE, 'EX', 10] } });
    expect((scrub.error(error) as { command: unknown }).command).toEqual({ name: 'set', args: '[4 arguments hidden]' });
    expect(scrub.value({ command: { name: 42, args: [] } })).toEqual({ command: { name: undefined, args: '[0 arguments hidden]' } });
    // Only a field named "command" with an argument list is a command.
    expect(scrub.value({ command: { name: 'set', args: PHONE } })).toEqual({ command: { name: 'set', args: '138****5678' } });
    expect(scrub.value({ cmd: { name: 'set', args: [PHONE] } })).toEqual({ cmd: { name: 'set', args: ['138****5678'] } });
  });
});
