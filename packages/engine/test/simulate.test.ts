import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  AdvancedSequenceBuilder,
  criticalPath,
  type LayerFunction,
  simulate,
} from '../src/index.js';
import { eventsOfType, maxRunning } from './helpers.js';

const durations: Record<string, number> = {
  checkInventory: 200,
  validateCustomer: 250,
  reserveInventory: 200,
  createOrder: 250,
  processPayment: 300,
};

function orderSequence(execute: LayerFunction = vi.fn()): AdvancedSequenceBuilder {
  return new AdvancedSequenceBuilder({ concurrency: 5 })
    .addLayer({ name: 'checkInventory', execute, priority: 1 })
    .addLayer({ name: 'validateCustomer', execute, priority: 1 })
    .addLayer({ name: 'reserveInventory', execute, dependsOn: ['checkInventory'], priority: 2 })
    .addLayer({
      name: 'createOrder',
      execute,
      dependsOn: ['validateCustomer', 'reserveInventory'],
      priority: 3,
    })
    .addLayer({ name: 'processPayment', execute, dependsOn: ['createOrder'], priority: 4 });
}

const durationOf = (name: string) => durations[name] ?? 0;
const total = Object.values(durations).reduce((sum, ms) => sum + ms, 0);

/** Longest path through the DAG weighted by duration, computed here independently of the engine. */
function longestPath(
  layers: readonly { name: string; dependsOn: readonly string[] }[],
  ms: (name: string) => number,
) {
  const finish = new Map<string, number>();
  const visit = (name: string): number => {
    const known = finish.get(name);
    if (known !== undefined) return known;
    const layer = layers.find((candidate) => candidate.name === name);
    const before = Math.max(0, ...(layer?.dependsOn ?? []).map(visit));
    const value = before + ms(name);
    finish.set(name, value);
    return value;
  };
  return Math.max(0, ...layers.map((layer) => visit(layer.name)));
}

describe('simulate', () => {
  it('previews a run without calling any layer function', () => {
    const execute = vi.fn(async () => 'ran');

    const preview = simulate(orderSequence(execute), { durationOf });

    expect(execute).not.toHaveBeenCalled();
    expect(preview.status).toBe('succeeded');
    expect(preview).not.toBeInstanceOf(Promise);
    expect(preview.layers.every((layer) => layer.status === 'succeeded')).toBe(true);
  });

  it('is deterministic', () => {
    const sequence = orderSequence();
    const first = simulate(sequence, { durationOf, concurrency: 2 });
    const second = simulate(sequence, { durationOf, concurrency: 2 });
    expect(second).toEqual(first);
  });

  it('takes as long as the critical path with unlimited concurrency', () => {
    const preview = simulate(orderSequence(), {
      durationOf,
      concurrency: Number.POSITIVE_INFINITY,
    });

    expect(preview.durationMs).toBe(950);
    expect(preview.durationMs).toBe(criticalPath(orderSequence().layers, durationOf).lengthMs);
  });

  it('takes the sum of the durations at concurrency 1', () => {
    const preview = simulate(orderSequence(), { durationOf, concurrency: 1 });

    expect(preview.durationMs).toBe(total);
    expect(maxRunning(preview.events)).toBe(1);
  });

  it("uses the sequence's own concurrency when none is given", () => {
    const sequence = new AdvancedSequenceBuilder({ concurrency: 1 })
      .addLayer({ name: 'a', execute: vi.fn() })
      .addLayer({ name: 'b', execute: vi.fn() });
    expect(simulate(sequence, { durationOf: () => 10 }).durationMs).toBe(20);
  });

  it('simulates failures and their retries as separate attempts', () => {
    const sequence = new AdvancedSequenceBuilder({ maxRetries: 2, retryDelay: 5 }).addLayer({
      name: 'flaky',
      execute: vi.fn(),
    });

    const preview = simulate(sequence, { durationOf: () => 10, failures: { flaky: 2 } });

    expect(preview.status).toBe('succeeded');
    expect(
      preview.layers[0]?.attempts.map((attempt) => [attempt.start, attempt.end, attempt.outcome]),
    ).toEqual([
      [0, 10, 'retrying'],
      [15, 25, 'retrying'],
      [30, 40, 'succeeded'],
    ]);
    expect(eventsOfType(preview.events, 'layer:retrying')).toHaveLength(2);
  });

  it('frees the slot during a simulated retry delay', () => {
    const sequence = new AdvancedSequenceBuilder({ concurrency: 1 })
      .addLayer({ name: 'flaky', execute: vi.fn(), retries: 1, retryDelay: 50, priority: 1 })
      .addLayer({ name: 'other', execute: vi.fn() });

    const preview = simulate(sequence, { durationOf: () => 10, failures: { flaky: 1 } });

    expect(preview.layers.find((layer) => layer.name === 'other')?.attempts[0]?.start).toBe(10);
    expect(preview.durationMs).toBe(70);
  });

  it('bounds the makespan of random DAGs between the lower bounds and the list-scheduling bound', () => {
    const dag = fc.integer({ min: 1, max: 25 }).chain((count) =>
      fc.record({
        durations: fc.array(fc.integer({ min: 0, max: 100 }), {
          minLength: count,
          maxLength: count,
        }),
        edges: fc.array(fc.array(fc.boolean(), { minLength: count, maxLength: count }), {
          minLength: count,
          maxLength: count,
        }),
        concurrency: fc.integer({ min: 1, max: 8 }),
      }),
    );
    fc.assert(
      fc.property(dag, ({ durations: ms, edges, concurrency }) => {
        const layers = ms.map((_, i) => ({
          name: `l${i}`,
          dependsOn: ms.flatMap((__, j) => (j < i && edges[i]?.[j] ? [`l${j}`] : [])),
        }));
        const sequence = new AdvancedSequenceBuilder();
        for (const layer of layers) sequence.addLayer({ ...layer, execute: vi.fn() });
        const time = (name: string) => ms[Number(name.slice(1))] ?? 0;
        const work = ms.reduce((sum, value) => sum + value, 0);
        const longest = longestPath(layers, time);

        const unlimited = simulate(sequence, {
          durationOf: time,
          concurrency: Number.POSITIVE_INFINITY,
        });
        const serial = simulate(sequence, { durationOf: time, concurrency: 1 });
        const limited = simulate(sequence, { durationOf: time, concurrency });

        expect(unlimited.durationMs).toBe(longest);
        expect(serial.durationMs).toBe(work);
        const makespan = limited.durationMs ?? Number.NaN;
        expect(makespan).toBeGreaterThanOrEqual(Math.max(longest, work / concurrency) - 1e-9);
        expect(makespan).toBeLessThanOrEqual(
          work / concurrency + (1 - 1 / concurrency) * longest + 1e-9,
        );
        expect(maxRunning(limited.events)).toBeLessThanOrEqual(concurrency);
      }),
      { numRuns: 100, seed: 20_241_126 },
    );
  });
});
