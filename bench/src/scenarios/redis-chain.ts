import type { Measured } from '../measure.js';
import type { Scenario } from '../scenario.js';
import { formatRatio } from '../table.js';
import { withPrivateRedis } from './private-redis.js';
import {
  BULLMQ_WORKER_PROCESS,
  fusyncOverRedis,
  fusyncOverRedisWorkerProcess,
  JOB_OPTIONS,
  measureRedisContenders,
  msPerItem,
  noopSequence,
  type RawBullmqApart,
  ratioTarget,
  rawBullmq,
  rawBullmqWorkerProcess,
  redisSuite,
  timingRow,
  verifyReport,
  WORKER_PROCESS,
} from './redis-suite.js';

const STEPS = 1_000;
/** `--verify` checks that every contender finishes, on this many. */
const VERIFY_STEPS = 60;
const TARGET_RATIO = 2;
const APART_TARGET_RATIO = 1.5;
const QUEUE = 'bench-raw-chain';
const IN_WORKER = 'raw BullMQ, worker in another process, each job adding the next';

const label = (steps: number): string =>
  `redis dependency step: ${steps.toLocaleString('en-US')}-layer chain of no-op layers`;

/**
 * A chain of BullMQ jobs driven from this process, as a coordinator drives
 * one: each job added once BullMQ's `QueueEvents` report the one before
 * completed (its worker in another process).
 */
function chainFromHere(bullmq: RawBullmqApart, steps: number): () => Promise<void> {
  let runs = 0;
  return () => {
    const run = runs++;
    const jobId = (i: number): string => `chain-${run}-${i}`;
    return new Promise<void>((resolve, reject) => {
      let step = 0;
      const onCompleted = ({ jobId: completed }: { jobId: string }): void => {
        if (completed !== jobId(step)) return;
        step++;
        if (step === steps) {
          bullmq.events.off('completed', onCompleted);
          resolve();
          return;
        }
        bullmq.queue.add('step', { i: step }, { ...JOB_OPTIONS, jobId: jobId(step) }).catch(reject);
      };
      bullmq.events.on('completed', onCompleted);
      bullmq.queue.add('step', { i: 0 }, { ...JOB_OPTIONS, jobId: jobId(0) }).catch(reject);
    });
  };
}

/**
 * Latency of one dependency step: a chain of no-op layers through the Redis
 * backend (each layer queued only once the one before has succeeded) against
 * as many BullMQ jobs, each added by the previous one's processor (workers in
 * this process) or once the previous one has completed (workers in another
 * process, on both sides).
 */
export const redisChain: Scenario = {
  id: 'redis-chain',
  suite: redisSuite,
  title: `${STEPS}-layer chain through fusync/redis vs ${STEPS} chained BullMQ jobs, workers in this process and in another`,
  async run(context) {
    const steps = context.verify ? VERIFY_STEPS : STEPS;
    const LABEL = label(steps);
    const perStep = (m: Measured): number => msPerItem(m, steps);
    return withPrivateRedis(async (redis) => {
      const fusync = fusyncOverRedis(redis.url);
      const bullmq = rawBullmq(redis.url, QUEUE, async (queue, data) => {
        if (data.i + 1 < steps) await queue.add('step', { i: data.i + 1 }, JOB_OPTIONS);
      });
      const remote = await fusyncOverRedisWorkerProcess(redis.url);
      const bullmqApart = await rawBullmqWorkerProcess(redis.url, `${QUEUE}-apart`, 'noop');
      const bullmqInWorker = await rawBullmqWorkerProcess(redis.url, `${QUEUE}-in-worker`, 'chain');
      const sequence = noopSequence('chain', steps, 'chain');
      const problems: string[] = [];
      try {
        const { ours, theirs, apart, theirsApart, extra } = await measureRedisContenders(
          context,
          {
            fusync,
            remote,
            async raw() {
              const done = bullmq.completions(steps);
              await bullmq.queue.add('step', { i: 0 }, JOB_OPTIONS);
              await done;
            },
            rawApart: chainFromHere(bullmqApart, steps),
            extra: [
              {
                name: IN_WORKER,
                async run() {
                  const done = bullmqInWorker.completions(steps);
                  await bullmqInWorker.queue.add('step', { i: 0, n: steps }, JOB_OPTIONS);
                  await done;
                },
              },
            ],
          },
          sequence,
          problems,
        );
        const inWorker = extra[0] as Measured;
        if (context.verify)
          return verifyReport(LABEL, steps, [ours, theirs, apart, theirsApart, inWorker], problems);
        const row = (m: Measured) => timingRow(LABEL, steps, m);
        const ratio = perStep(ours) / perStep(theirs);
        const apartRatio = perStep(apart) / perStep(theirsApart);
        const ms = (m: Measured): string => `${perStep(m).toFixed(3)} ms`;
        const ratioRow = (runner: string, a: Measured, b: Measured) => ({
          scenario: LABEL,
          runner,
          'ms per item': a.skip || b.skip ? '—' : formatRatio(perStep(a) / perStep(b)),
        });
        return {
          rows: [
            row(ours),
            row(theirs),
            ratioRow('ratio (fusync ÷ BullMQ, ms per step)', ours, theirs),
            row(apart),
            row(theirsApart),
            ratioRow('ratio (workers in other processes: fusync ÷ BullMQ)', apart, theirsApart),
            row(inWorker),
            ratioRow('ratio (fusync, worker in another process ÷ the row above)', apart, inWorker),
          ],
          notes: [
            `Redis dependency step: total time of the chain ÷ ${steps}. fusync: \`RedisRunManager.start\` to \`run:finished\`, each step being worker outcome → coordinator → log write and next job → a worker fetching it. Workers in this process: fusync's worker hands outcomes to its coordinator directly; BullMQ's processor adds the next job before it returns (first \`add\` to the last \`completed\`).`,
            `Workers in other processes (as deployed): fusync's coordinator is a \`RedisRunManager\` in this process (what \`fusync serve\` runs inside, without HTTP), its worker one \`fusync worker\` process, outcomes going by mail. \`${BULLMQ_WORKER_PROCESS}\`: its \`Worker\` in another process, this process adding each job once BullMQ's \`QueueEvents\` report the one before completed — a coordinator deciding the next step, as fusync's does (the target's basis). \`${IN_WORKER}\`: the processor adds the next job before it returns, the chain decided in the worker, for comparison (no target).`,
            ...problems,
          ],
          targets: [
            ratioTarget(
              `redis dependency step: fusync/redis ms per step ≤ ${TARGET_RATIO}× a BullMQ job adding the next (workers in this process)`,
              ours,
              theirs,
              ratio,
              (r) => r <= TARGET_RATIO,
              `${ms(ours)} vs ${ms(theirs)} per step`,
              problems,
            ),
            ratioTarget(
              `redis dependency step, workers in other processes: ${WORKER_PROCESS} ms per step ≤ ${APART_TARGET_RATIO}× ${BULLMQ_WORKER_PROCESS}, each job added when the one before completes`,
              apart,
              theirsApart,
              apartRatio,
              (r) => r <= APART_TARGET_RATIO,
              `${ms(apart)} vs ${ms(theirsApart)} per step; ${formatRatio(perStep(apart) / perStep(inWorker))} a chain decided in BullMQ's worker, ${ms(inWorker)}`,
              problems,
            ),
          ],
        };
      } finally {
        await fusync.close();
        await bullmq.close();
        await remote.close();
        await bullmqApart.close();
        await bullmqInWorker.close();
      }
    });
  },
};
