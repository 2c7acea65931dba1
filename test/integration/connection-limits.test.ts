/**
 * One address cannot use up the process's connections: half-sent requests are
 * cut after the headers timeout, and sockets past the per-address bound are
 * refused at once, while other addresses are served.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startTestApp, type TestApp } from '../support/harness';

const PER_ADDRESS = 20;

function healthzFrom(base: string, localAddress: string): Promise<number> {
  const url = new URL('/healthz', base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, localAddress, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket that sends half a request and then nothing (slowloris); resolves when it is open. */
function halfRequest(base: string): Promise<{ socket: Socket; ended: Promise<number> }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: url.hostname, port: Number(url.port), localAddress: '127.0.0.1' });
    const ended = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      resolve({ socket, ended });
    });
  });
}

describe('connection limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS), HTTP_HEADERS_TIMEOUT_MS: '1000' } });
  });
  afterAll(() => t.close());

  it('refuses sockets past the per-address bound, serves other addresses, and cuts half-sent requests after the headers timeout', async () => {
    const flood = await Promise.all(Array.from({ length: PER_ADDRESS + 15 }, () => halfRequest(t.url)));
    const quick = await Promise.all(flood.map((f) => Promise.race([f.ended, new Promise<number>((r) => setTimeout(() => r(-1), 500))])));
    // The sockets past the bound were closed at once; the others are still waiting for their headers.
    expect(quick.filter((ms) => ms >= 0).length).toBe(15);
    expect(await healthzFrom(t.url, '127.0.0.2')).toBe(200);
    // Node checks the headers timeout on a timer: the held sockets are cut within a few seconds, not 60.
    const all = await Promise.all(flood.map((f) => f.ended));
    expect(Math.max(...all)).toBeLessThan(5000);
    expect(await healthzFrom(t.url, '127.0.0.1')).toBe(200);
    expect(t.logs.join('')).toMatch(/"code":"TOO_MANY_CONNECTIONS"/);
  }, 20_000);
});
