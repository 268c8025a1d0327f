import {
  Background,
  BackgroundVariant,
  type Connection,
  Controls,
  type EdgeChange,
  getViewportForBounds,
  MarkerType,
  MiniMap,
  type NodeChange,
  ReactFlow,
  type ReactFlowState,
  useStore as useFlowStore,
  useReactFlow,
  useStoreApi,
} from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../components/Notice';
import { NODE_HEIGHT, NODE_WIDTH } from '../lib/layout';
import type { DependencyEdge, LayerNode } from '../lib/sequence-document';
import type { OperationInfo } from '../operations';
import { graphStore, selectEdges, selectNodes, useGraphStore } from '../stores/graph-store';
import { uiStore } from '../stores/ui-store';
import { selectTheme, useThemeStore } from '../theme/theme-store';
import { EdgeOverlay } from './EdgeOverlay';
import { LayerNodeView } from './LayerNodeView';
import { LowDetailContext } from './low-detail';

/** Drag data type of a palette operation. */
export const OPERATION_MIME = 'application/x-fusync-operation';

const nodeTypes = { layer: LayerNodeView };
const NO_EDGES: DependencyEdge[] = [];
const defaultEdgeOptions = {
  markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
  style: { strokeWidth: 1.6 },
};

// Handlers read the store when called: defined once, they never change identity.
const onNodesChange = (changes: NodeChange<LayerNode>[]) =>
  graphStore.getState().applyNodeChanges(changes);
const onEdgesChange = (changes: EdgeChange<DependencyEdge>[]) =>
  graphStore.getState().applyEdgeChanges(changes);
const onNodeDragStart = () => graphStore.getState().beginDrag();
const onNodeDragStop = () => graphStore.getState().endDrag();
const onSelectionDragStart = onNodeDragStart;
const onSelectionDragStop = onNodeDragStop;
const onDragOver = (event: React.DragEvent) => {
  if (event.dataTransfer.types.includes(OPERATION_MIME)) {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }
};

/** Adds a dependency from a handle connection (source = dependency, target = dependent); refuses cycles. */
export function connectLayers(connection: Pick<Connection, 'source' | 'target'>): void {
  const { source, target } = connection;
  if (!source || !target) return;
  const result = graphStore.getState().connect(source, target);
  if (result.ok) return;
  if (result.reason === 'cycle') {
    uiStore
      .getState()
      .notify(
        'error',
        `Connection refused: \`${target}\` depending on \`${source}\` would close a cycle: ${result.cycle.join(' -> ')}.`,
      );
  } else if (result.reason === 'exists') {
    uiStore.getState().notify('info', `\`${target}\` already depends on \`${source}\`.`);
  }
}

/** The rectangle around every layer node. */
function boundsOf(nodes: readonly LayerNode[]): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    minX = Math.min(minX, node.position.x);
    minY = Math.min(minY, node.position.y);
    maxX = Math.max(maxX, node.position.x + NODE_WIDTH);
    maxY = Math.max(maxY, node.position.y + NODE_HEIGHT);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

const miniMapColor = (node: LayerNode) => (node.selected ? '#4f46e5' : '#c7cbe0');

/**
 * Below this zoom a node's text is too small to read: nodes are drawn as
 * plain status-coloured tiles, which paints several times faster when a
 * thousand of them are on screen.
 */
export const LOW_DETAIL_ZOOM = 0.45;
/** Above this many layers, a graph renders only what is on screen and defers its minimap. */
const LARGE_GRAPH = 250;
const selectLowDetail = (state: ReactFlowState) => state.transform[2] < LOW_DETAIL_ZOOM;

/**
 * Width of the minimap for the canvas' size: about a fifth of the canvas
 * (120–200 px, 4:3), and none on a canvas too small to spare the room.
 */
export function miniMapWidth(canvasWidth: number, canvasHeight: number): number {
  if (canvasWidth < 480 || canvasHeight < 300) return 0;
  return Math.round(Math.min(200, Math.max(120, canvasWidth * 0.2)));
}
const selectMiniMapWidth = (state: ReactFlowState) => miniMapWidth(state.width, state.height);

/** The editing canvas: layers as nodes, dependencies as edges. */
export function Canvas() {
  const nodes = useGraphStore(selectNodes);
  const edges = useGraphStore(selectEdges);
  const { screenToFlowPosition, setViewport } = useReactFlow();
  const flowStore = useStoreApi();
  const lowDetail = useFlowStore(selectLowDetail);
  const theme = useThemeStore(selectTheme);
  const miniMap = useFlowStore(selectMiniMapWidth);
  // Fit on first show only when there is something to fit: otherwise the first dropped layer would make the view jump.
  const [fitOnInit] = useState(() => graphStore.getState().nodes.length > 0);
  // A large graph replaced (an import, an open) paints its nodes first; the minimap, a
  // thousand more SVG elements, follows once the browser is idle (within half a second).
  const [miniMapDeferred, setMiniMapDeferred] = useState(false);
  useEffect(
    () =>
      graphStore.subscribe((state, previous) => {
        if (state.fitRequest === previous.fitRequest || state.nodes.length <= LARGE_GRAPH) return;
        setMiniMapDeferred(true);
        const show = () => setMiniMapDeferred(false);
        if ('requestIdleCallback' in globalThis) requestIdleCallback(show, { timeout: 500 });
        else setTimeout(show, 100);
      }),
    [],
  );

  // A replaced or re-laid-out graph is fitted in the same tick as the change, before React
  // renders it: one render at the final zoom instead of one at the old view and one after fitting.
  useEffect(
    () =>
      graphStore.subscribe((state, previous) => {
        if (state.fitRequest === previous.fitRequest || state.nodes.length === 0) return;
        const { width, height, minZoom } = flowStore.getState();
        if (width === 0 || height === 0) return;
        void setViewport(
          getViewportForBounds(boundsOf(state.nodes), width, height, minZoom, 1, 0.15),
        );
      }),
    [flowStore, setViewport],
  );

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      const raw = event.dataTransfer.getData(OPERATION_MIME);
      if (!raw) return;
      event.preventDefault();
      const operation = JSON.parse(raw) as OperationInfo;
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      graphStore.getState().addLayer(
        {
          operation: operation.name,
          args: operation.args,
          ...(operation.expectedDurationMs !== undefined
            ? { expectedDurationMs: operation.expectedDurationMs }
            : {}),
        },
        { x: Math.round(point.x - NODE_WIDTH / 2), y: Math.round(point.y - NODE_HEIGHT / 2) },
      );
    },
    [screenToFlowPosition],
  );

  // Large graphs render only what is on screen, except when zoomed out to tiles: then every
  // tile stays mounted, since culling made panning mount and unmount nodes (each one measured
  // again by React Flow) on every frame, which cost more than painting 1,000 plain tiles.
  const large = nodes.length > LARGE_GRAPH;
  // Zoomed out on a large graph, the edges are one path (`EdgeOverlay`), not a component each.
  const edgesAsOverlay = large && lowDetail;
  return (
    <div
      className={`canvas${lowDetail ? ' low-detail' : ''}`}
      data-testid="canvas"
      data-layer-count={nodes.length}
      data-edge-count={edges.length}
    >
      <Notice />
      <LowDetailContext.Provider value={lowDetail}>
        <ReactFlow<LayerNode, DependencyEdge>
          nodes={nodes}
          edges={edgesAsOverlay ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={connectLayers}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onSelectionDragStart={onSelectionDragStart}
          onSelectionDragStop={onSelectionDragStop}
          onDrop={onDrop}
          onDragOver={onDragOver}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          selectionOnDrag={false}
          minZoom={0.02}
          maxZoom={2.5}
          fitView={fitOnInit}
          fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
          onlyRenderVisibleElements={large && !lowDetail}
          elevateEdgesOnSelect={!large}
          colorMode={theme}
        >
          <Background
            variant={BackgroundVariant.Dots}
            gap={18}
            size={1.2}
            color={theme === 'dark' ? '#30363d' : '#cdd2de'}
          />
          {!miniMapDeferred && miniMap > 0 && (
            <MiniMap<LayerNode>
              pannable
              zoomable
              nodeColor={miniMapColor}
              nodeStrokeWidth={0}
              maskColor={theme === 'dark' ? 'rgba(13,17,23,0.7)' : 'rgba(244,245,249,0.7)'}
              style={{ width: miniMap, height: Math.round(miniMap * 0.75) }}
            />
          )}
          <Controls showInteractive={false} />
          {edgesAsOverlay && <EdgeOverlay />}
        </ReactFlow>
      </LowDetailContext.Provider>
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <div>
            <strong>An empty sequence</strong>
            Drag an operation from the palette onto the canvas, or click one to add it. Connect the
            bottom handle of a layer to the top handle of another to make the second wait for the
            first. Or <em>Import</em> a saved sequence.
          </div>
        </div>
      )}
    </div>
  );
}
