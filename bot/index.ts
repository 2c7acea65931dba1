/** Entry point: configuration → app → listen → graceful shutdown on SIGTERM/SIGINT. */
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { ContentError } from './content/loader';
import { createApp } from './app';

async function main(): Promise<void> {
  let config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let app;
  try {
    app = await createApp({ config });
  } catch (error) {
    if (error instanceof ContentError) {
      console.error(`The bot will not start: the content folder has problems.\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
      process.exit(3);
    }
    throw error;
  }
  const url = await app.listen();
  app.logger.info({ url }, 'listening');
  console.log(`\n  Chat page:  ${url}/\n  Health:     ${url}/readyz\n  Store:      ${app.backend.kind === 'redis' ? 'Redis' : 'in-memory (set REDIS_URL to keep data)'}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: draining turns in flight');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
