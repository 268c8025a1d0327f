import type { Scenario } from '../scenario.js';
import { browserBundle } from './browser-bundle.js';
import { fanOut } from './fan-out.js';
import { largeGraph } from './large-graph.js';
import { makespan } from './makespan.js';
import { overhead } from './overhead.js';
import { perRequest } from './per-request.js';
import { redisChain } from './redis-chain.js';
import { redisScaleOut } from './redis-scale-out.js';
import { redisThroughput } from './redis-throughput.js';
import { serverAdmission } from './server-admission.js';
import { serverRuns } from './server-runs.js';
import { wideListening } from './wide-listening.js';

/**
 * Every scenario, in print order. A new scenario (a server or Redis
 * benchmark, the studio in a browser) is one file here, with its own suite
 * when its columns differ; its table prints beside the engine's.
 */
export const scenarios: readonly Scenario[] = [
  overhead,
  fanOut,
  makespan,
  largeGraph,
  perRequest,
  wideListening,
  redisThroughput,
  redisChain,
  redisScaleOut,
  serverRuns,
  serverAdmission,
  browserBundle,
];
