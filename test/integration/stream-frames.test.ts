/**
 * The Direct Line stream against hostile clients, on the real bot process:
 * each malformed frame closes that one socket with the close code RFC 6455
 * names, and the process keeps answering /healthz and chat turns. Streams are
 * bounded per conversation (the oldest is closed) and per client address (the
 * upgrade is refused with 429).
 */
import { chatTurn, healthy, startBotProcess, startWithSecret, type BotProcess } from '../support/bot-process';
import { buildFrame, rawConnect, within, type RawStream } from '../support/raw-websocket';

const MAX_PAYLOAD = 4096;

describe('Direct Line stream: malformed frames on the real process', () => {
  let bot: BotProcess;
  let conv: { conversationId: string; token: string; streamUrl: string };
  beforeAll(async () => {
    bot = await startBotProcess({ DIRECT_LINE_STREAM_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD) });
    conv = await startWithSecret(bot.url);
  }, 40_000);
  afterAll(() => bot?.stop());

  // Far past the end of the history, so the server sends no activity frames before the close.
  const open = () => rawConnect(`${conv.streamUrl}&watermark=100000`);

  async function stillServes(): Promise<void> {
    expect(bot.exited()).toBeUndefined();
    if (!(await healthy(bot.url))) throw new Error(`the bot stopped answering (${bot.exited() ?? 'running'}):\n${bot.output().slice(-1500)}`);
    await expect(chatTurn(bot.url, conv)).resolves.toEqual(expect.any(String));
  }

  it.each<[string, number, () => Buffer]>([
    // A declared length over the limit is refused from the header alone (1009 Message Too Big).
    ['a text frame over the payload limit', 1009, () => buildFrame({ opcode: 0x1, payload: Buffer.alloc(64), declaredLength: 1024 * 1024 })],
    ['a payload just over the configured limit', 1009, () => buildFrame({ opcode: 0x2, payload: Buffer.alloc(MAX_PAYLOAD + 1) })],
    // 0xC3 0x28 is not UTF-8 (1007 Invalid frame payload data).
    ['invalid UTF-8 in a text frame', 1007, () => buildFrame({ opcode: 0x1, payload: Buffer.from([0x68, 0xc3, 0x28]) })],
    // Client frames must be masked (RFC 6455 §5.1; 1002 Protocol error).
    ['an unmasked client frame', 1002, () => buildFrame({ opcode: 0x1, payload: Buffer.from('hi'), masked: false })],
    ['a reserved opcode', 1002, () => buildFrame({ opcode: 0x3, payload: Buffer.from('x') })],
    ['RSV1 without a negotiated extension', 1002, () => buildFrame({ opcode: 0x1, payload: Buffer.from('x'), rsv1: true })],
    ['a fragmented ping', 1002, () => buildFrame({ opcode: 0x9, payload: Buffer.from('x'), fin: false })],
    ['a close frame with an invalid code', 1002, () => buildFrame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) })],
  ])('survives %s (closes with %d)', async (_name, code, frame) => {
    const s = await open();
    expect(s.status).toBe(101);
    s.socket.write(frame());
    await expect(within(s.closed, 5000, 'timeout' as const)).resolves.toBe(code);
    s.socket.destroy();
    await stillServes();
  });

  it('survives clients that reset the connection in the middle of the upgrade', async () => {
    for (let i = 0; i < 20; i++) {
      const s = await new Promise<import('node:net').Socket>((resolve) => {
        const sock = require('node:net').connect(Number(new URL(bot.url).port), '127.0.0.1', () => resolve(sock));
        sock.on('error', () => undefined);
      });
      const u = new URL(conv.streamUrl);
      s.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      // RST instead of FIN: the server's next write to this socket fails with ECONNRESET/EPIPE.
      if (i % 2 === 0) s.resetAndDestroy();
      else setTimeout(() => s.resetAndDestroy(), i);
    }
    await new Promise((r) => setTimeout(r, 300));
    await stillServes();
  });
});

describe('Direct Line stream: bounded streams per conversation and per address', () => {
  let bot: BotProcess;
  const opened: RawStream[] = [];
  beforeAll(async () => {
    bot = await startBotProcess({ DIRECT_LINE_STREAMS_PER_CONVERSATION: '2', DIRECT_LINE_STREAMS_PER_ADDRESS: '4' });
  }, 40_000);
  afterAll(async () => {
    for (const s of opened) s.socket.destroy();
    await bot?.stop();
  });

  const keep = async (url: string) => {
    const s = await rawConnect(url);
    opened.push(s);
    return s;
  };

  it('closes the oldest stream of a conversation when a newer one goes over the limit', async () => {
    const a = await startWithSecret(bot.url);
    const first = await keep(a.streamUrl);
    const second = await keep(a.streamUrl);
    expect([first.status, second.status]).toEqual([101, 101]);
    const third = await keep(a.streamUrl);
    expect(third.status).toBe(101);
    // 1008 Policy Violation: replaced by a newer stream of the same conversation.
    await expect(within(first.closed, 3000, 'timeout' as const)).resolves.toBe(1008);
    await expect(within(second.closed, 300, 'open' as const)).resolves.toBe('open');
    first.socket.destroy(); // as a client does after the close handshake; the place it held is freed
    expect(bot.exited()).toBeUndefined();
  });

  it('refuses streams over the per-address limit with 429 and keeps serving', async () => {
    // Two streams of the first test are still open; two more reach the limit of four.
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 2; i++) {
      const c = await startWithSecret(bot.url);
      expect((await keep(c.streamUrl)).status).toBe(101);
    }
    const over = await startWithSecret(bot.url);
    const refused = await keep(over.streamUrl);
    expect(refused.status).toBe(429);
    expect(refused.head).toMatch(/TOO_MANY_STREAMS|429/);
    await expect(healthy(bot.url)).resolves.toBe(true);
    await expect(chatTurn(bot.url, over)).resolves.toEqual(expect.any(String));
    // Closing streams frees the address's places.
    for (const s of opened.splice(0)) s.socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const again = await keep(over.streamUrl);
    expect(again.status).toBe(101);
  });
});
