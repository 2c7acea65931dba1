/**
 * Finds the Redis the tests use: REDIS_TEST_URL, else 127.0.0.1:6379. If none
 * answers and `redis-server` is installed, starts a throwaway one on a free
 * port (nothing on disk) and stops it afterwards. Otherwise says what to install.
 * Every test file uses its own key prefix, so runs never collide.
 */
import { spawn, spawnSync } from 'node:child_process';
import { freePort, redisAnswers } from './redis-server';

const answers = (url: string) => redisAnswers(url, 1000);

export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
  if (await answers(url)) {
    process.env.REDIS_TEST_URL = url;
    return;
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      `No Redis answers at ${url} and redis-server is not installed.\n` +
        '  Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis),\n' +
        '  or point REDIS_TEST_URL at a Redis you may write to.',
    );
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    detached: false,
  });
  (globalThis as { __throwawayRedis?: typeof child }).__throwawayRedis = child;
  const started = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(started)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answers(started))) throw new Error('Started redis-server but it does not answer');
  console.log(`\n(started a throwaway redis-server on port ${port} for this run)`);
  process.env.REDIS_TEST_URL = started;
}
