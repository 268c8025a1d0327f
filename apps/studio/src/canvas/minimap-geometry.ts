/**
 * Pure geometry of the canvas minimap used for large graphs: how flow
 * coordinates map to minimap pixels, what to draw, and where the view goes
 * when the minimap is clicked. No DOM here, so it can be unit-tested.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Where the graph sits in the minimap: minimap px = (flow - origin) / scale. */
export interface MiniMapFrame {
  originX: number;
  originY: number;
  /** Flow units per minimap pixel. */
  scale: number;
}

/** Fits `bounds` into a `width` × `height` minimap with `padding` pixels on each side, centred. */
export function minimapFrame(
  bounds: Rect,
  width: number,
  height: number,
  padding = 5,
): MiniMapFrame {
  const innerWidth = Math.max(1, width - 2 * padding);
  const innerHeight = Math.max(1, height - 2 * padding);
  const scale = Math.max(bounds.width / innerWidth, bounds.height / innerHeight, 1e-6);
  return {
    originX: bounds.x + bounds.width / 2 - (width / 2) * scale,
    originY: bounds.y + bounds.height / 2 - (height / 2) * scale,
    scale,
  };
}

export function flowToMinimap(frame: MiniMapFrame, point: Point): Point {
  return { x: (point.x - frame.originX) / frame.scale, y: (point.y - frame.originY) / frame.scale };
}

export function minimapToFlow(frame: MiniMapFrame, point: Point): Point {
  return { x: point.x * frame.scale + frame.originX, y: point.y * frame.scale + frame.originY };
}

/**
 * The part of the flow the pane shows, in minimap pixels. `transform` is React
 * Flow's `[x, y, zoom]`; `paneWidth`/`paneHeight` the pane's size in screen pixels.
 */
export function viewportRect(
  frame: MiniMapFrame,
  transform: readonly [number, number, number],
  paneWidth: number,
  paneHeight: number,
): Rect {
  const [tx, ty, zoom] = transform;
  const topLeft = flowToMinimap(frame, { x: -tx / zoom, y: -ty / zoom });
  return {
    x: topLeft.x,
    y: topLeft.y,
    width: paneWidth / zoom / frame.scale,
    height: paneHeight / zoom / frame.scale,
  };
}

/** The viewport (React Flow `{x, y, zoom}`) that centres the pane on `center`, in flow coordinates. */
export function viewportCenteredOn(
  center: Point,
  zoom: number,
  paneWidth: number,
  paneHeight: number,
): { x: number; y: number; zoom: number } {
  return { x: paneWidth / 2 - center.x * zoom, y: paneHeight / 2 - center.y * zoom, zoom };
}

export interface MiniMapNode {
  position: Point;
  selected?: boolean;
}

/** One fill colour and the rectangles drawn in it, as flat `[x, y, w, h, ...]` minimap pixels. */
export interface DrawBatch {
  color: string;
  rects: number[];
}

export const MINIMAP_NODE_COLOR = '#c7cbe0';
export const MINIMAP_SELECTED_COLOR = '#4f46e5';

/**
 * What the minimap draws: every node as a `nodeWidth` × `nodeHeight`
 * rectangle, batched by colour (one fill style change per colour), selected
 * nodes last so they are drawn on top. Rectangles are at least one pixel.
 */
export function drawPlan(
  nodes: readonly MiniMapNode[],
  frame: MiniMapFrame,
  nodeWidth: number,
  nodeHeight: number,
): DrawBatch[] {
  const plain: number[] = [];
  const selected: number[] = [];
  const w = Math.max(1, nodeWidth / frame.scale);
  const h = Math.max(1, nodeHeight / frame.scale);
  for (const node of nodes) {
    const target = node.selected ? selected : plain;
    target.push(
      (node.position.x - frame.originX) / frame.scale,
      (node.position.y - frame.originY) / frame.scale,
      w,
      h,
    );
  }
  const batches: DrawBatch[] = [];
  if (plain.length > 0) batches.push({ color: MINIMAP_NODE_COLOR, rects: plain });
  if (selected.length > 0) batches.push({ color: MINIMAP_SELECTED_COLOR, rects: selected });
  return batches;
}

/** The rectangle around nodes of a fixed size (an empty list gives a zero rect at the origin). */
export function nodesBounds(
  nodes: readonly MiniMapNode[],
  nodeWidth: number,
  nodeHeight: number,
): Rect {
  if (nodes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    minX = Math.min(minX, node.position.x);
    minY = Math.min(minY, node.position.y);
    maxX = Math.max(maxX, node.position.x + nodeWidth);
    maxY = Math.max(maxY, node.position.y + nodeHeight);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
