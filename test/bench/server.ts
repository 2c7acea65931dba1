/**
 * A bot server for the benchmark, in its own process: `full` is the real bot;
 * `echo` runs the same HTTP, Direct Line, Redis and middleware with a bot that
 * only echoes (the floor). Prints its URL on stdout when listening.
 */
import type { TurnContext } from 'botbuilder';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';

const mode = process.argv[2] === 'echo' ? 'echo' : 'full';
const echo = async (context: TurnContext) => {
  if (context.activity.type === 'message') await context.sendActivity({ text: `echo ${context.activity.text}`, suggestedActions: { actions: [], to: [] } });
};

(async () => {
  const config = loadConfig();
  const app = await createApp({ config, turnLogic: mode === 'echo' ? echo : undefined });
  const url = await app.listen(0, '127.0.0.1');
  // Benchmarks read the shared-secret from stdout; nothing else should.
  process.stdout.write(`LISTENING ${url} ${app.directLineSecret}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
})();
