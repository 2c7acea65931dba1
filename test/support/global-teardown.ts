import type { ChildProcess } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  (globalThis as { __throwawayRedis?: ChildProcess }).__throwawayRedis?.kill('SIGTERM');
}
