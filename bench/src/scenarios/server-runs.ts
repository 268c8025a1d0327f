import { orderSequence } from '@fusync/demo';
import type { Scenario, Suite } from '../scenario.js';
import { formatMs, type Target } from '../table.js';
import { freePort, withPrivateRedis } from './private-redis.js';
import {
  assertServerBuilt,
  type Child,
  SERVER_DIST,
  start,
  stop,
  waitFor,
} from './server-process.js';

const RUNS = 200;
const POLL_PAUSE_MS = 50;

export const serverSuite: Suite = {
  id: 'server',
  title: `Server: ${RUNS} runs submitted at once over HTTP (the built server, \`node apps/server/dist/main.js\`)`,
  columns: [
    'mode',
    'runs',
    'succeeded',
    'wall s',
    'POST p50 ms',
    'POST p99 ms',
    'GET p50 ms',
    'GET p99 ms',
    'GETs',
  ],
  verifyColumns: ['mode', 'runs', 'succeeded', 'check'],
};

/** The README's order sequence: five layers, 100–150 ms of simulated latency each. */
const ORDER = {
  sequence: { ...orderSequence(), name: 'order' },
  input: { productId: 'sku-1', quantity: 2, customerId: 'cust-1' },
};

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function timed(
  url: string,
  init?: RequestInit,
): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = await res.json();
  const ms = performance.now() - t0;
  if (!res.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

interface Load {
  succeeded: number;
  wallMs: number;
  posts: number[];
  gets: number[];
}

/** Submits RUNS runs at once, then polls each with GET /api/runs/:id until every one has finished. */
async function load(base: string): Promise<Load> {
  const t0 = performance.now();
  const body = JSON.stringify(ORDER);
  const posted = await Promise.all(
    Array.from({ length: RUNS }, () =>
      timed(`${base}/api/runs`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }),
    ),
  );
  const posts = posted.map((p) => p.ms);
  let pending = posted.map((p) => (p.body as { runId: string }).runId);
  const gets: number[] = [];
  let succeeded = 0;
  while (pending.length > 0) {
    const views = await Promise.all(pending.map((id) => timed(`${base}/api/runs/${id}`)));
    const still: string[] = [];
    views.forEach(({ ms, body: view }, i) => {
      gets.push(ms);
      const status = (view as { status: string }).status;
      if (status === 'running') still.push(pending[i] as string);
      else if (status === 'succeeded') succeeded++;
    });
    pending = still;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
  }
  return { succeeded, wallMs: performance.now() - t0, posts, gets };
}

async function measureServer(env: NodeJS.ProcessEnv, worker: string | undefined): Promise<Load> {
  const children: Child[] = [];
  try {
    if (worker) {
      const child = start([`${SERVER_DIST}cli.js`, 'worker', '--redis', worker], env);
      children.push(child);
      await waitFor(child, /fusync worker \S+ started/);
    }
    const server = start([`${SERVER_DIST}main.js`], {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
    });
    children.push(server);
    const [, url] = await waitFor(server, /"msg":"listening","url":"([^"]+)"/);
    return await load(url as string);
  } finally {
    for (const child of children.reverse()) await stop(child);
  }
}

/**
 * The real built server under a burst: RUNS order sequences POSTed at once,
 * then every run polled with GET /api/runs/:id until all have finished. In
 * memory mode (layers in the server process) and in Redis mode (a private
 * redis-server, the server coordinating, one worker process running layers).
 */
export const serverRuns: Scenario = {
  id: 'server-runs',
  suite: serverSuite,
  title: `${RUNS} order runs POSTed at once to the built server, memory and Redis mode`,
  async run(context) {
    assertServerBuilt();
    const base = { FUSYNC_STUDIO_DIR: 'studio-not-built', FUSYNC_SEQUENCES_DIR: 'memory' };
    const results: [string, Load | Error][] = [];
    context.log('  memory mode');
    results.push([
      'memory (layers in the server process)',
      await measureServer(base, undefined).catch((error: Error) => error),
    ]);
    context.log('  redis mode');
    results.push([
      'redis (server + 1 worker process, concurrency 50)',
      await withPrivateRedis((redis) =>
        measureServer({ ...base, REDIS_URL: redis.url }, redis.url),
      ).catch((error: Error) => error),
    ]);

    const rows = results.map(([mode, r]) =>
      r instanceof Error
        ? { mode, runs: String(RUNS), succeeded: `failed: ${r.message}`, check: 'FAILED' }
        : {
            mode,
            runs: String(RUNS),
            succeeded: String(r.succeeded),
            'wall s': (r.wallMs / 1000).toFixed(2),
            'POST p50 ms': formatMs(percentile(r.posts, 50)),
            'POST p99 ms': formatMs(percentile(r.posts, 99)),
            'GET p50 ms': formatMs(percentile(r.gets, 50)),
            'GET p99 ms': formatMs(percentile(r.gets, 99)),
            GETs: String(r.gets.length),
            check: r.succeeded === RUNS ? 'ok' : 'FAILED',
          },
    );
    const targets: Target[] = context.verify
      ? []
      : results.map(([mode, r]) => ({
          goal: `server, ${mode.split(' ')[0]} mode: all ${RUNS} runs submitted at once complete and succeed`,
          measured:
            r instanceof Error
              ? r.message
              : `${r.succeeded}/${RUNS} succeeded in ${(r.wallMs / 1000).toFixed(2)} s; POST p50 ${formatMs(percentile(r.posts, 50))} ms, p99 ${formatMs(percentile(r.posts, 99))} ms; GET p50 ${formatMs(percentile(r.gets, 50))} ms, p99 ${formatMs(percentile(r.gets, 99))} ms`,
          pass: !(r instanceof Error) && r.succeeded === RUNS,
        }));
    return {
      rows,
      notes: [
        `Server: one measured burst per mode. The client (this process) POSTs ${RUNS} copies of the seed's order sequence (five layers, 100–150 ms simulated latency each, run concurrency 3) at once over separate connections, then GETs every unfinished run at once, pausing ${POLL_PAUSE_MS} ms between rounds, until none is running. Latency: from \`fetch\` to the parsed JSON body. \`wall s\`: first POST to the last run seen finished.`,
      ],
      targets,
    };
  },
};
