/**
 * Five runs of 100,000 independent layers posted at once, while `/api/health`
 * is asked every 50 ms: how long the slowest health answer took.
 */

/** Layers of each posted run: half the server's 200,000-layer limit. */
export const LARGE_RUN_LAYERS = 100_000;

/** The body of a run of `layers` independent `wait` layers that wait a minute. */
export function largeRunBody(layers = LARGE_RUN_LAYERS): string {
  return JSON.stringify({
    sequence: {
      format: 'fusync.sequence',
      version: 1,
      name: 'wide',
      layers: Array.from({ length: layers }, (_, i) => ({
        name: `w${i}`,
        operation: 'wait',
        args: ['ms'],
      })),
    },
    input: { ms: 60_000 },
  });
}

export interface LargeRunsOutcome {
  /** Status of each POST. */
  statuses: number[];
  /** Every health answer's time in ms, in order. */
  health: number[];
  /** Every health status code. */
  healthStatuses: number[];
}

/** Posts `runs` large runs at once to `url` and times `/api/health` until they are all accepted. */
export async function postLargeRuns(
  url: string,
  runs = 5,
  layers = LARGE_RUN_LAYERS,
): Promise<LargeRunsOutcome & { lastAcceptedMs: number }> {
  const body = largeRunBody(layers);
  const health: number[] = [];
  const healthStatuses: number[] = [];
  let posting = true;
  const probe = (async () => {
    while (posting) {
      const started = performance.now();
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      health.push(performance.now() - started);
      healthStatuses.push(res.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const t0 = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: runs }, async () => {
      const res = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  const lastAcceptedMs = performance.now() - t0;
  posting = false;
  await probe;
  return { statuses, health, healthStatuses, lastAcceptedMs };
}
