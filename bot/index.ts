/**
 * Entry point: configuration → app → the store persists → listen → graceful
 * shutdown on SIGTERM/SIGINT. Start-up failures exit with their own code:
 * 2 configuration, 3 content, 4 Redis does not persist (production),
 * 5 Redis unreachable at start (production).
 */
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { ContentError } from './content/loader';
import { AppError } from './errors';
import { verifyPersistence } from './store/persistence';
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
  const production = config.NODE_ENV === 'production';
  try {
    await verifyPersistence(app.backend, { production, allowNoPersistence: config.REDIS_ALLOW_NO_PERSISTENCE }, app.logger);
  } catch (error) {
    if (error instanceof AppError && error.code === 'STORE_NOT_PERSISTENT') {
      console.error(`The bot will not start: ${error.message}`);
      process.exit(4);
    }
    if (error instanceof AppError && error.code === 'STORE_UNAVAILABLE') {
      if (production) {
        console.error('The bot will not start: Redis (REDIS_URL) did not answer, so its persistence cannot be checked. Start Redis, then the bot.');
        process.exit(5);
      }
      app.logger.warn({ code: error.code }, 'Redis did not answer at start-up: persistence not checked; /readyz stays 503 until it answers');
    } else {
      throw error;
    }
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
