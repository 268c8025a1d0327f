import { type Contender, interleave, type Measured, median } from '../measure.js';
import type { Scenario } from '../scenario.js';
import { formatMs, formatRatio, type Target } from '../table.js';
import { withPrivateRedis } from './private-redis.js';
import {
  fusyncOverRedis,
  JOB_OPTIONS,
  noopSequence,
  rawBullmq,
  redisSuite,
} from './redis-suite.js';

const STEPS = 1_000;
const TARGET_RATIO = 2;
const LABEL = `redis dependency step: ${STEPS.toLocaleString('en-US')}-layer chain of no-op layers`;
const QUEUE = 'bench-raw-chain';

const perStep = (m: Measured): number => median(m.times) / STEPS;

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
      const sequence = noopSequence('chain', STEPS, 'chain');
      const problems: string[] = [];
      const contenders: Contender[] = [
        {
          name: 'fusync/redis',
          async run() {
            const outcome = await fusync.run(sequence);
            if (outcome.status !== 'succeeded' || outcome.succeeded !== STEPS)
              problems.push(
                `fusync/redis: ${outcome.status}, ${outcome.succeeded} layers succeeded`,
              );
          },
        },
        {
          name: 'raw BullMQ',
          async run() {
            const done = bullmq.completions(STEPS);
            await bullmq.queue.add('step', { i: 0 }, JOB_OPTIONS);
            await done;
          },
        },
      ];
      try {
        const plan = context.verify ? { ...context.plan, warmups: 0, runs: 1 } : context.plan;
        const [ours, theirs] = (await interleave(contenders, {
          plan,
          onProgress: (line) => context.log(`  ${line}`),
        })) as [Measured, Measured];
        if (context.verify) {
          return {
            rows: [ours, theirs].map((m) => ({
              scenario: LABEL,
              runner: m.name,
              items: String(STEPS),
              check: m.skip ?? (problems.some((p) => p.startsWith(m.name)) ? 'FAILED' : 'ok'),
            })),
            notes: problems,
            targets: [],
          };
        }
        const row = (m: Measured) => ({
          scenario: LABEL,
          runner: m.name,
          items: STEPS.toLocaleString('en-US'),
          'median ms': m.skip ?? formatMs(median(m.times)),
          'per second': m.skip ? '—' : Math.round(1000 / perStep(m)).toLocaleString('en-US'),
          'ms per item': m.skip ? '—' : perStep(m).toFixed(3),
          runs: String(m.times.length),
        });
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
          ],
          notes: [
            `Redis dependency step: total time of the chain ÷ ${STEPS}; fusync: \`RedisRunManager.start\` to \`run:finished\`, each step being worker outcome → coordinator → next job; BullMQ: first \`add\` to the last \`completed\`, the processor adding the next job before it returns.`,
            ...problems,
          ],
          targets: [target],
        };
      } finally {
        await fusync.close();
        await bullmq.close();
      }
    });
  },
};
