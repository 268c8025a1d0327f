/**
 * Random valid sequence documents for property tests of the JSON format.
 */
import fc from 'fast-check';
import {
  LAYER_NAME_PATTERN,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceJson,
} from '../src/index.js';

/** The operations every generated document names. */
export const operations = { opA: async () => 'a', opB: async () => 'b' };

export const layerName = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,11}$/)
  .filter((name) => LAYER_NAME_PATTERN.test(name) && name !== '__proto__');

/** Valid sequence documents: every field of the format, each present or not. */
export const validDocument: fc.Arbitrary<SequenceJson> = fc
  .uniqueArray(layerName, { minLength: 1, maxLength: 6 })
  .chain((names) =>
    fc.record(
      {
        format: fc.constant(SEQUENCE_FORMAT),
        version: fc.constant(SEQUENCE_VERSION),
        name: fc.string({ maxLength: 20 }),
        description: fc.string({ maxLength: 20 }),
        config: fc.record(
          {
            verbose: fc.boolean(),
            queueType: fc.constantFrom('FIFO' as const, 'LIFO' as const),
            useRedis: fc.constant(false),
            concurrency: fc.integer({ min: 1, max: 64 }),
            maxRetries: fc.integer({ min: 0, max: 1000 }),
            retryDelay: fc.integer({ min: 0, max: 60_000 }),
            timeout: fc.integer({ min: 1, max: 2_147_483_647 }),
          },
          { requiredKeys: [] },
        ),
        layers: fc.tuple(
          ...names.map((name) =>
            fc.record(
              {
                name: fc.constant(name),
                operation: fc.constantFrom('opA', 'opB'),
                args: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 3 }),
                dependsOn: fc.subarray(names.filter((other) => other !== name)),
                priority: fc.integer({ min: -1_000_000, max: 1_000_000 }),
                retries: fc.integer({ min: 0, max: 1000 }),
                retryDelay: fc.integer({ min: 0, max: 2_147_483_647 }),
                timeout: fc.integer({ min: 1, max: 2_147_483_647 }),
                onError: fc.constantFrom('continue' as const, 'abort' as const),
                description: fc.string({ maxLength: 20 }),
              },
              { requiredKeys: ['name', 'operation'] },
            ),
          ),
        ),
        studio: fc.record({
          nodes: fc
            .subarray(names)
            .chain((placed) =>
              fc.tuple(
                ...placed.map((name) =>
                  fc
                    .record(
                      {
                        x: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
                        y: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
                        expectedDurationMs: fc.integer({ min: 0, max: 100_000 }),
                      },
                      { requiredKeys: ['x', 'y'] },
                    )
                    .map((node) => [name, node] as const),
                ),
              ),
            )
            .map((entries) => Object.fromEntries(entries)),
        }),
      },
      { requiredKeys: ['format', 'version', 'layers'] },
    ),
  ) as fc.Arbitrary<SequenceJson>;
