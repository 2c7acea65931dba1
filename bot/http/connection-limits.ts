/**
 * Bounds on raw connections, before any route runs: without them one address
 * opening thousands of half-sent requests uses up the process's file
 * descriptors and every customer is cut off (seen in a review: /healthz
 * unreachable, nothing logged). Three bounds:
 *  - headers must arrive within `headersTimeoutMs`, a whole request within
 *    `requestTimeoutMs` (Node's defaults are 60 s and 300 s);
 *  - at most `maxConnections` sockets in all (Node refuses the rest at accept);
 *  - at most `perAddress` sockets per TCP peer. Behind our own proxies every
 *    connection comes from a proxy, so this bound is off when `trustProxy` > 0:
 *    the proxy must enforce it (the README says so).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log';
import { truncatedAddress } from './client-address';

export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  perAddress: number;
  trustProxy: number;
}

export function limitConnections(server: Server, limits: ConnectionLimits, logger: Logger): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.maxConnections = limits.maxConnections;
  cutSilentConnections(server, limits.headersTimeoutMs);
  if (limits.trustProxy > 0 || limits.perAddress <= 0) return;
  const open = new Map<string, number>();
  let lastWarning = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.perAddress) {
      socket.destroy();
      // One line a minute at most: a flood must not flood the log too.
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        logger.warn({ code: 'TOO_MANY_CONNECTIONS', client: truncatedAddress(address), limit: limits.perAddress }, 'connection refused');
      }
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * Node enforces `headersTimeout` only on a timer that runs every 30 s (the
 * server's connectionsCheckingInterval, which restify gives no way to set),
 * so a half-sent first request could hold a socket for up to 90 s. A socket
 * whose first request (or WebSocket upgrade) has not arrived in time is cut here.
 */
function cutSilentConnections(server: Server, timeoutMs: number): void {
  const waiting = new WeakMap<Socket, NodeJS.Timeout>();
  const arrived = (socket: Socket) => {
    clearTimeout(waiting.get(socket));
    waiting.delete(socket);
  };
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    timer.unref();
    waiting.set(socket, timer);
    socket.once('close', () => arrived(socket));
  });
  server.on('request', (req: { socket: Socket }) => arrived(req.socket));
  server.on('upgrade', (req: { socket: Socket }) => arrived(req.socket));
}
