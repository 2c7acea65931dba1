/**
 * Log paths that test/unit/log.test.ts leaves open: objects passed as format
 * arguments (`%j`, `%o`, `%s`) carry customer ids in their fields, which text
 * masking alone would let through (an id is not a phone or card number); they
 * must come out hashed, exactly as the same object logged as a field would.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/log';
import { createLogScrubber } from '../../bot/privacy/log-scrub';

const KEY = 'log-paths-key';
const hashed = createLogScrubber(KEY).hashId;

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } });
  return { lines, logger: createLogger({ level: 'info', hashKey: KEY, destination }) };
}

describe('objects in the message string', () => {
  it.each(['%j', '%o', '%O', '%s'])('hash the customer ids of an object formatted with %s', (placeholder) => {
    const { lines, logger } = capture();
    // pino types a format string only when it is a literal; this one is built per placeholder.
    const info = logger.info.bind(logger) as (msg: string, ...args: unknown[]) => void;
    info(`activity ${placeholder}`, { userId: 'dl-user-42', from: { id: 'dl-user-42', name: 'Zhang San' }, text: 'hello' });
    const msg = JSON.parse(lines[0]!).msg as string;
    expect(msg).not.toContain('dl-user-42');
    expect(msg).not.toContain('Zhang San');
    expect(msg).toContain(hashed('dl-user-42'));
    expect(msg).toContain('hello');
  });

  it('hash them after an object of fields too, and in an error passed as an argument', () => {
    const { lines, logger } = capture();
    logger.warn({ code: 'X' }, 'from %j then %o', { conversationId: 'conv-7' }, Object.assign(new Error('boom'), { customerId: 'cust-9' }));
    const line = JSON.parse(lines[0]!) as { msg: string; code: string };
    expect(line.code).toBe('X');
    expect(line.msg).not.toMatch(/conv-7|cust-9/);
    expect(line.msg).toContain(hashed('conv-7'));
    expect(line.msg).toContain(hashed('cust-9'));
  });

  it('leave numbers and text arguments to text masking', () => {
    const { lines, logger } = capture();
    logger.info('%s waited %d minutes, phone %s', 'customer', 12, '13812345678');
    expect(JSON.parse(lines[0]!).msg).toBe('customer waited 12 minutes, phone 138****5678');
  });
});
