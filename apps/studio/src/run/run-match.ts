import {
  type LayerJson,
  type RunRecord,
  type RunStartedEvent,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceJson,
} from 'fusync';

/** A layer as a run saw it when it started (`run:started`): enough to tell the graph apart. */
export interface RunLayer {
  name: string;
  dependsOn: readonly string[];
  operation?: string | undefined;
  priority?: number | undefined;
}

/** How the canvas differs from the sequence a run ran; every list empty when they match. */
export interface RunMismatch {
  /** Layers of the run that the canvas no longer has. */
  removed: string[];
  /** Layers on the canvas that the run did not have. */
  added: string[];
  /** Layers of both whose operation or dependencies differ. */
  changed: string[];
}

/** The layers the run started with, from its `run:started` event; undefined before it arrived. */
export function runLayersOf(record: RunRecord | undefined): readonly RunLayer[] | undefined {
  const first = record?.events[0];
  return first?.type === 'run:started' ? (first as RunStartedEvent).layers : undefined;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((item) => set.has(item));
}

/**
 * Compares the layers a run started with to the canvas' layers: by name,
 * operation (when the run says it) and dependencies. Positions, arguments
 * and retries do not count: they change how a layer runs, not which graph
 * the views draw.
 */
export function compareRunLayers(
  run: readonly RunLayer[],
  canvas: readonly Pick<LayerJson, 'name' | 'operation' | 'dependsOn'>[],
): RunMismatch {
  const onCanvas = new Map(canvas.map((layer) => [layer.name, layer]));
  const inRun = new Set(run.map((layer) => layer.name));
  const removed: string[] = [];
  const changed: string[] = [];
  for (const layer of run) {
    const now = onCanvas.get(layer.name);
    if (!now) removed.push(layer.name);
    else if (
      (layer.operation !== undefined && layer.operation !== now.operation) ||
      !sameMembers(layer.dependsOn, now.dependsOn ?? [])
    )
      changed.push(layer.name);
  }
  const added = canvas.filter((layer) => !inRun.has(layer.name)).map((layer) => layer.name);
  return { removed, added, changed };
}

export function isMatch(mismatch: RunMismatch): boolean {
  return (
    mismatch.removed.length === 0 && mismatch.added.length === 0 && mismatch.changed.length === 0
  );
}

/** `a`, `a and b`, `a, b and 3 more`: names for a sentence, at most `limit`. */
export function nameList(names: readonly string[], limit = 3): string {
  const shown = names.slice(0, limit).map((name) => `\`${name}\``);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** What changed, in a sentence: `removed \`a\`; added \`b\``. */
export function mismatchText(mismatch: RunMismatch): string {
  const parts: string[] = [];
  if (mismatch.removed.length > 0) parts.push(`removed ${nameList(mismatch.removed)}`);
  if (mismatch.added.length > 0) parts.push(`added ${nameList(mismatch.added)}`);
  if (mismatch.changed.length > 0) parts.push(`changed ${nameList(mismatch.changed)}`);
  return parts.join('; ');
}

/**
 * The graph a run ran, as a sequence the canvas can open: names, operations,
 * dependencies and priorities (what `run:started` carries). Arguments,
 * retries and timeouts are not in the events, so they are left to their
 * defaults. Undefined when the record has no `run:started`.
 */
export function sequenceOfRun(record: RunRecord): SequenceJson | undefined {
  const layers = runLayersOf(record);
  if (!layers) return undefined;
  const started = record.events[0] as RunStartedEvent;
  const json: SequenceJson = {
    format: SEQUENCE_FORMAT,
    version: SEQUENCE_VERSION,
    layers: layers.map((layer) => {
      const out: LayerJson = { name: layer.name, operation: layer.operation ?? layer.name };
      if (layer.dependsOn.length > 0) out.dependsOn = [...layer.dependsOn];
      if (layer.priority !== undefined && layer.priority !== 0) out.priority = layer.priority;
      return out;
    }),
  };
  if (started.sequenceName !== undefined) json.name = started.sequenceName;
  return json;
}
