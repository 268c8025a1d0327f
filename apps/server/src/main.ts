import { serveCommand } from './cli/serve-command.js';

/**
 * `node dist/main.js` (`pnpm start`): the Fusync server, configured by
 * environment variables — `HOST`, `PORT`, `FUSYNC_TOKEN`, `REDIS_URL`, … (see
 * `config.ts`).
 */
// Exit outright once closed: a client library may hold a timer the server no longer needs.
process.exit(await serveCommand(process.env));
