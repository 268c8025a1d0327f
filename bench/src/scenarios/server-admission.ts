// The server's own test drives the same load, so both post the same runs the same way.
import { postLargeRuns } from '../../../apps/server/test-redis/large-runs.js';
import type { Scenario, Suite } from '../scenario.js';
import { formatMs, type Target } from '../table.js';
import { freePort, withPrivateRedis } from './private-redis.js';
import { assertServerBuilt, SERVER_DIST, start, stop, waitFor } from './server-process.js';

const RUNS = 5;
const LAYERS = 100_000;
/** The goal: however large the accepted runs, a health check answers within this. */
const HEALTH_GOAL_MS = 1000;

export const admissionSuite: Suite = {
  id: 'server-admission',
  title: `Server while large runs start: ${RUNS} runs of ${LAYERS.toLocaleString('en')} independent layers POSTed at once, \`/api/health\` asked every 50 ms (the built server)`,
  columns: [
    'mode',
    'accepted',
    'last accepted s',
    'health answers',
    'health p50 ms',
    'health max ms',
  ],
  verifyColumns: ['mode', 'accepted', 'check'],
};

interface Admission {
  accepted: number;
  lastAcceptedMs: number;
  health: number[];
}

async function admit(url: string, layers: number): Promise<Admission> {
  const outcome = await postLargeRuns(url, RUNS, layers);
  return {
    accepted: outcome.statuses.filter((status) => status === 202).length,
    lastAcceptedMs: outcome.lastAcceptedMs,
    health: outcome.health,
  };
}

async function measure(env: NodeJS.ProcessEnv, layers: number): Promise<Admission> {
  const server = start([`${SERVER_DIST}main.js`], {
    ...env,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    FUSYNC_STUDIO_DIR: 'studio-not-built',
    FUSYNC_SEQUENCES_DIR: 'memory',
    FUSYNC_BODY_LIMIT: String(20 * 1024 * 1024),
  });
  try {
    const [, url] = await waitFor(server, /"msg":"listening","url":"([^"]+)"/);
    return await admit(url as string, layers);
  } finally {
    await stop(server);
  }
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * What a server does while it accepts runs as large as its limits allow:
 * it must keep answering. Memory mode, and Redis mode with no worker in the
 * server process (the server coordinates; nothing runs, so this measures
 * admission alone).
 */
export const serverAdmission: Scenario = {
  id: 'server-admission',
  suite: admissionSuite,
  title: `${RUNS} runs of ${LAYERS} layers POSTed at once, health asked meanwhile`,
  async run(context) {
    assertServerBuilt();
    // --verify checks that every run is accepted, with smaller runs.
    const layers = context.verify ? 5_000 : LAYERS;
    const results: [string, Admission | Error][] = [];
    context.log('  memory mode');
    results.push(['memory', await measure({}, layers).catch((error: Error) => error)]);
    context.log('  redis mode');
    results.push([
      'redis (no worker in the server process)',
      await withPrivateRedis((redis) =>
        measure({ REDIS_URL: redis.url, FUSYNC_EMBEDDED_WORKER: 'false' }, layers),
      ).catch((error: Error) => error),
    ]);
    const rows = results.map(([mode, r]) =>
      r instanceof Error
        ? { mode, accepted: `failed: ${r.message}`, check: 'FAILED' }
        : {
            mode,
            accepted: `${r.accepted}/${RUNS}`,
            'last accepted s': (r.lastAcceptedMs / 1000).toFixed(2),
            'health answers': String(r.health.length),
            'health p50 ms': formatMs(median(r.health)),
            'health max ms': formatMs(Math.max(...r.health)),
            check: r.accepted === RUNS ? 'ok' : 'FAILED',
          },
    );
    const targets: Target[] = context.verify
      ? []
      : results.map(([mode, r]) => ({
          goal: `server admission, ${mode.split(' ')[0]} mode: /api/health answers within ${HEALTH_GOAL_MS} ms while ${RUNS} runs of ${LAYERS.toLocaleString('en')} layers start`,
          measured:
            r instanceof Error
              ? r.message
              : `slowest answer ${formatMs(Math.max(...r.health))} ms of ${r.health.length}; all ${r.accepted} accepted in ${(r.lastAcceptedMs / 1000).toFixed(2)} s`,
          pass:
            !(r instanceof Error) && r.accepted === RUNS && Math.max(...r.health) <= HEALTH_GOAL_MS,
        }));
    return {
      rows,
      notes: [
        `Server admission: the client (this process) POSTs ${RUNS} copies of a ${LAYERS.toLocaleString('en')}-layer sequence (independent \`wait\` layers of a minute, no concurrency limit; a 5 MB body each) at once, and asks \`/api/health\` every 50 ms until the last is accepted. Health latency: from \`fetch\` to the body read.`,
      ],
      targets,
    };
  },
};
