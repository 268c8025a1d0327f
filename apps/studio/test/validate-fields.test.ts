import { describe, expect, it } from 'vitest';
import { uniqueLayerName } from '../src/lib/layer-names';
import { numberFromText, validateConfig, validateLayer } from '../src/lib/validate-fields';

describe('field validation', () => {
  it('uses the engine messages for a layer field', () => {
    expect(validateLayer({ name: 'a', operation: 'wait', retries: -1 } as never).retries).toMatch(
      /retries/,
    );
    expect(
      validateLayer({ name: 'a', operation: 'wait', priority: 'x' } as never).priority,
    ).toMatch(/'x'/);
    expect(validateLayer({ name: '1a', operation: 'wait' }).name).toMatch(/not valid/);
    expect(validateLayer({ name: 'a', operation: 'wait', priority: 1.5 }).priority).toMatch(/int/);
    expect(validateLayer({ name: 'a', operation: 'wait' }, -5).expectedDurationMs).toBeDefined();
    expect(validateLayer({ name: 'a', operation: 'wait', priority: 2, timeout: 10 })).toEqual({});
  });

  it('uses resolveOptions messages for the sequence options', () => {
    expect(validateConfig({ concurrency: 0 }).concurrency).toBe(
      'expected `concurrency` to be an integer ≥ 1 or `Infinity`, got `0`.',
    );
    expect(validateConfig({ maxRetries: 2, queueType: 'LIFO' })).toEqual({});
  });

  it('reads number fields', () => {
    expect(numberFromText('')).toBeUndefined();
    expect(numberFromText(' 42 ')).toBe(42);
    expect(numberFromText('abc')).toBe('abc');
  });

  it('makes layer names valid and unique', () => {
    expect(uniqueLayerName('1 bad name', new Set())).toBe('_1_bad_name');
    expect(uniqueLayerName('wait2', new Set(['wait2']))).toBe('wait3');
  });
});
