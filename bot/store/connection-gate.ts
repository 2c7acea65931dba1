/**
 * Our own offline queue in front of an ioredis client, bounded in time and in
 * size. ioredis's queue is not used for our commands because it sends a
 * command when the connection returns even after the caller was told it
 * failed: a request answered 503 would then still write (a claimed client
 * activity id, a lock, a counter step) behind the caller's back.
 *
 * Here a command waits for the connection only while the outage is younger
 * than `waitMs` (a blip: a failover, a reconnect) and is handed to ioredis
 * only once connected. Once Redis has been gone longer than that, callers fail
 * at once instead of each waiting again.
 *
 * A connection can also stay open while Redis answers nothing (the process
 * frozen, the host hung, packets dropped). After one command times out the
 * gate counts Redis as stalled: callers fail at once, instead of each waiting
 * out the command timeout once per command, until a PING answers again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { StoreUnavailableError } from './store-errors';

/** Callers waiting for one connection at most; beyond this they fail at once (memory stays bounded in a storm). */
const MAX_WAITERS = 10_000;
/** Pause between PINGs to a stalled Redis (each PING also has the command timeout). */
const STALL_PROBE_PAUSE_MS = 100;

export class ConnectionGate {
  /** When the connection was last lost (or first attempted); undefined while connected. */
  private downSince: number | undefined = Date.now();
  /** When a command on an open connection last timed out; undefined once Redis answers. */
  private stalledSince: number | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly client: Redis,
    private readonly waitMs: number,
  ) {
    client.on('ready', () => {
      this.downSince = undefined;
      this.stalledSince = undefined;
      for (const wake of this.waiters) wake();
      this.waiters.clear();
    });
    const lost = () => {
      this.downSince ??= Date.now();
    };
    client.on('close', lost);
    client.on('end', lost);
  }

  /** Start-up: resolves once connected, however long the connection has been down; throws after `timeoutMs`. */
  async untilReady(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'end') throw new StoreUnavailableError('closed');
    await this.wait(timeoutMs);
  }

  /** A command timed out: fail callers at once until Redis answers a PING again. */
  stalled(): void {
    if (this.stalledSince !== undefined || this.client.status !== 'ready') return;
    this.stalledSince = Date.now();
    void this.probeUntilAnswered();
  }

  private async probeUntilAnswered(): Promise<void> {
    while (this.stalledSince !== undefined && this.client.status !== 'end') {
      try {
        await this.client.ping();
        this.stalledSince = undefined;
      } catch {
        await sleep(STALL_PROBE_PAUSE_MS, undefined, { ref: false });
      }
    }
  }

  /** Resolves when a command may be sent; throws STORE_UNAVAILABLE when it should not wait (longer). */
  async whenReady(waitMs = this.waitMs): Promise<void> {
    if (this.stalledSince !== undefined) throw new StoreUnavailableError('timeout');
    if (this.client.status === 'ready') return;
    if (this.client.status === 'end') throw new StoreUnavailableError('closed');
    const remaining = Math.min(waitMs, this.waitMs - (Date.now() - (this.downSince ?? Date.now())));
    if (remaining <= 0 || this.waiters.size >= MAX_WAITERS) throw new StoreUnavailableError('disconnected');
    await this.wait(remaining);
  }

  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new StoreUnavailableError('disconnected'));
      }, ms);
      this.waiters.add(wake);
    });
  }
}
