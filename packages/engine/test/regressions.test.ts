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
  it.each<[string, SequenceConfig, Partial<LayerConfig>]>([
    ['a fractional priority', {}, { priority: 1.5 }],
    ['a priority beyond one million', {}, { priority: 2_000_000 }],
    ['more than 1000 retries', {}, { retries: 5_000 }],
    ['more than 1000 retries for every layer', { maxRetries: 5_000 }, {}],
    ['a sequence name of 300 characters', { name: 'n'.repeat(300) }, {}],
    ['an argument name of 300 characters', {}, { args: ['a'.repeat(300)] }],
  ])(
    'loads back a sequence with %s that it saved, or refuses it when it is built',
    (_, config, layer) => {
      let sequence: AdvancedSequenceBuilder;
      try {
        sequence = new AdvancedSequenceBuilder(config).addLayer({
          name: 'a',
          execute: named,
          ...layer,
        });
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return;
      }
      const saved = JSON.stringify(sequence.toJSON());

      const loaded = AdvancedSequenceBuilder.fromJSON(saved, { operations: { step: named } });

      expect(loaded.toJSON()).toEqual(sequence.toJSON());
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
