import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  FusyncError,
  parseSequenceJson,
  parseSequenceText,
  SequenceFormatError,
} from '../src/index.js';
import { operations, validDocument } from './sequence-documents.js';

const settings = { numRuns: 200, seed: 1_126 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** Runs `action`; returns `undefined` when it returns, the error when it throws a FusyncError, and fails otherwise. */
function outcomeOf(action: () => unknown): FusyncError | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (!(error instanceof FusyncError)) {
      throw new Error(`expected a FusyncError, got ${String(error)}`, { cause: error });
    }
    return error;
  }
}

/** Every way of loading a value: as a parsed value, as text, and into a builder. */
function loadEveryWay(value: unknown): (FusyncError | undefined)[] {
  const outcomes = [
    outcomeOf(() => parseSequenceJson(value)),
    outcomeOf(() => AdvancedSequenceBuilder.fromJSON(value)),
    outcomeOf(() => AdvancedSequenceBuilder.fromJSON(value, { operations })),
  ];
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (typeof text === 'string') {
    outcomes.push(outcomeOf(() => parseSequenceText(text)));
    outcomes.push(outcomeOf(() => AdvancedSequenceBuilder.fromJSON(text)));
  }
  return outcomes;
}

/** The path notation of SequenceFormatError: `layers[1].priority`. */
function pathOf(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Every position in a document below the root, as path segments. */
function positions(value: Json, at: Segment[] = []): Segment[][] {
  const out: Segment[][] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) out.push(...positions(item, [...at, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push(...positions(item, [...at, key]));
  }
  return out;
}

/** The objects of a document that have a fixed set of keys (not the `studio.nodes` record). */
function fixedObjects(document: Json): Segment[][] {
  return [[], ...positions(document)].filter((segments) => {
    const value = valueAt(document, segments);
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    return isObject && pathOf(segments) !== 'studio.nodes';
  });
}

function valueAt(document: Json, segments: readonly Segment[]): Json | undefined {
  let value: Json | undefined = document;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, Json>)[segment];
  }
  return value;
}

function setAt(document: Json, segments: readonly Segment[], replacement: Json | undefined): Json {
  const copy = structuredClone(document);
  const parent = valueAt(copy, segments.slice(0, -1)) as Record<string | number, Json>;
  const last = segments.at(-1) as Segment;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

function kindOf(value: Json | undefined): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

const valueOfKind: Record<Kind, fc.Arbitrary<Json>> = {
  null: fc.constant(null),
  boolean: fc.boolean(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  string: fc.string({ maxLength: 10 }),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 3 }),
  object: fc.dictionary(
    fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__'),
    fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    { maxKeys: 3 },
  ),
};

/** Keys the format requires in the object at `segments`: the root, a layer, a studio node. */
function requiredKeysOf(segments: readonly Segment[]): readonly string[] {
  if (segments.length === 0) return ['format', 'version', 'layers'];
  if (segments.length === 2 && segments[0] === 'layers') return ['name', 'operation'];
  if (segments.length === 3 && segments[0] === 'studio' && segments[1] === 'nodes')
    return ['x', 'y'];
  return [];
}

describe('sequence JSON loader under fuzzing', () => {
  it('answers any value with a sequence or a FusyncError', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          withTypedArray: true,
        }),
        (value) => {
          loadEveryWay(value);
        },
      ),
      settings,
    );
  });

  it('answers any text with a sequence or a FusyncError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'grapheme' })), (text) => {
        const outcomes = [
          outcomeOf(() => parseSequenceText(text)),
          outcomeOf(() => AdvancedSequenceBuilder.fromJSON(text)),
        ];
        for (const error of outcomes) if (error) expect(error).toBeInstanceOf(SequenceFormatError);
      }),
      settings,
    );
  });

  it('accepts every valid document every way', () => {
    fc.assert(
      fc.property(validDocument, (document) => {
        const [parsed, ...rest] = loadEveryWay(document);
        expect(parsed).toBeUndefined();
        for (const error of rest) expect(error).toBeUndefined();
        expect(parseSequenceJson(document)).toEqual(document);
      }),
      settings,
    );
  });

  it('points at the field whose value has the wrong type', () => {
    const mutated = validDocument.chain((document) => {
      const all = positions(document as unknown as Json);
      return fc.constantFrom(...all).chain((segments) => {
        const current = kindOf(valueAt(document as unknown as Json, segments));
        const others = (Object.keys(valueOfKind) as Kind[]).filter((kind) => kind !== current);
        return fc
          .constantFrom(...others)
          .chain((kind) => valueOfKind[kind])
          .map((replacement) => ({
            path: pathOf(segments),
            document: setAt(document as unknown as Json, segments, replacement),
          }));
      });
    });
    fc.assert(
      fc.property(mutated, ({ path, document }) => {
        for (const error of loadEveryWay(document)) {
          expect(error).toBeInstanceOf(SequenceFormatError);
          expect(error?.path).toBe(path);
          expect(error?.message).toContain(path || '(root)');
        }
      }),
      settings,
    );
  });

  it('points at a required field that was deleted, and accepts deleting an optional one', () => {
    const mutated = validDocument.chain((document) => {
      const json = document as unknown as Json;
      const choices = fixedObjects(json).flatMap((segments) =>
        Object.keys(valueAt(json, segments) as object).map((key) => [...segments, key]),
      );
      return fc.constantFrom(...choices).map((segments) => ({
        segments,
        document: setAt(json, segments, undefined),
      }));
    });
    fc.assert(
      fc.property(mutated, ({ segments, document }) => {
        const key = segments.at(-1) as string;
        const isRequired = requiredKeysOf(segments.slice(0, -1)).includes(key);
        for (const error of loadEveryWay(document)) {
          if (isRequired) {
            expect(error).toBeInstanceOf(SequenceFormatError);
            expect(error?.path).toBe(pathOf(segments));
          } else {
            expect(error).toBeUndefined();
          }
        }
      }),
      settings,
    );
  });

  it('refuses an unknown key, pointing at it or at its object', () => {
    const mutated = validDocument.chain((document) => {
      const json = document as unknown as Json;
      return fc
        .record({
          segments: fc.constantFrom(...fixedObjects(json)),
          key: fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/),
          value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>,
        })
        .filter(({ segments, key }) => !(key in (valueAt(json, segments) as object)))
        .filter(({ key }) => !knownKeys.has(key))
        .map(({ segments, key, value }) => ({
          segments,
          key,
          document: setAt(json, [...segments, key], value),
        }));
    });
    fc.assert(
      fc.property(mutated, ({ segments, key, document }) => {
        for (const error of loadEveryWay(document)) {
          expect(error).toBeInstanceOf(SequenceFormatError);
          expect([pathOf(segments), pathOf([...segments, key])]).toContain(error?.path);
          expect(error?.message).toContain(key);
        }
      }),
      settings,
    );
  });
});

/** Every key the format knows, at any level: an added key must be new everywhere to be unknown. */
const knownKeys = new Set([
  '$schema',
  'format',
  'version',
  'name',
  'description',
  'config',
  'layers',
  'studio',
  'verbose',
  'queueType',
  'useRedis',
  'concurrency',
  'maxRetries',
  'retryDelay',
  'timeout',
  'operation',
  'args',
  'dependsOn',
  'priority',
  'retries',
  'onError',
  'nodes',
  'x',
  'y',
  'expectedDurationMs',
]);
