/**
 * A redis-server of a test's own, on a free port with a temporary directory,
 * that the test may stop, freeze (SIGSTOP), thaw (SIGCONT), restart and kill —
 * things it must never do to the shared Redis the other tests use.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export type Persistence = 'none' | 'rdb' | 'aof';

/** True when the `redis-server` binary can be run. */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** One PING to `url` on a fresh connection that gives up after `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function persistenceArgs(persistence: Persistence): string[] {
  switch (persistence) {
    case 'none':
      return ['--save', '', '--appendonly', 'no'];
    case 'rdb':
      return ['--save', '3600 1', '--appendonly', 'no'];
    case 'aof':
      return ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];
  }
}

export class TestRedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly args: string[],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: { persistence?: Persistence; args?: string[] } = {}): Promise<TestRedisServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'cfd-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistenceArgs(options.persistence ?? 'none'), ...(options.args ?? [])];
    const server = new TestRedisServer(port, dir, args);
    await server.launch();
    return server;
  }

  /** A replica of `primary` (same settings otherwise). */
  static replicaOf(primary: TestRedisServer, options: { persistence?: Persistence } = {}): Promise<TestRedisServer> {
    return TestRedisServer.start({ ...options, args: ['--replicaof', '127.0.0.1', String(primary.port)] });
  }

  /**
   * A Sentinel watching `primary` under `name`, quick to act (down after `downAfterMs`), quorum 1.
   * Sentinel rewrites its configuration file, so it gets one of its own in its directory.
   */
  static async sentinel(primary: TestRedisServer, name = 'mymaster', downAfterMs = 1000): Promise<TestRedisServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'cfd-sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primary.port} 1`,
        `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const server = new TestRedisServer(port, dir, [conf, '--sentinel']);
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const child = spawn('redis-server', this.args, { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 5000;
    while (!(await this.answers())) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer within 5 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** One PING on a fresh connection that gives up quickly. */
  answers(timeoutMs = 500): Promise<boolean> {
    return redisAnswers(this.url, timeoutMs);
  }

  /** Runs one command on a fresh connection (CONFIG SET, BGSAVE, DEL …) and closes it. */
  async command(...args: string[]): Promise<unknown> {
    const client = new Redis(this.url, { lazyConnect: true, connectTimeout: 2000, commandTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(args[0]!, ...args.slice(1));
    } finally {
      client.disconnect();
    }
  }

  /** The process stops answering but keeps its connections open (what a hung host looks like). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** A clean stop (SIGTERM); with no persistence configured nothing is kept. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.thaw();
    this.child.kill('SIGTERM');
    await this.exited;
  }

  /** A crash: no shutdown save, no AOF rewrite. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Starts again on the same port and directory, with the same settings. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
