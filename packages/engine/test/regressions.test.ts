/**
 * Regression tests: each pins a bug the engine once had (the describe names
 * the rule's home file), so it cannot come back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerConfig,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceConfig,
  SequenceFormatError,
  ValidationError,
} from '../src/index.js';
import { catchError } from './helpers.js';
import { operations, validDocument } from './sequence-documents.js';

const named = async function step() {
  return 1;
};

describe('sequence JSON (json-fuzz.test.ts)', () => {
  it('keeps the sequence description through fromJSON and toJSON', () => {
    const document = {
      format: SEQUENCE_FORMAT,
      version: SEQUENCE_VERSION,
      description: 'Places an order',
      layers: [{ name: 'a', operation: 'opA' }],
    };

    expect(AdvancedSequenceBuilder.fromJSON(document, { operations }).toJSON()).toMatchObject({
      description: 'Places an order',
    });
  });

  it('keeps every field of a valid document through fromJSON and toJSON', () => {
    fc.assert(
      fc.property(validDocument, (document) => {
        const saved = AdvancedSequenceBuilder.fromJSON(document, { operations }).toJSON();
        const expected = { config: {}, ...document };
        if (expected.studio && Object.keys(expected.studio.nodes ?? {}).length === 0) {
          delete expected.studio;
        }
        expect(saved).toEqual(expected);
      }),
      { numRuns: 100, seed: 1_126 },
    );
  });
});

describe('save and load (serialization.test.ts)', () => {
  // The builder and the JSON format share these limits: the builder refuses each value, and a
  // saved document holding it is refused on load at the same field — never saved, then unloadable.
  it.each<[string, SequenceConfig, Partial<LayerConfig>, string, string]>([
    ['a fractional priority', {}, { priority: 1.5 }, 'priority', 'layers[0].priority'],
    [
      'a priority beyond one million',
      {},
      { priority: 2_000_000 },
      'priority',
      'layers[0].priority',
    ],
    ['more than 1000 retries', {}, { retries: 5_000 }, 'retries', 'layers[0].retries'],
    [
      'more than 1000 retries for every layer',
      { maxRetries: 5_000 },
      {},
      'maxRetries',
      'config.maxRetries',
    ],
    ['a sequence name of 300 characters', { name: 'n'.repeat(300) }, {}, 'name', 'name'],
    [
      'an argument name of 300 characters',
      {},
      { args: ['a'.repeat(300)] },
      'args',
      'layers[0].args[0]',
    ],
  ])(
    'refuses a sequence with %s when it is built, and when it is loaded',
    (_, config, layer, builderPath, jsonPath) => {
      const built = catchError(() =>
        new AdvancedSequenceBuilder(config).addLayer({ name: 'a', execute: named, ...layer }),
      );
      expect(built).toBeInstanceOf(ValidationError);
      expect(built).toMatchObject({ code: 'INVALID_OPTION', path: builderPath });

      const { name, ...options } = config;
      const document = {
        format: 'fusync.sequence',
        version: 1,
        ...(name === undefined ? {} : { name }),
        config: options,
        layers: [{ name: 'a', operation: 'step', ...layer }],
      };
      const loaded = catchError(() =>
        AdvancedSequenceBuilder.fromJSON(document, { operations: { step: named } }),
      );
      expect(loaded).toBeInstanceOf(SequenceFormatError);
      expect(loaded).toMatchObject({ code: 'INVALID_SEQUENCE_JSON', path: jsonPath });
    },
  );
});

describe('timeouts (retries-errors.test.ts)', () => {
  // Timers hold at most 2^31-1 ms: Node fires a longer one after 1 ms (with a
  // TimeoutOverflowWarning on stderr), so such a timeout fails at once and such
  // a retry delay does not wait. The JSON format already caps both there.
  it.each([
    ['timeout', 'a layer'],
    ['retryDelay', 'a layer'],
    ['timeout', 'the sequence'],
    ['retryDelay', 'the sequence'],
  ])('refuses a %s of %s longer than a timer can wait', (field, owner) => {
    const tooLong = 2 ** 31;
    const error = catchError(() =>
      owner === 'the sequence'
        ? new AdvancedSequenceBuilder({ [field]: tooLong })
        : new AdvancedSequenceBuilder().addLayer({ name: 'a', execute: named, [field]: tooLong }),
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', path: field });
  });
});
