import type { ReactFlowInstance } from '@xyflow/react';
import { freeSpot } from '../lib/free-space';
import { NODE_HEIGHT, NODE_WIDTH } from '../lib/layout';
import type { DependencyEdge, LayerNode } from '../lib/sequence-document';
import type { OperationInfo } from '../operations';
import { graphStore } from '../stores/graph-store';

type Flow = Pick<
  ReactFlowInstance<LayerNode, DependencyEdge>,
  'screenToFlowPosition' | 'setCenter' | 'getZoom'
>;

/**
 * Adds a layer of `operation` in the free spot nearest the middle of the
 * view (a palette click, Find), selects it and brings it into view.
 * Returns its name.
 */
export function addOperationInFreeSpace(operation: OperationInfo, flow: Flow): string {
  const canvas = document.querySelector('.react-flow')?.getBoundingClientRect();
  const centre = canvas
    ? flow.screenToFlowPosition({
        x: canvas.left + canvas.width / 2,
        y: canvas.top + canvas.height / 2,
      })
    : { x: 0, y: 0 };
  const at = freeSpot(
    graphStore.getState().nodes.map((node) => node.position),
    { x: Math.round(centre.x - NODE_WIDTH / 2), y: Math.round(centre.y - NODE_HEIGHT / 2) },
  );
  const name = graphStore.getState().addLayer(
    {
      operation: operation.name,
      args: operation.args,
      ...(operation.expectedDurationMs !== undefined
        ? { expectedDurationMs: operation.expectedDurationMs }
        : {}),
    },
    at,
  );
  if (canvas) {
    const topLeft = flow.screenToFlowPosition({ x: canvas.left, y: canvas.top });
    const bottomRight = flow.screenToFlowPosition({ x: canvas.right, y: canvas.bottom });
    const inView =
      at.x >= topLeft.x &&
      at.y >= topLeft.y &&
      at.x + NODE_WIDTH <= bottomRight.x &&
      at.y + NODE_HEIGHT <= bottomRight.y;
    if (!inView)
      void flow.setCenter(at.x + NODE_WIDTH / 2, at.y + NODE_HEIGHT / 2, {
        zoom: flow.getZoom(),
        duration: 200,
      });
  }
  return name;
}
