import { Writable } from 'node:stream';
import { createLogger } from '../../bot/log';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } });
  return { lines, logger: createLogger({ level: 'info', hashKey: 'k', destination }) };
}

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
