import type { Measured } from '../measure.js';
import type { Scenario } from '../scenario.js';
import { formatRatio, type Target } from '../table.js';
import { withPrivateRedis } from './private-redis.js';
import {
  fusyncOverRedis,
  fusyncOverRedisWorkerProcess,
  JOB_OPTIONS,
  measureRedisContenders,
  msPerItem,
  noopSequence,
  rawBullmq,
  redisSuite,
  timingRow,
  verifyReport,
  WORKER_CONCURRENCY,
} from './redis-suite.js';

const LAYERS = 5_000;
const TARGET_RATIO = 0.5;
const LABEL = `redis throughput: ${LAYERS.toLocaleString('en-US')} independent no-op layers, c=${WORKER_CONCURRENCY}`;

const perSecond = (m: Measured): number => 1000 / msPerItem(m, LAYERS);

/**
 * Layers per second through the Redis backend (a sequence of independent
 * no-op layers, run concurrency 50, one worker of concurrency 50) against
 * raw BullMQ jobs per second (`addBulk` of as many empty jobs, one `Worker`
 * of concurrency 50), both measured from the start call to the last completion.
 */
export const redisThroughput: Scenario = {
  id: 'redis-throughput',
  suite: redisSuite,
  title: `${LAYERS} independent no-op layers through fusync/redis vs ${LAYERS} empty BullMQ jobs, worker concurrency ${WORKER_CONCURRENCY}`,
  async run(context) {
    return withPrivateRedis(async (redis) => {
      const fusync = fusyncOverRedis(redis.url);
      const bullmq = rawBullmq(redis.url, 'bench-raw-throughput', async () => {});
      const remote = await fusyncOverRedisWorkerProcess(redis.url);
      const sequence = noopSequence('throughput', LAYERS, 'independent');
      const jobs = Array.from({ length: LAYERS }, (_, i) => ({
        name: 'empty',
        data: { i },
        opts: JOB_OPTIONS,
      }));
      const problems: string[] = [];
      try {
        const { ours, theirs, apart } = await measureRedisContenders(
          context,
          {
            fusync,
            remote,
            async raw() {
              const done = bullmq.completions(LAYERS);
              await bullmq.queue.addBulk(jobs);
              await done;
            },
          },
          sequence,
          problems,
        );
        if (context.verify) return verifyReport(LABEL, LAYERS, [ours, theirs, apart], problems);
        const row = (m: Measured) => timingRow(LABEL, LAYERS, m);
        const ratio = perSecond(ours) / perSecond(theirs);
        const target: Target = {
          goal: `redis throughput: fusync/redis layers/s ≥ ${TARGET_RATIO}× raw BullMQ jobs/s`,
          measured:
            ours.skip || theirs.skip
              ? `no figures (${ours.skip ?? theirs.skip})`
              : `${formatRatio(ratio)} (${Math.round(perSecond(ours)).toLocaleString('en-US')} layers/s vs ${Math.round(perSecond(theirs)).toLocaleString('en-US')} jobs/s)`,
          pass:
            ours.skip || theirs.skip ? undefined : ratio >= TARGET_RATIO && problems.length === 0,
        };
        return {
          rows: [
            row(ours),
            row(theirs),
            {
              scenario: LABEL,
              runner: 'ratio (fusync ÷ BullMQ, per second)',
              'per second': formatRatio(ratio),
            },
            row(apart),
            {
              scenario: LABEL,
              runner: 'ratio (worker in another process ÷ BullMQ)',
              'per second':
                apart.skip || theirs.skip ? '—' : formatRatio(perSecond(apart) / perSecond(theirs)),
            },
          ],
          notes: [
            "Redis throughput: both from the call that submits the work (`RedisRunManager.start`, `Queue.addBulk`) to the last completion (fusync: the coordinator's `run:finished`; BullMQ: the worker's last `completed`), manager, worker and Redis client in this process (fusync's worker hands outcomes to its coordinator directly); the last fusync row has its worker in another process (`fusync worker`), outcomes going by mail, for comparison (no target); jobs removed on completion on both sides; fusync's worker with its own lock settings (2 s lock, 1 s stalled check).",
            ...problems,
          ],
          targets: [target],
        };
      } finally {
        await fusync.close();
        await bullmq.close();
        await remote.close();
      }
    });
  },
};
