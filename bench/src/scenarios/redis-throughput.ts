import type { Measured } from '../measure.js';
import type { Scenario } from '../scenario.js';
import { formatRatio } from '../table.js';
import { withPrivateRedis } from './private-redis.js';
import {
  BULLMQ_WORKER_PROCESS,
  fusyncContender,
  fusyncOverRedis,
  fusyncOverRedisWorkerProcess,
  JOB_OPTIONS,
  measureRedisContenders,
  msPerItem,
  noopSequence,
  ratioTarget,
  rawBullmq,
  rawBullmqWorkerProcess,
  redisSuite,
  timingRow,
  verifyReport,
  WORKER_CONCURRENCY,
  WORKER_PROCESS,
} from './redis-suite.js';

const LAYERS = 5_000;
/** `--verify` checks that every contender finishes, on this many. */
const VERIFY_LAYERS = 300;
const TARGET_RATIO = 0.5;
const APART_TARGET_RATIO = 0.6;

const label = (layers: number): string =>
  `redis throughput: ${layers.toLocaleString('en-US')} independent no-op layers, c=${WORKER_CONCURRENCY}`;

/** The contender whose run may have only as many layers running as its worker has slots. */
const LIMITED = `${WORKER_PROCESS}, run concurrency ${WORKER_CONCURRENCY}`;

/**
 * Layers per second through the Redis backend (a sequence of independent
 * no-op layers with the engine's default run concurrency, one worker of
 * concurrency 50) against raw BullMQ jobs per second (`addBulk` of as many
 * empty jobs, one `Worker` of concurrency 50), both measured from the start
 * call to the last completion: once with the workers in this process, once
 * with them in another process on both sides (as deployed). A last row runs
 * the same sequence with run concurrency 50, workers apart: every layer then
 * waits for an outcome to reach the coordinator, which BullMQ's queue has no
 * counterpart of.
 */
export const redisThroughput: Scenario = {
  id: 'redis-throughput',
  suite: redisSuite,
  title: `${LAYERS} independent no-op layers through fusync/redis vs ${LAYERS} empty BullMQ jobs, worker concurrency ${WORKER_CONCURRENCY}, workers in this process and in another`,
  async run(context) {
    const layers = context.verify ? VERIFY_LAYERS : LAYERS;
    const LABEL = label(layers);
    const perSecond = (m: Measured): number => 1000 / msPerItem(m, layers);
    return withPrivateRedis(async (redis) => {
      const fusync = fusyncOverRedis(redis.url);
      const bullmq = rawBullmq(redis.url, 'bench-raw-throughput', async () => {});
      const remote = await fusyncOverRedisWorkerProcess(redis.url);
      const bullmqApart = await rawBullmqWorkerProcess(redis.url, 'bench-raw-apart', 'noop');
      const sequence = noopSequence('throughput', layers, 'independent');
      const limitedSequence = noopSequence('throughput', layers, 'independent', WORKER_CONCURRENCY);
      const jobs = Array.from({ length: layers }, (_, i) => ({
        name: 'empty',
        data: { i },
        opts: JOB_OPTIONS,
      }));
      const problems: string[] = [];
      try {
        const { ours, theirs, apart, theirsApart, extra } = await measureRedisContenders(
          context,
          {
            fusync,
            remote,
            async raw() {
              const done = bullmq.completions(layers);
              await bullmq.queue.addBulk(jobs);
              await done;
            },
            async rawApart() {
              const done = bullmqApart.completions(layers);
              await bullmqApart.queue.addBulk(jobs);
              await done;
            },
            extra: [fusyncContender(remote, limitedSequence, problems, LIMITED)],
          },
          sequence,
          problems,
        );
        const [limited] = extra as [Measured];
        if (context.verify)
          return verifyReport(LABEL, layers, [ours, theirs, apart, theirsApart, limited], problems);
        const row = (m: Measured) => timingRow(LABEL, layers, m);
        const ratio = perSecond(ours) / perSecond(theirs);
        const apartRatio = perSecond(apart) / perSecond(theirsApart);
        const rate = (m: Measured): string => Math.round(perSecond(m)).toLocaleString('en-US');
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
            row(theirsApart),
            {
              scenario: LABEL,
              runner: 'ratio (workers in other processes: fusync ÷ BullMQ)',
              'per second': apart.skip || theirsApart.skip ? '—' : formatRatio(apartRatio),
            },
            row(limited),
            {
              scenario: LABEL,
              runner: `ratio (run concurrency ${WORKER_CONCURRENCY}, workers in other processes: fusync ÷ BullMQ; no target)`,
              'per second':
                limited.skip || theirsApart.skip
                  ? '—'
                  : formatRatio(perSecond(limited) / perSecond(theirsApart)),
            },
          ],
          notes: [
            "Redis throughput: both from the call that submits the work (`RedisRunManager.start`, `Queue.addBulk`) to the last completion; jobs removed on completion on both sides; fusync's worker with its own lock settings (2 s lock, 1 s stalled check). Workers in this process: manager, worker and Redis clients here, fusync's worker handing outcomes to its coordinator directly, the end being the coordinator's `run:finished` and BullMQ's last `completed`.",
            `Workers in other processes (as deployed): fusync's coordinator is a \`RedisRunManager\` in this process — what \`fusync serve\` runs inside, without HTTP in the measured path — and its worker one \`fusync worker\` process of the built server (\`node apps/server/dist/cli.js worker\`, concurrency ${WORKER_CONCURRENCY}), outcomes going by mail; the end is the coordinator's \`run:finished\`. BullMQ's \`Queue\` is in this process and its \`Worker\` (concurrency ${WORKER_CONCURRENCY}) in another (\`bullmq-worker.mjs\`), which says over IPC when the last job has completed: BullMQ's end is taken in its worker, with no Redis hop back, fusync's in its coordinator.`,
            `The sequence has the engine's default run concurrency (none): at most ${WORKER_CONCURRENCY} layers run at once because the worker has ${WORKER_CONCURRENCY} slots, as for BullMQ's jobs. \`${LIMITED}\` runs it with \`concurrency: ${WORKER_CONCURRENCY}\`: the run then has no layer queued ahead, each one admitted only once an outcome has reached the coordinator (mail, log write, job) — a limit BullMQ's queue has no counterpart of, so that row has no target.`,
            ...problems,
          ],
          targets: [
            ratioTarget(
              `redis throughput: fusync/redis layers/s ≥ ${TARGET_RATIO}× raw BullMQ jobs/s (workers in this process)`,
              ours,
              theirs,
              ratio,
              (r) => r >= TARGET_RATIO,
              `${rate(ours)} layers/s vs ${rate(theirs)} jobs/s`,
              problems,
            ),
            ratioTarget(
              `redis throughput, workers in other processes: ${WORKER_PROCESS} layers/s ≥ ${APART_TARGET_RATIO}× ${BULLMQ_WORKER_PROCESS} jobs/s`,
              apart,
              theirsApart,
              apartRatio,
              (r) => r >= APART_TARGET_RATIO,
              `${rate(apart)} layers/s vs ${rate(theirsApart)} jobs/s`,
              problems,
            ),
          ],
        };
      } finally {
        await fusync.close();
        await bullmq.close();
        await remote.close();
        await bullmqApart.close();
      }
    });
  },
};
