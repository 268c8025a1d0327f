import { ConfigError } from './config.js';
import { jsonLinesLogger } from './logger.js';
import { RedisBackendUnavailableError } from './backends/load-redis-backend.js';
import { startServer } from './server.js';

/**
 * `node dist/main.js`: the Fusync server, configured by environment variables
 * (`HOST`, `PORT`, `FUSYNC_TOKEN`, `REDIS_URL`, … — see `config.ts`).
 */
const logger = jsonLinesLogger();

try {
  const server = await startServer(process.env, logger);
  logger.info('listening', { url: server.url, queue: server.queue });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { message: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  const expected = error instanceof ConfigError || error instanceof RedisBackendUnavailableError;
  process.stderr.write(`fusync server: ${expected ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
}
