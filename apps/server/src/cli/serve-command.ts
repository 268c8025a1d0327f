import { RedisBackendUnavailableError } from '../backends/load-redis-backend.js';
import { ConfigError } from '../config.js';
import { jsonLinesLogger } from '../logger.js';
import { startServer } from '../server.js';

/**
 * Starts the server from `env` and keeps it up until SIGINT or SIGTERM, then
 * shuts down gracefully. Resolves to the process exit code.
 */
export async function serveCommand(
  env: NodeJS.ProcessEnv,
  stderr: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  const logger = jsonLinesLogger();
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(env, logger);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof RedisBackendUnavailableError) {
      stderr.write(`fusync serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  logger.info('listening', { url: server.url, queue: server.queue });
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info('shutting down', { signal });
  await server.close();
  return 0;
}
