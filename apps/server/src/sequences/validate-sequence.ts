import {
  AdvancedSequenceBuilder,
  type OperationRegistry,
  parseSequenceJson,
  type SequenceJson,
} from 'fusync';

/** What a validated sequence gives its caller. */
export interface ValidatedSequence {
  json: SequenceJson;
  /** A builder with every layer bound to its operation, ready to run. */
  builder: AdvancedSequenceBuilder;
}

/**
 * Checks a sequence as a whole before anything is stored or run: the JSON
 * format (typed `SequenceFormatError` pointing at the field), every operation
 * registered, layer fields, unique names, known dependencies and no cycle.
 * Never evaluates anything from `value`.
 *
 * `allowEmpty` lets a sequence without layers pass (a draft being stored);
 * a run always needs at least one layer.
 */
export function validateSequence(
  value: unknown,
  operations: OperationRegistry,
  options: { allowEmpty?: boolean } = {},
): ValidatedSequence {
  const json = parseSequenceJson(value);
  const builder = AdvancedSequenceBuilder.fromJSON(json, { operations });
  if (json.layers.length > 0 || !options.allowEmpty) builder.validate();
  return { json, builder };
}

/**
 * A posted sequence as the server runs it: where layers run is the server's
 * choice and the server owns its console, so `useRedis` and `verbose` in the
 * sequence's config do not apply.
 */
export function forServer(sequence: SequenceJson): SequenceJson {
  if (!sequence.config) return sequence;
  const { useRedis: _useRedis, verbose: _verbose, ...config } = sequence.config;
  return { ...sequence, config };
}
