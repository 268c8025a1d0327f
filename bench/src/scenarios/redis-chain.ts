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
} from './redis-suite.js';

const STEPS = 1_000;
const TARGET_RATIO = 2;
const LABEL = `redis dependency step: ${STEPS.toLocaleString('en-US')}-layer chain of no-op layers`;
const QUEUE = 'bench-raw-chain';

const perStep = (m: Measured): number => msPerItem(m, STEPS);

/**
 * Latency of one dependency step: a chain of no-op layers through the Redis
 * backend (each layer queued only once the one before has succeeded) against
 * a BullMQ job whose processor adds the next job, as many steps.
 */
export const redisChain: Scenario = {
  id: 'redis-chain',
  suite: redisSuite,
  title: `${STEPS}-layer chain through fusync/redis vs ${STEPS} BullMQ jobs each added by the previous one's processor`,
  async run(context) {
    return withPrivateRedis(async (redis) => {
      const fusync = fusyncOverRedis(redis.url);
      const bullmq = rawBullmq(redis.url, QUEUE, async (queue, data) => {
        if (data.i + 1 < STEPS) await queue.add('step', { i: data.i + 1 }, JOB_OPTIONS);
      });
      const remote = await fusyncOverRedisWorkerProcess(redis.url);
      const sequence = noopSequence('chain', STEPS, 'chain');
      const problems: string[] = [];
      try {
        const { ours, theirs, apart } = await measureRedisContenders(
          context,
          {
            fusync,
            remote,
            async raw() {
              const done = bullmq.completions(STEPS);
              await bullmq.queue.add('step', { i: 0 }, JOB_OPTIONS);
              await done;
            },
          },
          sequence,
          problems,
        );
        if (context.verify) return verifyReport(LABEL, STEPS, [ours, theirs, apart], problems);
        const row = (m: Measured) => timingRow(LABEL, STEPS, m);
        const ratio = perStep(ours) / perStep(theirs);
        const target: Target = {
          goal: `redis dependency step: fusync/redis ms per step ≤ ${TARGET_RATIO}× a BullMQ job adding the next`,
          measured:
            ours.skip || theirs.skip
              ? `no figures (${ours.skip ?? theirs.skip})`
              : `${formatRatio(ratio)} (${perStep(ours).toFixed(3)} ms vs ${perStep(theirs).toFixed(3)} ms per step)`,
          pass:
            ours.skip || theirs.skip ? undefined : ratio <= TARGET_RATIO && problems.length === 0,
        };
        return {
          rows: [
            row(ours),
            row(theirs),
            {
              scenario: LABEL,
              runner: 'ratio (fusync ÷ BullMQ, ms per step)',
              'ms per item': formatRatio(ratio),
            },
            row(apart),
            {
              scenario: LABEL,
              runner: 'ratio (worker in another process ÷ BullMQ)',
              'ms per item':
                apart.skip || theirs.skip ? '—' : formatRatio(perStep(apart) / perStep(theirs)),
            },
          ],
          notes: [
            `Redis dependency step: total time of the chain ÷ ${STEPS}; fusync: \`RedisRunManager.start\` to \`run:finished\`, each step being worker outcome → coordinator (handed over in this process) → log write and next job → the worker fetching it as it completes the last; the last fusync row has its worker in another process (\`fusync worker\`), outcomes going by mail (no target); BullMQ: first \`add\` to the last \`completed\`, the processor adding the next job before it returns.`,
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
