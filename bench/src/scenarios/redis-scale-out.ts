import { median } from '../measure.js';
import type { Scenario, ScenarioContext, Suite } from '../scenario.js';
import type { Target } from '../table.js';
import { freePort, withPrivateRedis } from './private-redis.js';
import {
  NOOP_OPERATIONS,
  noopSequence,
  startFusyncWorkers,
  WORKER_CONCURRENCY,
} from './redis-suite.js';
import {
  assertServerBuilt,
  type Child,
  SERVER_DIST,
  start,
  stop,
  waitFor,
} from './server-process.js';
import { timed } from './server-runs.js';

const RUNS = 20;
const SERVERS = 2;
const LAYERS_PER_RUN = 250;
const WORKER_COUNTS = [1, 2, 4] as const;
/** `--verify`: one burst of small runs with two workers. */
const VERIFY = { layers: 10, workerCounts: [2] } as const;
const POLL_PAUSE_MS = 20;

export const scaleOutSuite: Suite = {
  id: 'redis-scale-out',
  title: `Redis scale-out: ${RUNS} runs POSTed at once to ${SERVERS} built servers (\`node apps/server/dist/main.js\`, no embedded worker), layers run by \`fusync worker\` processes`,
  columns: [
    'worker processes',
    'server processes',
    'runs',
    'layers',
    'median s',
    'layers per second',
    'vs 1 worker',
    'bursts',
  ],
  verifyColumns: ['worker processes', 'server processes', 'runs', 'layers', 'check'],
};

/** Starts a built server coordinating over Redis (`FUSYNC_EMBEDDED_WORKER=false`); resolves to it and its URL. */
async function startServer(
  redisUrl: string,
  prefix: string,
): Promise<{ child: Child; url: string }> {
  const child = start([`${SERVER_DIST}main.js`], {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    REDIS_URL: redisUrl,
    FUSYNC_REDIS_PREFIX: prefix,
    FUSYNC_EMBEDDED_WORKER: 'false',
    FUSYNC_OPERATIONS: NOOP_OPERATIONS,
    FUSYNC_STUDIO_DIR: 'studio-not-built',
    FUSYNC_SEQUENCES_DIR: 'memory',
  });
  try {
    const [, url] = await waitFor(child, /"msg":"listening","url":"([^"]+)"/);
    return { child, url: url as string };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

interface Burst {
  ms: number;
  succeeded: number;
}

/**
 * POSTs RUNS runs at once, alternating between the servers, then polls each
 * run on the server that started it until none is running.
 */
async function burst(servers: readonly string[], layers: number): Promise<Burst> {
  const body = JSON.stringify({
    sequence: noopSequence('scale-out', layers, 'independent', WORKER_CONCURRENCY),
    input: {},
  });
  const t0 = performance.now();
  let pending = await Promise.all(
    Array.from({ length: RUNS }, async (_, i) => {
      const base = servers[i % servers.length] as string;
      const { body: started } = await timed(`${base}/api/runs`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      return `${base}/api/runs/${(started as { runId: string }).runId}`;
    }),
  );
  let succeeded = 0;
  while (pending.length > 0) {
    const views = await Promise.all(pending.map((url) => timed(url)));
    const still: string[] = [];
    views.forEach(({ body: view }, i) => {
      const status = (view as { status: string }).status;
      if (status === 'running') still.push(pending[i] as string);
      else if (status === 'succeeded') succeeded++;
    });
    pending = still;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
  }
  return { ms: performance.now() - t0, succeeded };
}

/** One configuration: `workers` worker processes and SERVERS servers on a fresh key prefix, `count` bursts after `warmups`. */
async function measureConfiguration(
  context: ScenarioContext,
  redisUrl: string,
  workers: number,
  layers: number,
  rounds: { warmups: number; count: number },
): Promise<Burst[]> {
  const prefix = `bench-scale-${workers}`;
  const stopWorkers = await startFusyncWorkers(redisUrl, prefix, workers);
  const servers: Child[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < SERVERS; i++) {
      const server = await startServer(redisUrl, prefix);
      servers.push(server.child);
      urls.push(server.url);
    }
    const bursts: Burst[] = [];
    for (let round = 0; round < rounds.warmups + rounds.count; round++) {
      const result = await burst(urls, layers);
      const warmup = round < rounds.warmups;
      context.log(
        `  ${warmup ? 'warm-up' : 'burst'} ${workers} worker${workers === 1 ? '' : 's'}: ${result.ms.toFixed(0)} ms, ${result.succeeded}/${RUNS} succeeded`,
      );
      if (!warmup) bursts.push(result);
    }
    return bursts;
  } finally {
    await Promise.all(servers.map((server) => stop(server)));
    await stopWorkers();
  }
}

/**
 * Scale-out as deployed: two server processes coordinating (no embedded
 * worker) and 1, 2 or 4 `fusync worker` processes (concurrency 50 each) on
 * one private redis-server; RUNS runs of independent no-op layers POSTed at
 * once, spread over both servers, timed from the first POST to the last run
 * seen finished.
 */
export const redisScaleOut: Scenario = {
  id: 'redis-scale-out',
  suite: scaleOutSuite,
  title: `${RUNS} runs of ${LAYERS_PER_RUN} no-op layers over ${SERVERS} server processes, with ${WORKER_COUNTS.join(', ')} worker processes`,
  async run(context) {
    assertServerBuilt();
    const layers = context.verify ? VERIFY.layers : LAYERS_PER_RUN;
    const counts: readonly number[] = context.verify ? VERIFY.workerCounts : WORKER_COUNTS;
    const rounds = context.verify
      ? { warmups: 0, count: 1 }
      : { warmups: 1, count: Math.min(3, context.plan.runs) };
    const results: [number, Burst[] | Error][] = [];
    await withPrivateRedis(async (redis) => {
      for (const workers of counts) {
        context.log(`  ${workers} worker process${workers === 1 ? '' : 'es'}`);
        results.push([
          workers,
          await measureConfiguration(context, redis.url, workers, layers, rounds).catch(
            (error: Error) => error,
          ),
        ]);
      }
    });
    const total = RUNS * layers;
    const allSucceeded = (r: Burst[] | Error): boolean =>
      !(r instanceof Error) && r.every((b) => b.succeeded === RUNS);
    const rate = (r: Burst[]): number => total / (median(r.map((b) => b.ms)) / 1000);
    const one = results.find(([workers]) => workers === 1)?.[1];
    const rows = results.map(([workers, r]) => {
      const base = {
        'worker processes': String(workers),
        'server processes': String(SERVERS),
        runs: String(RUNS),
        layers: total.toLocaleString('en-US'),
      };
      if (r instanceof Error)
        return { ...base, 'median s': `failed: ${r.message}`, check: 'FAILED' };
      return {
        ...base,
        'median s': (median(r.map((b) => b.ms)) / 1000).toFixed(2),
        'layers per second': Math.round(rate(r)).toLocaleString('en-US'),
        'vs 1 worker':
          one === undefined || one instanceof Error ? '—' : `${(rate(r) / rate(one)).toFixed(2)}×`,
        bursts: String(r.length),
        check: allSucceeded(r)
          ? 'ok'
          : `FAILED: ${r.map((b) => b.succeeded).join(', ')} of ${RUNS} succeeded`,
      };
    });
    const targets: Target[] = context.verify
      ? []
      : [
          {
            goal: `redis scale-out: every run of every burst succeeds with ${counts.join(', ')} worker processes and ${SERVERS} servers`,
            measured: results
              .map(([workers, r]) =>
                r instanceof Error
                  ? `${workers} workers: ${r.message}`
                  : `${workers} worker${workers === 1 ? '' : 's'}: ${Math.round(rate(r)).toLocaleString('en-US')} layers/s`,
              )
              .join('; '),
            pass: results.every(([, r]) => allSucceeded(r)),
          },
        ];
    return {
      rows,
      notes: [
        `Redis scale-out: per configuration a fresh key prefix, ${SERVERS} servers (\`node apps/server/dist/main.js\`, \`FUSYNC_EMBEDDED_WORKER=false\`, the \`noop\` operation) and that many \`fusync worker\` processes (concurrency ${WORKER_CONCURRENCY} each) on one private redis-server; each burst POSTs ${RUNS} runs of ${layers} independent no-op layers (run concurrency ${WORKER_CONCURRENCY}) at once, alternating between the servers (each coordinates the runs it started), then polls every unfinished run (GET /api/runs/:id, ${POLL_PAUSE_MS} ms apart) until none is running; one warm-up burst, the median of the others.`,
        `On ${SERVERS} server processes, up to 4 worker processes, redis-server and this client all share the machine's cores: with 2 cores the processes take turns, so more workers cannot add throughput there and mostly show what the extra processes cost; the row shows the scheduling holds with several workers and servers, not how far a deployment with a core per process scales.`,
      ],
      targets,
    };
  },
};
