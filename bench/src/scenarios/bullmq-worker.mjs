/**
 * Raw BullMQ's `Worker` in a process of its own, for the benchmarks that put
 * workers in other processes on both sides. Started with a JSON argument
 * `{ url, prefix, queue, concurrency, mode }`:
 *
 * - `mode: 'noop'`: every job does nothing;
 * - `mode: 'chain'`: a job `{ i, n }` adds `{ i: i + 1, n }` before it returns,
 *   while `i + 1 < n` (the chain decided in the worker).
 *
 * Prints `bullmq worker ready` once it takes jobs. The parent sends
 * `{ until: count }` over IPC; the worker answers `{ completed: count }` once
 * that many jobs have completed since it started.
 */
import { Queue, Worker } from 'bullmq';

const { url, prefix, queue: name, concurrency, mode } = JSON.parse(process.argv[2] ?? '{}');
const parsed = new URL(url);
const connection = { host: parsed.hostname, port: Number(parsed.port) };
const options = { connection, prefix };
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true };

const queue = mode === 'chain' ? new Queue(name, options) : undefined;
// Errors surface as jobs that never complete: the parent's wait names this process.
queue?.on('error', (error) => process.stderr.write(`bullmq queue: ${error.message}\n`));

let completed = 0;
let until = Number.POSITIVE_INFINITY;
const worker = new Worker(
  name,
  async (job) => {
    if (queue && job.data.i + 1 < job.data.n)
      await queue.add('step', { i: job.data.i + 1, n: job.data.n }, JOB_OPTIONS);
  },
  { ...options, concurrency },
);
worker.on('error', (error) => process.stderr.write(`bullmq worker: ${error.message}\n`));
worker.on('completed', () => {
  completed++;
  if (completed === until) process.send?.({ completed });
});
process.on('message', (message) => {
  until = message.until;
  if (completed >= until) process.send?.({ completed });
});
process.once('SIGTERM', async () => {
  await worker.close();
  await queue?.close();
  process.exit(0);
});
await worker.waitUntilReady();
process.stderr.write('bullmq worker ready\n');
