/**
 * Each attempt's `signal`: its own, made when the layer first reads it, and
 * aborted exactly when the README says — on the attempt's timeout, on a
 * cancel, on an `abort` policy elsewhere — however many layers listen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerContext,
  LayerTimeoutError,
  RunCancelledError,
  VirtualClock,
} from '../src/index.js';
import { settleOnClock, sleep, untilAborted } from './helpers.js';

const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};
process.on('warning', onWarning);
afterEach(() => {
  warnings.length = 0;
});

describe("a layer's signal", () => {
  it('aborts with a LayerTimeoutError when its attempt times out', async () => {
    const clock = new VirtualClock(0);
    let seen: AbortSignal | undefined;
    const run = await settleOnClock(
      clock,
      new AdvancedSequenceBuilder()
        .addLayer({
          name: 'slow',
          timeout: 50,
          execute: ({ signal }: LayerContext) => {
            seen = signal;
            return untilAborted(signal);
          },
        })
        .build({}, { clock }),
    );
    expect(run.status).toBe('failed');
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(LayerTimeoutError);
  });

  it('aborts every running layer on cancel, and no finished one', async () => {
    const clock = new VirtualClock(0);
    const signals: Record<string, AbortSignal> = {};
    const listening = (name: string, ms?: number) => ({
      name,
      execute: async ({ signal }: LayerContext) => {
        signals[name] = signal;
        if (ms !== undefined) return sleep(clock, ms);
        return untilAborted(signal);
      },
    });
    const handle = new AdvancedSequenceBuilder()
      .addLayer(listening('quick', 1))
      .addLayer(listening('stuck'))
      .addLayer({ ...listening('timed'), timeout: 10_000 })
      .run({}, { clock });
    clock.setTimeout(() => handle.cancel(), 5);
    const run = await settleOnClock(clock, handle.result);
    expect(run.status).toBe('cancelled');
    expect(signals.stuck?.reason).toBeInstanceOf(RunCancelledError);
    expect(signals.timed?.reason).toBeInstanceOf(RunCancelledError);
    expect(signals.quick?.aborted).toBe(false);
  });

  it("aborts running layers when another layer's failure aborts the run", async () => {
    let stuck: AbortSignal | undefined;
    const run = await new AdvancedSequenceBuilder()
      .addLayer({
        name: 'stuck',
        execute: ({ signal }: LayerContext) => {
          stuck = signal;
          return untilAborted(signal);
        },
      })
      .addLayer({
        name: 'broken',
        execute: async () => {
          await Promise.resolve();
          throw new Error('broken');
        },
      })
      .build();
    expect(run.status).toBe('failed');
    expect(stuck?.aborted).toBe(true);
    expect(run.layers[0]?.status).toBe('cancelled');
  });

  it('is the same signal on every read of one attempt, a new one for each retry', async () => {
    const reads: AbortSignal[][] = [];
    await new AdvancedSequenceBuilder()
      .addLayer({
        name: 'flaky',
        retries: 1,
        execute: async (context: LayerContext) => {
          reads.push([context.signal, context.signal, { ...context }.signal]);
          if (context.attempt === 1) throw new Error('once');
        },
      })
      .build();
    expect(reads).toHaveLength(2);
    expect(new Set(reads[0]).size).toBe(1);
    expect(reads[1]?.[0]).not.toBe(reads[0]?.[0]);
  });

  it('is already aborted when first read after the run stopped', async () => {
    let late: LayerContext | undefined;
    const run = await new AdvancedSequenceBuilder()
      .addLayer({
        name: 'ignores',
        execute: (context: LayerContext) => {
          late = context;
          return new Promise(() => {});
        },
      })
      .addLayer({ name: 'broken', execute: async () => Promise.reject(new Error('broken')) })
      .build();
    expect(run.status).toBe('failed');
    expect(late?.signal.aborted).toBe(true);
    expect(late?.signal.reason).toBeInstanceOf(RunCancelledError);
  });

  it('lets 5,000 running layers each listen without a MaxListeners warning, and aborts them all', async () => {
    const builder = new AdvancedSequenceBuilder();
    const aborted: boolean[] = [];
    let listening = 0;
    let allListening!: () => void;
    const everyLayerListens = new Promise<void>((resolve) => {
      allListening = resolve;
    });
    for (let i = 0; i < 5000; i++) {
      builder.addLayer({
        name: `l${i}`,
        execute: ({ signal }: LayerContext) =>
          new Promise((_, reject) => {
            if (++listening === 5000) allListening();
            signal.addEventListener('abort', () => {
              aborted.push(true);
              reject(signal.reason);
            });
          }),
      });
    }
    const handle = builder.run();
    // They start a slice per turn of the event loop.
    await everyLayerListens;
    handle.cancel();
    const run = await handle.result;
    expect(run.status).toBe('cancelled');
    expect(aborted).toHaveLength(5000);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
      [],
    );
  });
});
