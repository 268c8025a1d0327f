import { NODE_HEIGHT, NODE_WIDTH } from './layout';

/** A point on the canvas: a node's top-left corner. */
export interface Point {
  x: number;
  y: number;
}

/** Room kept around a node, so placed nodes do not touch. */
export const NODE_GAP = 24;

/** Whether nodes at `a` and `b` (NODE_WIDTH × NODE_HEIGHT) overlap or come closer than `gap`. */
export function nodesCollide(a: Point, b: Point, gap = NODE_GAP): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH + gap && Math.abs(a.y - b.y) < NODE_HEIGHT + gap;
}

function isFree(at: Point, taken: readonly Point[]): boolean {
  for (const other of taken) if (nodesCollide(at, other)) return false;
  return true;
}

/** How far the search for a free spot goes from the preferred point, in grid rings. */
const MAX_RINGS = 40;

/**
 * The free spot nearest `preferred` where a new node touches no other: the
 * preferred point itself when free, else the first free cell of a grid of
 * node-sized cells, ring by ring around it (nearer rings first, and in a ring
 * the nearest cells first). Past `MAX_RINGS` rings, the spot below every node.
 */
export function freeSpot(taken: readonly Point[], preferred: Point): Point {
  if (isFree(preferred, taken)) return preferred;
  const stepX = NODE_WIDTH + NODE_GAP;
  const stepY = NODE_HEIGHT + NODE_GAP;
  for (let ring = 1; ring <= MAX_RINGS; ring++) {
    const cells: Point[] = [];
    for (let dx = -ring; dx <= ring; dx++)
      for (let dy = -ring; dy <= ring; dy++)
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring)
          cells.push({ x: preferred.x + dx * stepX, y: preferred.y + dy * stepY });
    cells.sort(
      (a, b) =>
        Math.hypot(a.x - preferred.x, a.y - preferred.y) -
        Math.hypot(b.x - preferred.x, b.y - preferred.y),
    );
    for (const cell of cells) if (isFree(cell, taken)) return cell;
  }
  let bottom = preferred.y;
  for (const other of taken) bottom = Math.max(bottom, other.y + stepY);
  return { x: preferred.x, y: bottom };
}

/** One step of a pasted copy away from what it would cover: down and a little to the right. */
const PASTE_STEP = { x: NODE_GAP * 2, y: NODE_HEIGHT + NODE_GAP } as const;

/**
 * How far to move pasted nodes (at `pasted`, their copied positions) so that
 * none covers a node already on the canvas: the first of one, two, three…
 * steps down and to the right that is free, so repeated pastes cascade.
 */
export function pasteOffset(taken: readonly Point[], pasted: readonly Point[]): Point {
  for (let k = 1; k <= 500; k++) {
    const offset = { x: k * PASTE_STEP.x, y: k * PASTE_STEP.y };
    if (pasted.every((at) => isFree({ x: at.x + offset.x, y: at.y + offset.y }, taken)))
      return offset;
  }
  return { x: PASTE_STEP.x, y: PASTE_STEP.y };
}
