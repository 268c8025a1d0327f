import {
  AdvancedSequenceBuilder,
  configFromJson,
  layersFromJson,
  type OperationRegistry,
  parseSequenceJson,
  type SequenceJson,
} from 'fusync';
import { nextTurn } from '../http/next-turn.js';

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
 * a run always needs at least one layer. `toRun`: the sequence is about to
 * run here, so its config is read as `forServer` says.
 *
 * Each step on a large sequence takes a while (a few hundred ms at 100,000
 * layers), so the steps are a turn of the event loop apart: the server keeps
 * answering other requests while it checks one.
 */
export async function validateSequence(
  value: unknown,
  operations: OperationRegistry,
  options: { allowEmpty?: boolean; toRun?: boolean } = {},
): Promise<ValidatedSequence> {
  const read = parseSequenceJson(value);
  const json = options.toRun ? forServer(read) : read;
  await nextTurn();
  // Built from the JSON just read rather than by `fromJSON`, which would read it all again.
  const builder = new AdvancedSequenceBuilder(configFromJson(json));
  for (const layer of layersFromJson(json, operations)) builder.addLayer(layer);
  if (json.layers.length > 0 || !options.allowEmpty) {
    await nextTurn();
    builder.validate();
  }
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
