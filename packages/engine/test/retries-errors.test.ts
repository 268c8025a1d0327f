import { describe, expect, it, vi } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerContext,
  LayerTimeoutError,
  type RunResult,
  VirtualClock,
} from '../src/index.js';
import {
  advanceClockTo,
  eventsOfType,
  settleOnClock,
  sleep,
  startOrder,
  untilAborted,
} from './helpers.js';

function layerOf(run: RunResult, name: string) {
  const layer = run.layers.find((candidate) => candidate.name === name);
  if (!layer) throw new Error(`no layer ${name} in the run`);
  return layer;
}

function statuses(run: RunResult): Record<string, string> {
  return Object.fromEntries(run.layers.map((layer) => [layer.name, layer.status]));
}

/** A layer function failing its first `failures` attempts after `ms`, then returning `value`. */
function flaky(clock: VirtualClock, failures: number, ms = 0, value: unknown = 'ok') {
  return vi.fn(async ({ attempt }: LayerContext) => {
    await sleep(clock, ms);
    if (attempt <= failures) throw new Error(`attempt ${attempt} failed`);
    return value;
  });
}

describe('retries', () => {
  it('retries a layer up to its own retries, overriding maxRetries', async () => {
    const clock = new VirtualClock(0);
    const own = flaky(clock, Number.POSITIVE_INFINITY);
    const inherited = flaky(clock, Number.POSITIVE_INFINITY);
    const none = flaky(clock, Number.POSITIVE_INFINITY);
    const sequence = new AdvancedSequenceBuilder({ maxRetries: 3 })
      .addLayer({ name: 'own', execute: own, retries: 1, onError: 'continue' })
      .addLayer({ name: 'inherited', execute: inherited, onError: 'continue' })
      .addLayer({ name: 'none', execute: none, retries: 0, onError: 'continue' });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(own).toHaveBeenCalledTimes(2);
    expect(inherited).toHaveBeenCalledTimes(4);
    expect(none).toHaveBeenCalledTimes(1);
    expect(layerOf(run, 'own').attempts).toHaveLength(2);
    expect(layerOf(run, 'inherited').attempts).toHaveLength(4);
    expect(layerOf(run, 'none').attempts).toHaveLength(1);
    expect(statuses(run)).toEqual({ own: 'failed', inherited: 'failed', none: 'failed' });
  });

  it('waits the layer retryDelay, overriding the sequence retryDelay', async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder({ maxRetries: 2, retryDelay: 100 })
      .addLayer({ name: 'quick', execute: flaky(clock, 2, 5), retryDelay: 10 })
      .addLayer({ name: 'slow', execute: flaky(clock, 2, 5) });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    const starts = (name: string) => layerOf(run, name).attempts.map((attempt) => attempt.start);
    expect(starts('quick')).toEqual([0, 15, 30]);
    expect(starts('slow')).toEqual([0, 105, 210]);
    const delays = eventsOfType(run.events, 'layer:retrying').map((e) => [e.layer, e.delayMs]);
    expect(delays).toEqual([
      ['quick', 10],
      ['slow', 100],
      ['quick', 10],
      ['slow', 100],
    ]);
    expect(run.status).toBe('succeeded');
  });

  it('records each attempt and each retry', async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder({ retryDelay: 3 }).addLayer({
      name: 'flaky',
      execute: flaky(clock, 2, 10, 'third time lucky'),
      retries: 5,
    });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    const layer = layerOf(run, 'flaky');
    expect(layer.status).toBe('succeeded');
    expect(run.results.flaky).toBe('third time lucky');
    expect(
      layer.attempts.map(({ attempt, start, end, outcome }) => ({ attempt, start, end, outcome })),
    ).toEqual([
      { attempt: 1, start: 0, end: 10, outcome: 'retrying' },
      { attempt: 2, start: 13, end: 23, outcome: 'retrying' },
      { attempt: 3, start: 26, end: 36, outcome: 'succeeded' },
    ]);
    expect(layer.attempts[0]?.error?.message).toBe('attempt 1 failed');
    const retrying = eventsOfType(run.events, 'layer:retrying');
    expect(retrying.map((e) => [e.attempt, e.error.message, e.delayMs])).toEqual([
      [1, 'attempt 1 failed', 3],
      [2, 'attempt 2 failed', 3],
    ]);
    expect(eventsOfType(run.events, 'layer:started').map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('frees the slot during a retry delay', async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder({ concurrency: 1 })
      .addLayer({
        name: 'flaky',
        execute: flaky(clock, 1, 5),
        retries: 1,
        retryDelay: 50,
        priority: 1,
      })
      .addLayer({ name: 'other', execute: flaky(clock, 0, 10) });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(layerOf(run, 'other').attempts[0]?.start).toBe(5);
    expect(layerOf(run, 'flaky').attempts.map((a) => a.start)).toEqual([0, 55]);
  });
});

describe('failures', () => {
  it('records a function that throws synchronously as a failed attempt, and retries it', async () => {
    let calls = 0;
    const run = await new AdvancedSequenceBuilder()
      .addLayer({
        name: 'sync',
        execute: () => {
          calls++;
          if (calls === 1) throw new RangeError('bad quantity');
          return 'fixed';
        },
        retries: 1,
      })
      .build();

    expect(run.status).toBe('succeeded');
    expect(run.results.sync).toBe('fixed');
    expect(layerOf(run, 'sync').attempts.map((a) => [a.outcome, a.error?.name])).toEqual([
      ['retrying', 'RangeError'],
      ['succeeded', undefined],
    ]);
  });

  it.each([
    ['a string', 'out of stock', 'out of stock'],
    ['a plain object', { reason: 'gone' }, '{"reason":"gone"}'],
  ])('records %s thrown by a layer as its error message', async (_, thrown, message) => {
    const run = await new AdvancedSequenceBuilder()
      .addLayer({
        name: 'throws',
        execute: async () => {
          throw thrown;
        },
      })
      .build();

    expect(run.status).toBe('failed');
    expect(run.errors.throws?.message).toBe(message);
  });
});

describe('error policy', () => {
  it('aborts the run on a failure by default: running layers see their signal abort, nothing else starts', async () => {
    const clock = new VirtualClock(0);
    let runningSignal: AbortSignal | undefined;
    const waiting = vi.fn(async () => 'never');
    const downstream = vi.fn(async () => 'never');
    const sequence = new AdvancedSequenceBuilder({ concurrency: 2 })
      .addLayer({
        name: 'failing',
        execute: async () => {
          await sleep(clock, 10);
          throw new Error('payment provider down');
        },
        priority: 2,
      })
      .addLayer({
        name: 'running',
        execute: async ({ signal }: LayerContext) => {
          runningSignal = signal;
          return untilAborted(signal);
        },
        priority: 1,
      })
      .addLayer({ name: 'waiting', execute: waiting })
      .addLayer({ name: 'downstream', execute: downstream, dependsOn: ['failing'] });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.status).toBe('failed');
    expect(statuses(run)).toEqual({
      failing: 'failed',
      running: 'cancelled',
      waiting: 'skipped',
      downstream: 'skipped',
    });
    expect(runningSignal?.aborted).toBe(true);
    expect(waiting).not.toHaveBeenCalled();
    expect(downstream).not.toHaveBeenCalled();
    expect(run.errors.failing?.message).toBe('payment provider down');
    expect(run.error?.message).toContain('payment provider down');
    expect(eventsOfType(run.events, 'layer:skipped').map((e) => [e.layer, e.reason])).toEqual([
      ['waiting', 'run-stopped'],
      ['downstream', 'run-stopped'],
    ]);
    expect(eventsOfType(run.events, 'run:finished')).toHaveLength(1);
  });

  it("with 'continue' skips the failed layer's downstream and lets independent branches finish", async () => {
    const clock = new VirtualClock(0);
    const skipped = { child: vi.fn(), grandchild: vi.fn(), both: vi.fn() };
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({
        name: 'failing',
        execute: async () => {
          await sleep(clock, 5);
          throw new Error('no stock');
        },
        onError: 'continue',
      })
      .addLayer({ name: 'child', execute: skipped.child, dependsOn: ['failing'] })
      .addLayer({ name: 'grandchild', execute: skipped.grandchild, dependsOn: ['child'] })
      .addLayer({ name: 'other', execute: flaky(clock, 0, 20, 'other done') })
      .addLayer({
        name: 'otherChild',
        execute: async (other: string) => {
          await sleep(clock, 20);
          return `${other}, child done`;
        },
        dependsOn: ['other'],
      })
      .addLayer({ name: 'both', execute: skipped.both, dependsOn: ['other', 'failing'] });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.status).toBe('failed');
    expect(statuses(run)).toEqual({
      failing: 'failed',
      child: 'skipped',
      grandchild: 'skipped',
      other: 'succeeded',
      otherChild: 'succeeded',
      both: 'skipped',
    });
    for (const fn of Object.values(skipped)) expect(fn).not.toHaveBeenCalled();
    for (const name of ['child', 'grandchild', 'both']) {
      expect(layerOf(run, name).skippedBecause).toBe('failing');
    }
    expect(
      eventsOfType(run.events, 'layer:skipped').map((e) => [e.layer, e.reason, e.because]),
    ).toEqual([
      ['child', 'upstream-failed', 'failing'],
      ['grandchild', 'upstream-failed', 'failing'],
      ['both', 'upstream-failed', 'failing'],
    ]);
    expect(run.results).toEqual({ other: 'other done', otherChild: 'other done, child done' });
    expect(Object.keys(run.errors)).toEqual(['failing']);
    expect(layerOf(run, 'otherChild').finishedAt).toBe(40);
  });

  it("aborts when a 'continue' layer's sibling with the default policy fails", async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'tolerated', execute: flaky(clock, 1, 1), onError: 'continue' })
      .addLayer({ name: 'fatal', execute: flaky(clock, 1, 2) })
      .addLayer({ name: 'later', execute: flaky(clock, 0, 1), dependsOn: ['tolerated'] })
      .addLayer({ name: 'afterFatal', execute: vi.fn(), dependsOn: ['fatal'] });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.status).toBe('failed');
    expect(layerOf(run, 'fatal').status).toBe('failed');
    expect(layerOf(run, 'afterFatal').status).toBe('skipped');
  });
});

describe('timeouts', () => {
  it('fails an attempt that runs past its timeout with LAYER_TIMEOUT and aborts its signal', async () => {
    const clock = new VirtualClock(0);
    let seen: AbortSignal | undefined;
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'slow',
      execute: async ({ signal }: LayerContext) => {
        seen = signal;
        return untilAborted(signal);
      },
      timeout: 50,
    });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.status).toBe('failed');
    expect(run.errors.slow).toMatchObject({ name: 'LayerTimeoutError', code: 'LAYER_TIMEOUT' });
    expect(run.errors.slow?.message).toContain('`slow`');
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(LayerTimeoutError);
    expect(layerOf(run, 'slow').attempts).toEqual([
      expect.objectContaining({ attempt: 1, start: 0, end: 50, outcome: 'failed' }),
    ]);
  });

  it('fails a layer that ignores its signal and never settles', async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder({ timeout: 30 }).addLayer({
      name: 'stuck',
      execute: () => new Promise(() => {}),
    });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.errors.stuck?.code).toBe('LAYER_TIMEOUT');
    expect(run.finishedAt).toBe(30);
  });

  it('counts a timeout as a failed attempt and retries it', async () => {
    const clock = new VirtualClock(0);
    const signals: AbortSignal[] = [];
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'sometimesSlow',
      execute: async ({ signal, attempt }: LayerContext) => {
        signals.push(signal);
        await sleep(clock, attempt === 1 ? 1_000 : 10);
        return `attempt ${attempt}`;
      },
      timeout: 100,
      retries: 1,
      retryDelay: 5,
    });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.status).toBe('succeeded');
    expect(run.results.sometimesSlow).toBe('attempt 2');
    const [first, second] = layerOf(run, 'sometimesSlow').attempts;
    expect(first).toMatchObject({
      start: 0,
      end: 100,
      outcome: 'retrying',
      error: { code: 'LAYER_TIMEOUT' },
    });
    expect(second).toMatchObject({ start: 105, end: 115, outcome: 'succeeded' });
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it("uses the sequence timeout for layers without their own, and the layer's own otherwise", async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder({ timeout: 20 })
      .addLayer({ name: 'inherits', execute: flaky(clock, 0, 50), onError: 'continue' })
      .addLayer({ name: 'own', execute: flaky(clock, 0, 50), timeout: 80, onError: 'continue' });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(statuses(run)).toEqual({ inherits: 'failed', own: 'succeeded' });
    expect(layerOf(run, 'inherits').finishedAt).toBe(20);
  });
  it('ignores what an attempt returns after it timed out', async () => {
    const clock = new VirtualClock(0);
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({
        name: 'late',
        execute: async () => {
          await sleep(clock, 100);
          return 'too late';
        },
        timeout: 40,
        onError: 'continue',
      })
      .addLayer({ name: 'after', execute: vi.fn(), dependsOn: ['late'] });

    const run = await settleOnClock(clock, sequence.build({}, { clock }));
    await settleOnClock(clock, sleep(clock, 200));

    expect(statuses(run)).toEqual({ late: 'failed', after: 'skipped' });
    expect(run.results).toEqual({});
    expect(eventsOfType(run.events, 'layer:succeeded')).toEqual([]);
    expect(eventsOfType(run.events, 'run:finished')).toHaveLength(1);
  });
});

describe('cancellation', () => {
  function cancellableSequence(clock: VirtualClock) {
    const seen: Record<string, AbortSignal> = {};
    const later = vi.fn(async () => 'never');
    const sequence = new AdvancedSequenceBuilder({ concurrency: 2 })
      .addLayer({ name: 'done', execute: flaky(clock, 0, 1, 'done') })
      .addLayer({
        name: 'running',
        execute: async ({ signal }: LayerContext) => {
          seen.running = signal;
          return untilAborted(signal);
        },
      })
      .addLayer({ name: 'later', execute: later, dependsOn: ['running'] });
    return { sequence, seen, later };
  }

  it('cancels a run through its handle: running signals abort, nothing else starts', async () => {
    const clock = new VirtualClock(0);
    const { sequence, seen, later } = cancellableSequence(clock);

    const handle = sequence.run({}, { clock });
    await advanceClockTo(clock, 10);
    handle.cancel('user pressed stop');
    const run = await handle.result;

    expect(run.status).toBe('cancelled');
    expect(statuses(run)).toEqual({ done: 'succeeded', running: 'cancelled', later: 'skipped' });
    expect(seen.running?.aborted).toBe(true);
    expect(later).not.toHaveBeenCalled();
    expect(run.results).toEqual({ done: 'done' });
    expect(run.finishedAt).toBe(10);
  });

  it('cancels a build through its AbortSignal', async () => {
    const clock = new VirtualClock(0);
    const { sequence, seen, later } = cancellableSequence(clock);
    const controller = new AbortController();

    const built = sequence.build({}, { clock, signal: controller.signal });
    await advanceClockTo(clock, 10);
    controller.abort();
    const run = await built;

    expect(run.status).toBe('cancelled');
    expect(statuses(run)).toEqual({ done: 'succeeded', running: 'cancelled', later: 'skipped' });
    expect(seen.running?.aborted).toBe(true);
    expect(later).not.toHaveBeenCalled();
  });

  it('cancels a layer waiting for its retry without another attempt', async () => {
    const clock = new VirtualClock(0);
    const retried = flaky(clock, Number.POSITIVE_INFINITY, 1);
    const handle = new AdvancedSequenceBuilder()
      .addLayer({ name: 'retried', execute: retried, retries: 3, retryDelay: 100 })
      .run({}, { clock });

    await advanceClockTo(clock, 50);
    handle.cancel();
    const run = await handle.result;

    expect(run.status).toBe('cancelled');
    expect(retried).toHaveBeenCalledTimes(1);
    expect(clock.pending).toBe(0);
  });

  it('runs no layer when the signal is already aborted', async () => {
    const clock = new VirtualClock(0);
    const first = vi.fn(async () => 1);
    const controller = new AbortController();
    controller.abort();

    const run = await settleOnClock(
      clock,
      new AdvancedSequenceBuilder()
        .addLayer({ name: 'first', execute: first })
        .build({}, { clock, signal: controller.signal }),
    );

    expect(run.status).toBe('cancelled');
    expect(first).not.toHaveBeenCalled();
    expect(startOrder(run.events)).toEqual([]);
    expect(layerOf(run, 'first').attempts).toEqual([]);
    expect(layerOf(run, 'first').status).toBe('skipped');
  });

  it('ignores a cancel after the run has finished', async () => {
    const clock = new VirtualClock(0);
    const handle = new AdvancedSequenceBuilder()
      .addLayer({ name: 'only', execute: flaky(clock, 0, 1) })
      .run({}, { clock });
    await advanceClockTo(clock, 5);
    const before = await handle.result;

    handle.cancel();

    expect(before.status).toBe('succeeded');
    expect(eventsOfType(before.events, 'run:finished')).toHaveLength(1);
  });
});
