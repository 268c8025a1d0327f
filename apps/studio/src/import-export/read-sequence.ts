import {
  AdvancedSequenceBuilder,
  FusyncError,
  parseSequenceText,
  SequenceFormatError,
  type SequenceJson,
} from 'fusync';
import { graphProblems } from './graph-problems';

/** One thing wrong with an imported sequence, placed as precisely as the engine says. */
export interface SequenceProblem {
  /** Where in the JSON, as the engine writes it: `layers[2].priority`, `config.concurrency`, `` for the root. */
  path: string;
  message: string;
  /** The layer the problem concerns, by position in `layers`. */
  layerIndex: number | undefined;
  layerName: string | undefined;
  /** The field inside the layer (or the config) the problem concerns. */
  field: string | undefined;
}

export type ReadResult =
  | { ok: true; json: SequenceJson }
  | { ok: false; problems: SequenceProblem[] };

/** Problems by layer (the sequence's own first), keeping their order within a layer. */
function inDocumentOrder(problems: SequenceProblem[]): SequenceProblem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort(
      (a, b) => (a.problem.layerIndex ?? -1) - (b.problem.layerIndex ?? -1) || a.order - b.order,
    )
    .map(({ problem }) => problem);
}

const LAYER_PATH = /^layers\[(\d+)\](?:\.([A-Za-z_$][\w$]*))?/;

/** Splits an engine path into the layer and field it names. */
export function problemAt(
  path: string,
  message: string,
  layerNames: readonly (string | undefined)[] = [],
): SequenceProblem {
  const match = LAYER_PATH.exec(path);
  if (match) {
    const layerIndex = Number(match[1]);
    return { path, message, layerIndex, layerName: layerNames[layerIndex], field: match[2] };
  }
  const field = path.startsWith('config.')
    ? path.slice('config.'.length).split(/[.[]/)[0]
    : undefined;
  return { path, message, layerIndex: undefined, layerName: undefined, field };
}

function rawLayerNames(text: string): (string | undefined)[] {
  try {
    const value = JSON.parse(text) as { layers?: unknown };
    if (!Array.isArray(value.layers)) return [];
    return value.layers.map((layer: unknown) =>
      typeof layer === 'object' &&
      layer !== null &&
      typeof (layer as { name?: unknown }).name === 'string'
        ? (layer as { name: string }).name
        : undefined,
    );
  } catch {
    return [];
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads sequence JSON text the way the engine loads it: the format
 * (`parseSequenceText`), then the graph (unique names, known dependencies,
 * no cycle). Every problem is listed in one pass — the schema's and the
 * graph's (`graphProblems`), in document order — with the path the engine
 * would give it. A sequence without layers is accepted (an empty canvas).
 */
export function readSequence(text: string): ReadResult {
  let json: SequenceJson;
  try {
    json = parseSequenceText(text);
  } catch (error) {
    if (error instanceof SequenceFormatError) {
      const names = rawLayerNames(text);
      const problems = [
        ...error.issues.map((issue) => problemAt(issue.path, issue.message, names)),
        ...graphProblems(parsed(text)).map((problem) =>
          problemAt(problem.path, problem.message, names),
        ),
      ];
      return { ok: false, problems: inDocumentOrder(problems) };
    }
    throw error;
  }
  if (json.layers.length === 0) return { ok: true, json };
  const graph = graphProblems(json);
  if (graph.length > 0) {
    const names = json.layers.map((layer) => layer.name);
    return {
      ok: false,
      problems: inDocumentOrder(
        graph.map((problem) => problemAt(problem.path, problem.message, names)),
      ),
    };
  }
  try {
    AdvancedSequenceBuilder.fromJSON(json).validate();
  } catch (error) {
    if (error instanceof FusyncError) {
      const names = json.layers.map((layer) => layer.name);
      const index = error.layer === undefined ? -1 : names.lastIndexOf(error.layer);
      const path =
        index >= 0 ? `layers[${index}]${error.path ? `.${error.path}` : ''}` : (error.path ?? '');
      return { ok: false, problems: [problemAt(path, error.message, names)] };
    }
    throw error;
  }
  return { ok: true, json };
}
