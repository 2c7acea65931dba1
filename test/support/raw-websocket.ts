/**
 * A WebSocket client at the byte level (RFC 6455): does the opening handshake
 * over a plain TCP socket, then writes whatever frame bytes a test builds,
 * including ones no well-behaved client library would send.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawStream {
  socket: Socket;
  /** HTTP status of the handshake answer (101 when upgraded). */
  status: number;
  head: string;
  /** Resolves with the server's close code (or 'ended' when the TCP connection ended without a close frame). */
  closed: Promise<number | 'ended'>;
}

export interface FrameOptions {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  /** Client frames must be masked; false builds the forbidden unmasked frame. */
  masked?: boolean;
  /** Length written in the header, when it should differ from the payload's (e.g. a huge declared length). */
  declaredLength?: number;
  rsv1?: boolean;
}

export function buildFrame(o: FrameOptions): Buffer {
  const payload = o.payload ?? Buffer.alloc(0);
  const length = o.declaredLength ?? payload.length;
  const masked = o.masked ?? true;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | (o.rsv1 ? 0x40 : 0) | (o.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), extended, key, body]);
}

/** Reads server frames until a close frame (returns its code) or the end of the connection. */
function watchClose(socket: Socket, initial: Buffer): Promise<number | 'ended'> {
  return new Promise((resolve) => {
    let buffer = initial;
    const scan = () => {
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let len = buffer[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buffer.length < 4) return;
          len = buffer.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buffer.length < 10) return;
          len = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + len) return;
        if (opcode === 0x8) return resolve(len >= 2 ? buffer.readUInt16BE(offset) : 1005);
        buffer = buffer.subarray(offset + len);
      }
    };
    socket.on('data', (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      scan();
    });
    socket.on('close', () => resolve('ended'));
    socket.on('error', () => resolve('ended'));
    scan();
  });
}

/** Opens a stream URL (ws://host:port/path?query) by hand. */
export function rawConnect(streamUrl: string, extraHeaders: Record<string, string> = {}): Promise<RawStream> {
  const url = new URL(streamUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      received = Buffer.concat([received, d]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const head = received.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const rest = received.subarray(end + 4);
      resolve({ socket, status, head, closed: watchClose(socket, rest) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('connect', () => {
      const headers = {
        Host: url.host,
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
        ...extraHeaders,
      };
      socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    });
  });
}

/** Waits for `p`, or gives `fallback` after `ms`. */
export function within<T, F>(p: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return Promise.race([p, new Promise<F>((r) => setTimeout(() => r(fallback), ms).unref())]);
}
