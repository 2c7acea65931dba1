/**
 * Which failures make the WeChat callback answer "please resend" (the store is
 * unavailable) rather than an error: the store's own STORE_UNAVAILABLE, and
 * ioredis' connection, retry, timeout and "cannot write now" errors — never a
 * bug or a bad command.
 */
import { ReplyError } from 'ioredis';
import { faultKind, isStoreFault } from '../../adapters/tencent/store-fault';
import { AppError } from '../../bot/errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isStoreFault', () => {
  it.each([
    ['the store\'s own code', new AppError('STORE_UNAVAILABLE', 'down', 503)],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')],
    ['a closed client', new Error('Connection is closed.')],
    ['a command timeout', new Error('Command timed out')],
    ['no offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['Redis out of memory', new ReplyError('OOM command not allowed when used memory > \'maxmemory\'.')],
    ['Redis unable to persist', new ReplyError('MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.')],
    ['a replica that is read-only', new ReplyError("READONLY You can't write against a read only replica.")],
    ['a fault wrapped as the cause', new Error('turn failed', { cause: new Error('Connection is closed.') })],
  ])('counts %s', (_name, error) => {
    expect(isStoreFault(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a bad command', new ReplyError('ERR wrong number of arguments for \'set\' command')],
    ['another AppError', new AppError('WECHAT_REPLAYED', 'replayed', 401)],
    ['not an error', 'Connection is closed.'],
  ])('does not count %s', (_name, error) => {
    expect(isStoreFault(error)).toBe(false);
  });

  it('names the fault by code or class, never by its message (which may carry command arguments)', () => {
    expect(faultKind(new AppError('STORE_UNAVAILABLE', 'SET reply:o_abc 13812345678', 503))).toBe('STORE_UNAVAILABLE');
    expect(faultKind(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(faultKind(new ReplyError('OOM SET choices:o_abc 13812345678'))).toBe('ReplyError');
  });
});
