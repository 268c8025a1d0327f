import type { Edge, Node } from '@xyflow/react';
import {
  type LayerConfig,
  type LayerJson,
  type SequenceConfig,
  type SequenceConfigJson,
  type SequenceJson,
  type StudioNodeJson,
  toSequenceJson,
} from 'fusync';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';

/** What a layer node carries: the layer as saved, and its expected duration for simulations. */
export interface LayerData extends Record<string, unknown> {
  layer: LayerJson;
  expectedDurationMs?: number;
}

/** A layer on the canvas; its id is the layer's name. */
export type LayerNode = Node<LayerData, 'layer'>;
/** A dependency on the canvas: `source` is the dependency, `target` the layer waiting for it. */
export type DependencyEdge = Edge;

/** Sequence-level fields that are not options. */
export interface SequenceMeta {
  name?: string;
  description?: string;
}

/** The editable document: everything undo/redo restores. */
export interface SequenceDocument {
  meta: SequenceMeta;
  config: SequenceConfigJson;
  nodes: LayerNode[];
  edges: DependencyEdge[];
}

/** Id of the edge for "`layer` depends on `dependency`". */
export function edgeId(dependency: string, layer: string): string {
  return `${dependency}->${layer}`;
}

/** The edges of the layers' `dependsOn`, keeping the selection of edges that still exist. */
export function edgesFromNodes(
  nodes: readonly LayerNode[],
  selected: ReadonlySet<string> = new Set(),
): DependencyEdge[] {
  const names = new Set(nodes.map((node) => node.id));
  const edges: DependencyEdge[] = [];
  for (const node of nodes) {
    for (const dependency of node.data.layer.dependsOn ?? []) {
      if (!names.has(dependency)) continue;
      const id = edgeId(dependency, node.id);
      edges.push({ id, source: dependency, target: node.id, selected: selected.has(id) });
    }
  }
  return edges;
}

/** A layer node at a position. */
export function layerNode(
  layer: LayerJson,
  position: { x: number; y: number },
  expectedDurationMs?: number,
): LayerNode {
  const data: LayerData = { layer };
  if (expectedDurationMs !== undefined) data.expectedDurationMs = expectedDurationMs;
  // Known dimensions let the canvas show a node before measuring it: one render pass less per import.
  return { id: layer.name, type: 'layer', position, data, width: NODE_WIDTH, height: NODE_HEIGHT };
}

/** The document as the engine's sequence JSON (`toSequenceJson`), positions and expected durations included. */
export function documentToJson(
  document: Pick<SequenceDocument, 'meta' | 'config' | 'nodes'>,
): SequenceJson {
  const layers: LayerConfig[] = document.nodes.map(
    (node) => ({ ...node.data.layer }) as LayerConfig,
  );
  const studio: Record<string, StudioNodeJson> = {};
  for (const node of document.nodes) {
    const entry: StudioNodeJson = { x: node.position.x, y: node.position.y };
    if (node.data.expectedDurationMs !== undefined)
      entry.expectedDurationMs = node.data.expectedDurationMs;
    studio[node.id] = entry;
  }
  const json = toSequenceJson(toSequenceConfig(document.config, document.meta.name), layers, {
    nodes: studio,
  });
  if (document.meta.description !== undefined) json.description = document.meta.description;
  return json;
}

/** Layers of a sequence JSON, with the positions it saved (missing ones are left out). */
export function documentFromJson(json: SequenceJson): {
  document: SequenceDocument;
  missingPositions: boolean;
} {
  const saved = json.studio?.nodes ?? {};
  let missingPositions = false;
  const nodes = json.layers.map((layer, index) => {
    const studio = Object.hasOwn(saved, layer.name) ? saved[layer.name] : undefined;
    if (!studio) missingPositions = true;
    return layerNode(
      { ...layer },
      studio ? { x: studio.x, y: studio.y } : { x: 0, y: index * 100 },
      studio?.expectedDurationMs,
    );
  });
  const meta: SequenceMeta = {};
  if (json.name !== undefined) meta.name = json.name;
  if (json.description !== undefined) meta.description = json.description;
  return {
    document: { meta, config: { ...(json.config ?? {}) }, nodes, edges: edgesFromNodes(nodes) },
    missingPositions,
  };
}

/** Sequence options from JSON as the engine's `SequenceConfig` (fields left unset are left out). */
export function toSequenceConfig(
  config: SequenceConfigJson | undefined,
  name?: string,
): SequenceConfig {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config ?? {}))
    if (value !== undefined) out[key] = value;
  if (name !== undefined) out.name = name;
  return out as SequenceConfig;
}
