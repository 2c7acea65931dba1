/**
 * Live desk updates over Server-Sent Events. Each instance subscribes once to
 * the handoff events on Redis pub/sub (every instance publishes there), and
 * fans them out to the desks connected to it, so a desk on instance B sees a
 * chat queued or answered on instance A. An open connection is also the
 * staff member's presence: it heartbeats while open, so "on duty" means "has
 * the desk open". Message texts go only to those who may read the chat.
 */
import type { ServerResponse } from 'node:http';
import type { HandoffService } from '../handoff/handoff-service';
import type { HandoffEvent } from '../handoff/model';
import type { Logger } from '../log';
import type { DeskSession } from './sessions';

export interface EventsOptions {
  /** How often an open desk renews presence, re-checks its session and pings the proxy (ms). */
  heartbeatMs: number;
  /** Open event streams one account may hold on this instance (a newer one closes the oldest). */
  perAccount: number;
  /** Re-checks the session (without counting as activity); false ends the stream with an `expired` event. */
  stillValid: (session: DeskSession) => Promise<boolean>;
}

interface Client {
  res: ServerResponse;
  session: DeskSession;
  timer: NodeJS.Timeout;
}

export class DeskEvents {
  private readonly clients = new Set<Client>();
  private subscription: Promise<() => Promise<void>> | undefined;

  constructor(
    private readonly handoff: HandoffService,
    private readonly logger: Logger,
    private readonly options: EventsOptions,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** Subscribes once per instance, on the first desk that connects. */
  private subscribed(): Promise<unknown> {
    this.subscription ??= this.handoff.subscribe((event) => void this.fanOut(event)).catch((error: unknown) => {
      this.subscription = undefined;
      throw error;
    });
    return this.subscription;
  }

  /** Takes over the response as an event stream; `ready` is sent once this instance hears every event. */
  async open(res: ServerResponse, session: DeskSession): Promise<void> {
    await this.subscribed();
    const me = session.user.username;
    await this.handoff.presence.heartbeat(me, this.options.heartbeatMs * 3);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Proxies that buffer responses (nginx) would hold events back.
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    res.socket?.setKeepAlive(true, this.options.heartbeatMs);
    const client: Client = { res, session, timer: setInterval(() => void this.beat(client), this.options.heartbeatMs) };
    client.timer.unref();
    const mine = [...this.clients].filter((c) => c.session.user.username === me);
    for (const old of mine.slice(0, Math.max(0, mine.length + 1 - this.options.perAccount))) this.close(old);
    this.clients.add(client);
    res.on('close', () => this.forget(client));
    res.on('error', () => this.forget(client));
    // `retry`: how long the browser waits before it reconnects a dropped stream.
    res.write('retry: 3000\n\n');
    this.send(client, 'ready', { at: Date.now() });
  }

  private async beat(client: Client): Promise<void> {
    try {
      if (!(await this.options.stillValid(client.session))) {
        this.send(client, 'expired', {});
        return this.close(client);
      }
      await this.handoff.presence.heartbeat(client.session.user.username, this.options.heartbeatMs * 3);
      // A named event, not a comment: the page's watchdog sees it and knows the stream is alive.
      this.send(client, 'ping', {});
    } catch (error) {
      // The store is away for a moment: keep the stream, the next beat tries again.
      this.logger.warn({ code: 'DESK_HEARTBEAT_FAILED', err: error instanceof Error ? error.message : String(error) }, 'desk heartbeat failed');
    }
  }

  private async fanOut(event: HandoffEvent): Promise<void> {
    if (this.clients.size === 0) return;
    if (event.type !== 'message') {
      for (const c of this.clients) this.send(c, 'handoff', event);
      return;
    }
    // A line of a chat: its text to whoever may read the chat, the bare fact to everyone else (their queue moves).
    const chat = await this.handoff.get(event.key).catch(() => undefined);
    for (const c of this.clients) {
      const user = c.session.user;
      const mayRead = chat && (chat.status === 'waiting' || user.role === 'supervisor' || chat.claimedBy === user.username);
      this.send(c, 'handoff', mayRead ? event : { type: 'message', key: event.key });
    }
  }

  /** The streams of one session (its logout). */
  closeSession(tokenHash: string): void {
    for (const c of this.clients) if (c.session.tokenHash === tokenHash) this.close(c);
  }

  /** Whether the account still has a desk open on this instance. */
  hasAccount(username: string): boolean {
    return [...this.clients].some((c) => c.session.user.username === username);
  }

  closeAll(): void {
    for (const c of this.clients) this.close(c);
  }

  async stop(): Promise<void> {
    this.closeAll();
    const unsubscribe = await this.subscription?.catch(() => undefined);
    this.subscription = undefined;
    await unsubscribe?.();
  }

  private send(client: Client, event: string, data: unknown): void {
    if (!client.res.writableEnded) client.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private close(client: Client): void {
    this.forget(client);
    if (!client.res.writableEnded) client.res.end();
  }

  private forget(client: Client): void {
    clearInterval(client.timer);
    this.clients.delete(client);
  }
}
