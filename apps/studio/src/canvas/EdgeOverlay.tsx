import './edge-overlay.css';
import { ViewportPortal } from '@xyflow/react';
import { NODE_HEIGHT, NODE_WIDTH } from '../lib/layout';
import { type GraphStore, useGraphStore } from '../stores/graph-store';

/**
 * Every dependency as one straight segment of a single SVG path, from the
 * bottom of the dependency to the top of the layer waiting for it (where the
 * handles are). A zoomed-out large graph draws this instead of a React Flow
 * edge per dependency: one element instead of ~1,300 components, markers and
 * handle lookups, at a zoom where an edge cannot be clicked or read anyway.
 */
export const selectEdgePath = (state: GraphStore): string => {
  const at = new Map<string, { x: number; y: number }>();
  for (const node of state.nodes) at.set(node.id, node.position);
  const parts: string[] = [];
  for (const edge of state.edges) {
    const from = at.get(edge.source);
    const to = at.get(edge.target);
    if (!from || !to) continue;
    parts.push(
      `M${from.x + NODE_WIDTH / 2} ${from.y + NODE_HEIGHT}L${to.x + NODE_WIDTH / 2} ${to.y}`,
    );
  }
  return parts.join('');
};

export function EdgeOverlay() {
  const path = useGraphStore(selectEdgePath);
  return (
    <ViewportPortal>
      <svg className="edge-overlay" aria-hidden="true" data-testid="edge-overlay">
        <path d={path} />
      </svg>
    </ViewportPortal>
  );
}
