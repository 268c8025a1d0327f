import { describe, expect, it } from 'vitest';
import { seedLayers } from '../render/run-record.fixture.js';
import { criticalPath } from './critical-path.js';
import { CycleError } from './errors.js';

const seedDurations = new Map([
  ['checkInventory', 200],
  ['validateCustomer', 250],
  ['reserveInventory', 200],
  ['createOrder', 250],
  ['processPayment', 300],
]);

describe('criticalPath', () => {
  it('follows the heaviest chain of dependencies of the seed sequence', () => {
    expect(criticalPath(seedLayers, (name) => seedDurations.get(name) ?? 0)).toEqual({
      path: ['checkInventory', 'reserveInventory', 'createOrder', 'processPayment'],
      lengthMs: 950,
    });
  });

  it('takes the heavier branch of a diamond, not the one declared first', () => {
    const diamond = [
      { name: 'a' },
      { name: 'light', dependsOn: ['a'] },
      { name: 'heavy', dependsOn: ['a'] },
      { name: 'd', dependsOn: ['light', 'heavy'] },
    ];
    const durations: Record<string, number> = { a: 10, light: 5, heavy: 50, d: 1 };
    expect(criticalPath(diamond, (name) => durations[name] ?? 0)).toEqual({
      path: ['a', 'heavy', 'd'],
      lengthMs: 61,
    });
  });

  it('picks the deepest chain while no layer has a duration yet', () => {
    const nodes = [
      { name: 'solo' },
      { name: 'a' },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['b'] },
    ];
    expect(criticalPath(nodes, () => 0)).toEqual({ path: ['a', 'b', 'c'], lengthMs: 0 });
  });

  it('lets a single heavy layer outweigh a long light chain', () => {
    const nodes = [{ name: 'slow' }, { name: 'a' }, { name: 'b', dependsOn: ['a'] }];
    const durations: Record<string, number> = { slow: 100, a: 10, b: 10 };
    expect(criticalPath(nodes, (name) => durations[name] ?? 0)).toEqual({
      path: ['slow'],
      lengthMs: 100,
    });
  });

  it('returns an empty path for no layers', () => {
    expect(criticalPath([], () => 1)).toEqual({ path: [], lengthMs: 0 });
  });

  it('ignores unknown dependencies', () => {
    const nodes = [
      { name: 'a', dependsOn: ['ghost'] },
      { name: 'b', dependsOn: ['a', 'a'] },
    ];
    expect(criticalPath(nodes, () => 5)).toEqual({ path: ['a', 'b'], lengthMs: 10 });
  });

  it('counts negative and non-finite durations as zero', () => {
    const nodes = [{ name: 'a' }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['b'] }];
    const durations: Record<string, number> = { a: -5, b: Number.NaN, c: 7 };
    expect(criticalPath(nodes, (name) => durations[name] ?? 0)).toEqual({
      path: ['a', 'b', 'c'],
      lengthMs: 7,
    });
  });

  it('throws a CycleError naming the cycle in run order', () => {
    const nodes = [
      { name: 'start' },
      { name: 'a', dependsOn: ['start', 'c'] },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['b'] },
    ];
    const error = (() => {
      try {
        criticalPath(nodes, () => 1);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CycleError);
    expect(error).toMatchObject({ code: 'CYCLE_DETECTED', cycle: ['a', 'b', 'c', 'a'] });
  });

  it('walks a 100,000-layer chain without overflowing the stack', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => ({
      name: `l${i}`,
      dependsOn: i === 0 ? [] : [`l${i - 1}`],
    }));
    const { path, lengthMs } = criticalPath(nodes, () => 1);
    expect(path).toHaveLength(100_000);
    expect(lengthMs).toBe(100_000);
  });
});

describe('runCriticalPath', () => {
  it('never runs through a layer skipped after a failure', async () => {
    const { AdvancedSequenceBuilder } = await import('../sequence-builder.js');
    const { runCriticalPath } = await import('./metrics.js');
    const record = await new AdvancedSequenceBuilder({ name: 'order' })
      .addLayer({ name: 'fetchOrder', execute: async () => 1 })
      .addLayer({
        name: 'chargeCard',
        dependsOn: ['fetchOrder'],
        execute: async () => {
          throw new Error('card declined');
        },
      })
      .addLayer({ name: 'sendReceipt', dependsOn: ['chargeCard'], execute: async () => 1 })
      .run({}).result;
    expect(record.layers.map((layer) => layer.status)).toEqual(['succeeded', 'failed', 'skipped']);
    const { path } = runCriticalPath(record, (name) => (name === 'sendReceipt' ? 0 : 5));
    expect(path).toEqual(['fetchOrder', 'chargeCard']);
  });
});
