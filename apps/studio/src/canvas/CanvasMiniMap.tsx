import { Panel, type ReactFlowState, useStore as useFlowStore, useStoreApi } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef } from 'react';
import { shallow } from 'zustand/shallow';
import { NODE_HEIGHT, NODE_WIDTH } from '../lib/layout';
import type { LayerNode } from '../lib/sequence-document';
import {
  drawPlan,
  type MiniMapFrame,
  minimapFrame,
  minimapToFlow,
  nodesBounds,
  viewportCenteredOn,
  viewportRect,
} from './minimap-geometry';

/** Same size as React Flow's MiniMap. */
export const MINIMAP_WIDTH = 200;
export const MINIMAP_HEIGHT = 150;

const selectViewport = (s: ReactFlowState) =>
  [s.transform[0], s.transform[1], s.transform[2], s.width, s.height] as const;
const selectLabel = (s: ReactFlowState) => s.ariaLabelConfig['minimap.ariaLabel'];

/** The viewport outline: the one element that moves while the canvas pans. */
const ViewportOverlay = memo(function ViewportOverlay({ frame }: { frame: MiniMapFrame }) {
  const [x, y, zoom, paneWidth, paneHeight] = useFlowStore(selectViewport, shallow);
  const rect = viewportRect(frame, [x, y, zoom], paneWidth, paneHeight);
  return (
    <div
      className="fusync-minimap-viewport"
      style={{
        width: rect.width,
        height: rect.height,
        transform: `translate(${rect.x}px, ${rect.y}px)`,
      }}
    />
  );
});

/**
 * The minimap of large graphs: one canvas holding every node, redrawn only
 * when the nodes change, and an outline of the view that moves as it pans.
 * React Flow's MiniMap re-renders a rectangle per node on every viewport
 * move, which cost a quarter of a 1,000-layer pan. Pressing or dragging on it
 * centres the view on that point; the wheel zooms, as React Flow's does.
 */
export const CanvasMiniMap = memo(function CanvasMiniMap({
  nodes,
}: {
  nodes: readonly LayerNode[];
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const flowStore = useStoreApi();
  const label = useFlowStore(selectLabel);
  const frame = useMemo(
    () => minimapFrame(nodesBounds(nodes, NODE_WIDTH, NODE_HEIGHT), MINIMAP_WIDTH, MINIMAP_HEIGHT),
    [nodes],
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(MINIMAP_WIDTH * ratio);
    canvas.height = Math.round(MINIMAP_HEIGHT * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, MINIMAP_WIDTH, MINIMAP_HEIGHT);
    for (const batch of drawPlan(nodes, frame, NODE_WIDTH, NODE_HEIGHT)) {
      context.fillStyle = batch.color;
      const r = batch.rects;
      for (let i = 0; i + 3 < r.length; i += 4) {
        context.fillRect(
          r[i] as number,
          r[i + 1] as number,
          r[i + 2] as number,
          r[i + 3] as number,
        );
      }
    }
  }, [nodes, frame]);

  // Pointer and wheel handlers read the frame and viewport when called.
  const frameRef = useRef(frame);
  frameRef.current = frame;
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const centreOn = (event: PointerEvent) => {
      const box = root.getBoundingClientRect();
      const point = minimapToFlow(frameRef.current, {
        x: event.clientX - box.left,
        y: event.clientY - box.top,
      });
      const { transform, width, height, panZoom } = flowStore.getState();
      void panZoom?.setViewport(viewportCenteredOn(point, transform[2], width, height));
    };
    const onPointerDown = (event: PointerEvent) => {
      if (event.button !== 0) return;
      event.preventDefault();
      root.setPointerCapture(event.pointerId);
      centreOn(event);
    };
    const onPointerMove = (event: PointerEvent) => {
      if (root.hasPointerCapture(event.pointerId)) centreOn(event);
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { transform, panZoom } = flowStore.getState();
      const step = event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002;
      void panZoom?.scaleTo(transform[2] * 2 ** (-event.deltaY * step));
    };
    root.addEventListener('pointerdown', onPointerDown);
    root.addEventListener('pointermove', onPointerMove);
    root.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      root.removeEventListener('pointerdown', onPointerDown);
      root.removeEventListener('pointermove', onPointerMove);
      root.removeEventListener('wheel', onWheel);
    };
  }, [flowStore]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap fusync-minimap">
      <div
        ref={rootRef}
        className="fusync-minimap-body nodrag nopan nowheel"
        role="img"
        aria-label={label}
        data-testid="fusync-minimap"
        style={{ width: MINIMAP_WIDTH, height: MINIMAP_HEIGHT }}
      >
        <canvas ref={canvasRef} style={{ width: MINIMAP_WIDTH, height: MINIMAP_HEIGHT }} />
        <ViewportOverlay frame={frame} />
      </div>
    </Panel>
  );
});
