import { graphlib, layout } from '@dagrejs/dagre';
import { layeredLayout } from './layered-layout';

/** Size every layer node is drawn at; the layout spaces nodes by it. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

export type LayoutDirection = 'TB' | 'LR';

/**
 * Above this many layers, the layout is `layeredLayout`'s linear passes, not
 * dagre: dagre's default network-simplex ranker took ~15 s on 1,000 layers,
 * its longest-path ranker still ~0.7 s (most of a 1,000-layer import), the
 * linear passes a few ms, at the cost of dagre's edge routing around nodes.
 */
export const LARGE_LAYOUT_THRESHOLD = 150;

export interface LayoutInput {
  name: string;
  dependsOn?: readonly string[] | undefined;
}

/**
 * Places layers in ranks — with dagre, or `layeredLayout` above
 * `LARGE_LAYOUT_THRESHOLD` layers: dependencies above (or left of) the
 * layers that wait for them. Returns the top-left corner of each node.
 */
export function layoutPositions(
  layers: readonly LayoutInput[],
  direction: LayoutDirection = 'TB',
): Map<string, { x: number; y: number }> {
  const start = performance.now();
  const large = layers.length > LARGE_LAYOUT_THRESHOLD;
  const positions = large
    ? layeredLayout(layers, {
        nodeWidth: NODE_WIDTH,
        nodeHeight: NODE_HEIGHT,
        nodeSep: 40,
        rankSep: 70,
        margin: 20,
        direction,
      })
    : dagrePositions(layers, direction);
  // Visible in the browser's performance panel, beside React's own marks.
  performance.measure?.('fusync:layout', {
    start,
    end: performance.now(),
    detail: { layers: layers.length, engine: large ? 'layered' : 'dagre' },
  });
  return positions;
}

function dagrePositions(
  layers: readonly LayoutInput[],
  direction: LayoutDirection,
): Map<string, { x: number; y: number }> {
  const graph = new graphlib.Graph();
  graph.setGraph({
    rankdir: direction,
    nodesep: 40,
    ranksep: 70,
    marginx: 20,
    marginy: 20,
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const names = new Set<string>();
  for (const layer of layers) {
    names.add(layer.name);
    graph.setNode(layer.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  for (const layer of layers) {
    for (const dependency of layer.dependsOn ?? []) {
      if (names.has(dependency) && dependency !== layer.name) graph.setEdge(dependency, layer.name);
    }
  }
  layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const layer of layers) {
    const node = graph.node(layer.name) as { x: number; y: number } | undefined;
    if (node)
      positions.set(layer.name, {
        x: Math.round(node.x - NODE_WIDTH / 2),
        y: Math.round(node.y - NODE_HEIGHT / 2),
      });
  }
  return positions;
}
