import { Writable } from 'node:stream';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createLogger } from '../../bot/log';
import { testRedisUrl, uniquePrefix } from '../support/redis';

function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } });
  return { lines, logger: createLogger({ level, hashKey: 'k', destination }) };
}

const PHONE = '13812345678';
const CARD = '6222021234567890123';
const ID = '110101199003071234';
// A real WeChat openid is 28 characters starting with "o".
const OPENID = 'oT9Xs5AbcDef_ghIJk-123456789';
const ANY_PII = new RegExp([PHONE, CARD, ID, OPENID].join('|'));

describe('logging', () => {
  it('masks personal data in fields and messages, hashes customer ids and removes secrets', () => {
    const { lines, logger } = capture();
    logger.info({ userId: 'openid-123', text: '我的电话13812345678，卡号6222021234567890123', token: 'abc', headers: { authorization: 'Bearer x' } }, 'user said %s', '身份证110101199003071234');
    const out = lines.join('');
    expect(out).not.toMatch(/13812345678|6222021234567890123|110101199003071234|openid-123|"abc"|Bearer x/);
    expect(out).toMatch(/138\*\*\*\*5678/);
    expect(out).toMatch(/"userId":"h:[\w-]{16}"/);
    expect(out).toMatch(/\[redacted\]/);
  });

  it('hashes the same id the same way so a customer\'s lines can be followed', () => {
    const { lines, logger } = capture();
    logger.info({ userId: 'u1' });
    logger.info({ userId: 'u1' });
    logger.info({ userId: 'u2' });
    const ids = lines.map((l) => JSON.parse(l).userId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).not.toBe(ids[2]);
  });
});

describe('child loggers', () => {
  it('hash customer ids and mask free text in the bindings, at every depth', () => {
    const { lines, logger } = capture();
    const child = logger.child({ turnId: 't1', userId: OPENID, openId: OPENID, phone: PHONE, note: `卡号${CARD}` });
    child.info('turn started');
    child.child({ conversation: { id: OPENID }, from: { id: OPENID, name: '张三' } }).warn({ extra: 1 }, 'nested');
    const out = lines.join('');
    expect(out).not.toMatch(ANY_PII);
    expect(out).not.toContain('张三');
    const first = JSON.parse(lines[0]!);
    expect(first.userId).toMatch(/^h:[\w-]{16}$/);
    expect(first.openId).toBe(first.userId);
    expect(first.phone).toBe('138****5678');
    expect(first.note).toBe('卡号****0123');
    expect(JSON.parse(lines[1]!).conversation.id).toBe(first.userId);
  });

  it('cannot be told to drop the masking with options, setBindings or a message prefix', () => {
    const { lines, logger } = capture();
    const child = logger.child({ a: 1 }, { formatters: { log: (o: Record<string, unknown>) => o }, msgPrefix: `${PHONE} ` } as never);
    child.info({ text: PHONE }, 'said');
    child.setBindings({ userId: OPENID, text: CARD });
    child.info('again');
    expect(lines.join('')).not.toMatch(ANY_PII);
    expect(JSON.parse(lines[1]!).userId).toMatch(/^h:/);
  });
});

describe('errors in the log', () => {
  const pii = `call ${PHONE}, card ${CARD}, id ${ID}, user ${OPENID}`;

  it('masks the message, the stack and own properties of an Error however it is passed', () => {
    const { lines, logger } = capture();
    const error = Object.assign(new Error(pii), { detail: pii, code: 'E1', userId: OPENID });
    logger.error({ err: error }, 'failed');
    logger.error(error); // pino takes the message from the error
    logger.error({ err: error }); // …and here too
    logger.error({ error, sendError: error }, 'other keys');
    logger.error({ list: [error], deep: { deeper: { e: error } } }, 'nested');
    const out = lines.join('');
    expect(out).not.toMatch(ANY_PII);
    const first = JSON.parse(lines[0]!);
    expect(first.err).toMatchObject({ type: 'Error', code: 'E1', message: expect.stringContaining('138****5678') });
    expect(first.err.stack).toMatch(/^Error: call 138\*\*\*\*5678/);
    expect(first.err.stack).toMatch(/at /); // the stack survives, masked
    expect(first.err.detail).toContain('****0123');
    logger.info({ userId: OPENID }, 'same customer');
    expect(first.err.userId).toBe(JSON.parse(lines.at(-1)!).userId); // hashed once, like everywhere else
    expect(JSON.parse(lines[1]!).msg).toContain('138****5678');
    expect(JSON.parse(lines[2]!).msg).toContain('138****5678');
  });

  it('masks causes, aggregated errors and ioredis\' previousErrors', () => {
    const { lines, logger } = capture();
    const inner = new Error(`inner ${PHONE}`);
    const outer = new Error('outer', { cause: inner });
    const many = new AggregateError([new Error(`a ${CARD}`), `b ${ID}`], 'many');
    const tx = Object.assign(new Error('EXECABORT'), { previousErrors: [Object.assign(new Error(`ERR ${PHONE}`), { command: { name: 'set', args: ['k', PHONE] } })] });
    logger.error({ err: outer, many, tx }, 'chain');
    const out = lines.join('');
    expect(out).not.toMatch(ANY_PII);
    const line = JSON.parse(lines[0]!);
    expect(JSON.stringify(line.err)).toContain('inner 138****5678');
    expect(JSON.stringify(line.many)).toContain('a ****0123');
  });

  it('drops the arguments of an ioredis error\'s command (shape of a ReplyError)', () => {
    const { lines, logger } = capture();
    const reply = Object.assign(new Error('ERR syntax error'), { name: 'ReplyError', command: { name: 'set', args: ['k', '13812345678'] } });
    logger.error({ err: reply }, 'redis failed');
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(JSON.parse(lines[0]!).err.command).toEqual({ name: 'set', args: '[2 arguments hidden]' });
  });

  it('drops the arguments of a real ioredis error from Redis', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const key = `${uniquePrefix('log')}${OPENID}`;
    try {
      const error = await redis.set(key, PHONE, 'EX', 'not-a-number' as unknown as number).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(JSON.stringify((error as { command?: unknown }).command)).toContain(PHONE); // what ioredis carries
      const { lines, logger } = capture();
      logger.error({ err: error }, 'redis failed');
      expect(lines.join('')).not.toMatch(ANY_PII);
    } finally {
      await redis.quit();
    }
  });

  it('masks thrown non-errors and objects shaped like errors', () => {
    const { lines, logger } = capture();
    logger.error({ err: `plain string ${PHONE}` }, 'x');
    logger.error({ err: { message: `like an error ${CARD}`, stack: `Error: ${CARD}\n    at x` } }, 'y');
    expect(lines.join('')).not.toMatch(ANY_PII);
  });
});

describe('the message string', () => {
  it('is masked after formatting, whatever the placeholders', () => {
    const { lines, logger } = capture();
    logger.info('said %s', `phone ${PHONE}`);
    logger.info('obj %j and %o', { text: CARD }, { id: ID });
    logger.info({ a: 1 }, 'two halves %s%s', '6222 0212 3456', ' 7890 123');
    logger.info(`openid ${OPENID}`);
    logger.info('number %d', Number('6222021234567890'));
    const out = lines.join('');
    expect(out).not.toMatch(ANY_PII);
    expect(out).not.toContain('6222021234567890');
    expect(out).not.toContain('6222 0212 3456 7890');
  });

  it('never lets a phone, card or ID number through, wherever it sits in what is logged', () => {
    const secret = fc.constantFrom(PHONE, CARD, ID, '６２２２０２１２３４５６７８９０１２３', '6222\u200B0212\u200B3456\u200B7890');
    const place = fc.constantFrom('msg', 'field', 'nested', 'error', 'errorProp', 'binding', 'array', 'format');
    fc.assert(
      fc.property(secret, place, fc.string({ maxLength: 8 }), (s, where, noise) => {
        const { lines, logger } = capture();
        const text = `${noise.replace(/\d/g, '')} ${s} `;
        switch (where) {
          case 'msg': logger.info(text); break;
          case 'field': logger.info({ text }, 'm'); break;
          case 'nested': logger.info({ a: { b: { c: [text] } } }, 'm'); break;
          case 'error': logger.error(new Error(text)); break;
          case 'errorProp': logger.error({ err: Object.assign(new Error('x'), { extra: { text } }) }, 'm'); break;
          case 'binding': logger.child({ text }).info('m'); break;
          case 'array': logger.info({ list: [1, text] }, 'm'); break;
          case 'format': logger.info('m %s', text); break;
        }
        const digits = lines.join('').replace(/[\u200B\s]/g, '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
        return !digits.includes(s.replace(/[\u200B\s]/g, '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
      }),
      { numRuns: 300 },
    );
  });
});
