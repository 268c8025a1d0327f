import {
  applyEdgeChanges,
  applyNodeChanges,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import {
  type LayerJson,
  type SequenceConfigJson,
  type SequenceJson,
  wouldCloseCycle,
} from 'fusync';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { pasteOffset } from '../lib/free-space';
import { uniqueLayerName } from '../lib/layer-names';
import { type LayoutDirection, layoutPositions, NODE_HEIGHT, NODE_WIDTH } from '../lib/layout';
import {
  type DependencyEdge,
  documentFromJson,
  documentToJson,
  edgeId,
  edgesFromNodes,
  type LayerNode,
  layerNode,
  type SequenceDocument,
  type SequenceMeta,
} from '../lib/sequence-document';

/** How many steps undo can go back. */
export const HISTORY_LIMIT = 200;

/** What a new layer is made from: an operation of the palette. */
export interface NewLayer {
  operation: string;
  args?: readonly string[];
  description?: string;
  expectedDurationMs?: number;
}

/** Changes to one layer from the inspector; `undefined` clears a field (its default applies). */
export type LayerPatch = {
  [K in keyof Omit<LayerJson, 'name' | 'dependsOn'>]?: LayerJson[K] | undefined;
} & {
  expectedDurationMs?: number | undefined;
};

export type ConnectResult =
  | { ok: true }
  | { ok: false; reason: 'cycle'; cycle: string[] }
  | { ok: false; reason: 'exists' | 'unknown' };

export type RenameResult = { ok: true } | { ok: false; message: string };

export interface GraphState extends SequenceDocument {
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Bumped by every change to the document (not by selection): what persistence watches. */
  revision: number;
  /** Bumped when the whole graph was replaced or laid out: the canvas fits its view. */
  fitRequest: number;
  /** The document before the current drag started, committed to history when the drag ends. */
  dragStart: SequenceDocument | undefined;
  /**
   * Bumped when another sequence replaces the canvas (import, open, reset),
   * not by edits or undo: a run belongs to the sequence it ran, so the run
   * views are cleared when it changes (`run/run-belongs.ts`).
   */
  sequenceId: number;
}

export interface GraphActions {
  addLayer(layer: NewLayer, position: { x: number; y: number }): string;
  connect(dependency: string, layer: string): ConnectResult;
  removeDependency(dependency: string, layer: string): void;
  removeSelected(): void;
  removeLayers(names: readonly string[]): void;
  updateLayer(name: string, patch: LayerPatch): void;
  renameLayer(from: string, to: string): RenameResult;
  updateConfig(
    patch: { [K in keyof SequenceConfigJson]?: SequenceConfigJson[K] | undefined },
  ): void;
  updateMeta(patch: { [K in keyof SequenceMeta]?: string | undefined }): void;
  /** Canvas changes: selection, drag positions, measured sizes. Removals go through `removeSelected`. */
  applyNodeChanges(changes: NodeChange<LayerNode>[]): void;
  applyEdgeChanges(changes: EdgeChange<DependencyEdge>[]): void;
  beginDrag(): void;
  endDrag(): void;
  /**
   * Replaces the sequence (import, open): one history step; missing positions
   * are laid out. `sameSequence`: the canvas takes the graph of the run on
   * display, which stays.
   */
  loadSequence(
    json: SequenceJson,
    options?: { recordHistory?: boolean; sameSequence?: boolean },
  ): void;
  autoLayout(direction?: LayoutDirection): void;
  selectAll(): void;
  selectLayers(names: readonly string[]): void;
  clearSelection(): void;
  /** The selected layers as sequence JSON (internal dependencies only). */
  copySelection(): SequenceJson | undefined;
  /**
   * Adds the layers of a copied fragment under fresh names and selects them,
   * moved by `offset` — by default as far as it takes for no copy to cover a
   * node on the canvas (`pasteOffset`), so repeated pastes cascade.
   */
  paste(fragment: SequenceJson, offset?: { x: number; y: number }): string[];
  undo(): void;
  redo(): void;
  reset(): void;
}

export type GraphStore = GraphState & GraphActions;

function emptyDocument(): SequenceDocument {
  return { meta: { name: 'untitled' }, config: {}, nodes: [], edges: [] };
}

/**
 * A document in the history. `refit`: the step between this entry and its
 * neighbour replaced or re-laid-out the graph, so undoing or redoing it fits
 * the view again, as the step itself did.
 */
export interface HistoryEntry extends SequenceDocument {
  refit?: boolean;
}

function snapshot(state: SequenceDocument, refit = false): HistoryEntry {
  const entry: HistoryEntry = {
    meta: state.meta,
    config: state.config,
    nodes: state.nodes,
    edges: state.edges,
  };
  if (refit) entry.refit = true;
  return entry;
}

function selectedEdgeIds(edges: readonly DependencyEdge[]): Set<string> {
  const ids = new Set<string>();
  for (const edge of edges) if (edge.selected) ids.add(edge.id);
  return ids;
}

function withoutUndefined<T extends object>(value: T): T {
  const out = { ...value };
  for (const key of Object.keys(out) as (keyof T)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** Creates a graph store. The studio uses one (`graphStore`); tests make their own. */
export function createGraphStore(initial?: SequenceJson) {
  const store = createStore<GraphStore>()((set, get) => {
    /** Commits a new document: the current one goes to history, redo is cleared. */
    const commit = (next: Partial<SequenceDocument>, extra: Partial<GraphState> = {}): void => {
      const state = get();
      const past = [...state.past, snapshot(state, extra.fitRequest !== undefined)];
      if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
      set({ ...next, ...extra, past, future: [], revision: state.revision + 1 });
    };

    const layoutNodes = (nodes: LayerNode[], direction: LayoutDirection): LayerNode[] => {
      const positions = layoutPositions(
        nodes.map((node) => ({ name: node.id, dependsOn: node.data.layer.dependsOn })),
        direction,
      );
      return nodes.map((node) => {
        const position = positions.get(node.id);
        return position ? { ...node, position } : node;
      });
    };

    const base = initial ? documentFromJson(initial) : undefined;
    const start = base
      ? {
          ...base.document,
          nodes: base.missingPositions
            ? layoutNodes(base.document.nodes, 'TB')
            : base.document.nodes,
        }
      : emptyDocument();

    return {
      ...start,
      past: [],
      future: [],
      revision: 0,
      fitRequest: 0,
      dragStart: undefined,
      sequenceId: 0,

      addLayer(layer, position) {
        const state = get();
        const name = uniqueLayerName(layer.operation, new Set(state.nodes.map((node) => node.id)));
        const json: LayerJson = { name, operation: layer.operation };
        if (layer.args && layer.args.length > 0) json.args = [...layer.args];
        if (layer.description) json.description = layer.description;
        const node = { ...layerNode(json, position, layer.expectedDurationMs), selected: true };
        const nodes = state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
        commit({
          nodes: [...nodes, node],
          edges: state.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        });
        return name;
      },

      connect(dependency, layer) {
        const state = get();
        const target = state.nodes.find((node) => node.id === layer);
        if (!target || !state.nodes.some((node) => node.id === dependency))
          return { ok: false, reason: 'unknown' };
        if (target.data.layer.dependsOn?.includes(dependency))
          return { ok: false, reason: 'exists' };
        const cycle = wouldCloseCycle(
          state.nodes.map((node) => ({ name: node.id, dependsOn: node.data.layer.dependsOn })),
          layer,
          dependency,
        );
        if (cycle) return { ok: false, reason: 'cycle', cycle };
        const nodes = state.nodes.map((node) =>
          node.id === layer
            ? {
                ...node,
                data: {
                  ...node.data,
                  layer: {
                    ...node.data.layer,
                    dependsOn: [...(node.data.layer.dependsOn ?? []), dependency],
                  },
                },
              }
            : node,
        );
        commit({
          nodes,
          edges: [
            ...state.edges,
            { id: edgeId(dependency, layer), source: dependency, target: layer },
          ],
        });
        return { ok: true };
      },

      removeDependency(dependency, layer) {
        const state = get();
        const target = state.nodes.find((node) => node.id === layer);
        if (!target?.data.layer.dependsOn?.includes(dependency)) return;
        const nodes = state.nodes.map((node) => {
          if (node.id !== layer) return node;
          const dependsOn = (node.data.layer.dependsOn ?? []).filter((d) => d !== dependency);
          const { dependsOn: _dropped, ...rest } = node.data.layer;
          return {
            ...node,
            data: { ...node.data, layer: dependsOn.length > 0 ? { ...rest, dependsOn } : rest },
          };
        });
        const id = edgeId(dependency, layer);
        commit({ nodes, edges: state.edges.filter((edge) => edge.id !== id) });
      },

      removeSelected() {
        const state = get();
        const names = state.nodes.filter((node) => node.selected).map((node) => node.id);
        const edges = state.edges.filter(
          (edge) => edge.selected && !names.includes(edge.source) && !names.includes(edge.target),
        );
        if (names.length === 0 && edges.length === 0) return;
        const removedEdges = new Set(edges.map((edge) => edge.id));
        const removed = new Set(names);
        const nodes = state.nodes
          .filter((node) => !removed.has(node.id))
          .map((node) => {
            const before = node.data.layer.dependsOn;
            if (!before) return node;
            const after = before.filter(
              (d) => !removed.has(d) && !removedEdges.has(edgeId(d, node.id)),
            );
            if (after.length === before.length) return node;
            const { dependsOn: _dropped, ...rest } = node.data.layer;
            return {
              ...node,
              data: {
                ...node.data,
                layer: after.length > 0 ? { ...rest, dependsOn: after } : rest,
              },
            };
          });
        commit({ nodes, edges: edgesFromNodes(nodes) });
      },

      removeLayers(names) {
        const remove = new Set(names);
        set((state) => ({
          nodes: state.nodes.map((node) =>
            node.selected !== remove.has(node.id)
              ? { ...node, selected: remove.has(node.id) }
              : node,
          ),
        }));
        get().removeSelected();
      },

      updateLayer(name, patch) {
        const state = get();
        const at = state.nodes.findIndex((node) => node.id === name);
        const node = state.nodes[at];
        if (!node) return;
        const { expectedDurationMs, ...layerPatch } = patch;
        const layer = withoutUndefined({ ...node.data.layer, ...layerPatch }) as LayerJson;
        const data = { ...node.data, layer };
        if ('expectedDurationMs' in patch) {
          if (expectedDurationMs === undefined) delete data.expectedDurationMs;
          else data.expectedDurationMs = expectedDurationMs;
        }
        const nodes = [...state.nodes];
        nodes[at] = { ...node, data };
        commit({ nodes });
      },

      renameLayer(from, to) {
        const state = get();
        if (from === to) return { ok: true };
        if (state.nodes.some((node) => node.id === to))
          return {
            ok: false,
            message: `A layer named \`${to}\` already exists. Layer names must be unique.`,
          };
        const nodes = state.nodes.map((node) => {
          const dependsOn = node.data.layer.dependsOn;
          const renamedDeps = dependsOn?.includes(from)
            ? dependsOn.map((d) => (d === from ? to : d))
            : dependsOn;
          if (node.id === from) {
            return {
              ...node,
              id: to,
              data: {
                ...node.data,
                layer: {
                  ...node.data.layer,
                  name: to,
                  ...(renamedDeps ? { dependsOn: renamedDeps } : {}),
                },
              },
            };
          }
          if (renamedDeps === dependsOn) return node;
          return {
            ...node,
            data: {
              ...node.data,
              layer: { ...node.data.layer, dependsOn: renamedDeps as string[] },
            },
          };
        });
        commit({ nodes, edges: edgesFromNodes(nodes, selectedEdgeIds(state.edges)) });
        return { ok: true };
      },

      updateConfig(patch) {
        commit({ config: withoutUndefined({ ...get().config, ...patch }) as SequenceConfigJson });
      },

      updateMeta(patch) {
        commit({ meta: withoutUndefined({ ...get().meta, ...patch }) as SequenceMeta });
      },

      applyNodeChanges(changes) {
        const kept = changes.filter(
          (change) =>
            change.type !== 'remove' && change.type !== 'add' && change.type !== 'replace',
        );
        if (kept.length === 0) return;
        set((state) => ({ nodes: applyNodeChanges(kept, state.nodes) }));
      },

      applyEdgeChanges(changes) {
        const kept = changes.filter((change) => change.type === 'select');
        if (kept.length === 0) return;
        set((state) => ({ edges: applyEdgeChanges(kept, state.edges) }));
      },

      beginDrag() {
        set({ dragStart: snapshot(get()) });
      },

      endDrag() {
        const state = get();
        const before = state.dragStart;
        if (!before) return;
        const moved =
          state.nodes.length === before.nodes.length &&
          state.nodes.some((node, i) => {
            const old = before.nodes[i];
            return !old || old.position.x !== node.position.x || old.position.y !== node.position.y;
          });
        if (!moved) {
          set({ dragStart: undefined });
          return;
        }
        const past = [...state.past, before];
        if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
        set({ past, future: [], dragStart: undefined, revision: state.revision + 1 });
      },

      loadSequence(json, options = {}) {
        const { document, missingPositions } = documentFromJson(json);
        const nodes = missingPositions ? layoutNodes(document.nodes, 'TB') : document.nodes;
        const next = { ...document, nodes, edges: edgesFromNodes(nodes) };
        const sequenceId = get().sequenceId + (options.sameSequence ? 0 : 1);
        if (options.recordHistory === false) {
          set({
            ...next,
            revision: get().revision + 1,
            fitRequest: get().fitRequest + 1,
            sequenceId,
          });
          return;
        }
        commit(next, { fitRequest: get().fitRequest + 1, sequenceId });
      },

      autoLayout(direction = 'TB') {
        const state = get();
        if (state.nodes.length === 0) return;
        commit(
          { nodes: layoutNodes(state.nodes, direction) },
          { fitRequest: state.fitRequest + 1 },
        );
      },

      selectAll() {
        set((state) => ({
          nodes: state.nodes.map((node) => (node.selected ? node : { ...node, selected: true })),
          edges: state.edges.map((edge) => (edge.selected ? edge : { ...edge, selected: true })),
        }));
      },

      selectLayers(names) {
        const wanted = new Set(names);
        set((state) => ({
          nodes: state.nodes.map((node) =>
            Boolean(node.selected) === wanted.has(node.id)
              ? node
              : { ...node, selected: wanted.has(node.id) },
          ),
          edges: state.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
        }));
      },

      clearSelection() {
        get().selectLayers([]);
      },

      copySelection() {
        const state = get();
        const selected = state.nodes.filter((node) => node.selected);
        if (selected.length === 0) return undefined;
        const names = new Set(selected.map((node) => node.id));
        const nodes = selected.map((node) => {
          const dependsOn = node.data.layer.dependsOn?.filter((d) => names.has(d));
          const { dependsOn: _all, ...rest } = node.data.layer;
          return {
            ...node,
            data: {
              ...node.data,
              layer: dependsOn && dependsOn.length > 0 ? { ...rest, dependsOn } : rest,
            },
          };
        });
        return documentToJson({ meta: {}, config: {}, nodes });
      },

      paste(fragment, offset) {
        const state = get();
        const taken = new Set(state.nodes.map((node) => node.id));
        const renamed = new Map<string, string>();
        for (const layer of fragment.layers) {
          const name = uniqueLayerName(layer.name, taken);
          taken.add(name);
          renamed.set(layer.name, name);
        }
        const saved = fragment.studio?.nodes ?? {};
        const copied = fragment.layers.map((layer, index) => {
          const at = saved[layer.name];
          return at
            ? { x: at.x, y: at.y }
            : { x: index * (NODE_WIDTH / 4), y: index * (NODE_HEIGHT / 2) };
        });
        const shift =
          offset ??
          pasteOffset(
            state.nodes.map((node) => node.position),
            copied,
          );
        const pasted = fragment.layers.map((layer, index) => {
          const name = renamed.get(layer.name) as string;
          const dependsOn = (layer.dependsOn ?? []).flatMap((d) =>
            renamed.has(d) ? [renamed.get(d) as string] : [],
          );
          const { dependsOn: _old, ...rest } = layer;
          const json: LayerJson =
            dependsOn.length > 0 ? { ...rest, name, dependsOn } : { ...rest, name };
          const at = copied[index] as { x: number; y: number };
          const position = { x: at.x + shift.x, y: at.y + shift.y };
          return {
            ...layerNode(json, position, saved[layer.name]?.expectedDurationMs),
            selected: true,
          };
        });
        if (pasted.length === 0) return [];
        const nodes = [
          ...state.nodes.map((node) => (node.selected ? { ...node, selected: false } : node)),
          ...pasted,
        ];
        commit({ nodes, edges: edgesFromNodes(nodes) });
        return pasted.map((node) => node.id);
      },

      undo() {
        const state = get();
        const previous = state.past[state.past.length - 1];
        if (!previous) return;
        const { refit, ...document } = previous;
        set({
          ...document,
          past: state.past.slice(0, -1),
          future: [snapshot(state, refit), ...state.future],
          revision: state.revision + 1,
          ...(refit ? { fitRequest: state.fitRequest + 1 } : {}),
        });
      },

      redo() {
        const state = get();
        const next = state.future[0];
        if (!next) return;
        const { refit, ...document } = next;
        set({
          ...document,
          past: [...state.past, snapshot(state, refit)],
          future: state.future.slice(1),
          revision: state.revision + 1,
          ...(refit ? { fitRequest: state.fitRequest + 1 } : {}),
        });
      },

      reset() {
        commit(emptyDocument(), {
          fitRequest: get().fitRequest + 1,
          sequenceId: get().sequenceId + 1,
        });
      },
    };
  });
  return store;
}

export type GraphStoreApi = ReturnType<typeof createGraphStore>;

/** The studio's graph store. */
export const graphStore: GraphStoreApi = createGraphStore();

/** Reads the graph store through a selector; re-renders only when the selected value changes. */
export function useGraphStore<T>(selector: (state: GraphStore) => T): T {
  return useStore(graphStore, selector);
}

// Narrow selectors, defined once so components subscribe to exactly what they draw.
export const selectNodes = (state: GraphStore): LayerNode[] => state.nodes;
export const selectEdges = (state: GraphStore): DependencyEdge[] => state.edges;
export const selectConfig = (state: GraphStore): SequenceConfigJson => state.config;
export const selectMeta = (state: GraphStore): SequenceMeta => state.meta;
export const selectCanUndo = (state: GraphStore): boolean => state.past.length > 0;
export const selectCanRedo = (state: GraphStore): boolean => state.future.length > 0;
export const selectLayerCount = (state: GraphStore): number => state.nodes.length;
export const selectRevision = (state: GraphStore): number => state.revision;
export const selectFitRequest = (state: GraphStore): number => state.fitRequest;
/** Names of the selected layers, joined by newlines: a string, so the selector result is stable. */
export const selectSelectedKey = (state: GraphStore): string => {
  let key = '';
  for (const node of state.nodes)
    if (node.selected) key = key === '' ? node.id : `${key}\n${node.id}`;
  return key;
};
export const selectSelectedEdgeCount = (state: GraphStore): number => {
  let count = 0;
  for (const edge of state.edges) if (edge.selected) count++;
  return count;
};
/** A selector for one layer's data. */
export const selectLayerData = (name: string) => (state: GraphStore) =>
  state.nodes.find((node) => node.id === name)?.data;

/** The current sequence as the engine's JSON. */
export function currentSequenceJson(state: GraphStore = graphStore.getState()): SequenceJson {
  return documentToJson(state);
}
