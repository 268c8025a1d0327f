import type { GraphNode } from '../core/graph.js';
import { topologyOf } from '../core/topology.js';

const BOX_WIDTH = 15;
const INNER_WIDTH = BOX_WIDTH - 2;
const BOX_HEIGHT = 3;
const SWEEPS = 4;

// A cell's connections to its neighbours; the glyph is chosen from them at the end.
const N = 1;
const E = 2;
const S = 4;
const W = 8;
/** Indexed by an N|E|S|W mask. */
const GLYPHS = ' │─└││┌├─┘─┴┐┤┬┼';
const ARROW = '▼'.codePointAt(0) as number;

/**
 * A box (a layer) or a pass-through point of an edge spanning several levels,
 * drawn as a narrow vertical lane.
 */
interface Item {
  /** The layer's name; undefined for a pass-through point. */
  readonly name: string | undefined;
  readonly level: number;
  readonly width: number;
  /** Items of the level above this one is connected to. */
  readonly up: number[];
  /** Items of the level below. */
  readonly down: number[];
  position: number;
  x: number;
  /** Column where the edges from above arrive. */
  entry: number;
}

/**
 * Draws a dependency graph as text: each layer a box, dependencies above their
 * dependents, lines from a box's bottom to a `▼` above each dependent's box.
 * Works for any DAG; lines that cross show `┼`, lines that join show
 * `├ ┤ ┬ ┴`. Names longer than 13 characters are cut. Unknown dependencies
 * are ignored (validation names them); a repeated name keeps its first
 * declaration. Returns the text without trailing spaces or newline.
 *
 * Layout: levels by longest path from the roots, pass-through points for
 * edges spanning several levels, a few barycenter sweeps to untangle each
 * level, then positions that keep boxes near the middle of their neighbours.
 *
 * @throws CycleError (`code: 'CYCLE_DETECTED'`) when the dependencies form a
 * cycle — a cycle has no "above", so there is nothing honest to draw.
 *
 * @example
 * console.log(renderGraph([{ name: 'fetch' }, { name: 'parse', dependsOn: ['fetch'] }]));
 * // ┌─────────────┐
 * // │    fetch    │
 * // └──────┬──────┘
 * //        ▼
 * // ┌─────────────┐
 * // │    parse    │
 * // └─────────────┘
 */
export function renderGraph(nodes: readonly GraphNode[]): string {
  const { names, dependencies, order } = topologyOf(nodes);
  if (names.length === 0) return '';
  const items = buildItems(names, dependencies, order);
  const levels = orderLevels(items);
  placeItems(items, levels);
  return draw(items, levels);
}

/** One item per layer at its level, plus a chain of pass-through items for each long edge. */
function buildItems(
  names: readonly string[],
  dependencies: readonly (readonly number[])[],
  order: readonly number[],
): Item[] {
  const level = new Int32Array(names.length);
  for (const at of order) {
    for (const dependency of dependencies[at] ?? []) {
      level[at] = Math.max(level[at] as number, (level[dependency] as number) + 1);
    }
  }
  const items: Item[] = names.map((name, i) => newItem(name, level[i] as number, BOX_WIDTH));
  names.forEach((_, target) => {
    for (const source of dependencies[target] ?? []) {
      let above = source;
      for (let at = (level[source] as number) + 1; at < (level[target] as number); at++) {
        items.push(newItem(undefined, at, 1));
        link(items, above, items.length - 1);
        above = items.length - 1;
      }
      link(items, above, target);
    }
  });
  return items;
}

function newItem(name: string | undefined, level: number, width: number): Item {
  return { name, level, width, up: [], down: [], position: 0, x: 0, entry: 0 };
}

function link(items: Item[], above: number, below: number): void {
  items[above]?.down.push(below);
  items[below]?.up.push(above);
}

/** Orders each level by barycenter sweeps, down then up, to reduce crossings. */
function orderLevels(items: Item[]): number[][] {
  const levels: number[][] = [];
  items.forEach((item, i) => {
    const level = levels[item.level] ?? [];
    level.push(i);
    levels[item.level] = level;
    item.position = level.length - 1;
  });
  const sortBy = (level: number[], side: 'up' | 'down') => {
    const key = new Map<number, number>();
    for (const i of level) {
      const item = items[i] as Item;
      const neighbours = item[side];
      key.set(
        i,
        neighbours.length === 0
          ? item.position
          : mean(neighbours.map((n) => items[n]?.position ?? 0)),
      );
    }
    level.sort((a, b) => (key.get(a) as number) - (key.get(b) as number));
    level.forEach((i, position) => {
      (items[i] as Item).position = position;
    });
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let at = 1; at < levels.length; at++) sortBy(levels[at] as number[], 'up');
    for (let at = levels.length - 2; at >= 0; at--) sortBy(levels[at] as number[], 'down');
  }
  for (let at = 1; at < levels.length; at++) sortBy(levels[at] as number[], 'up');
  return levels;
}

/**
 * Assigns columns: each item wants to sit centred under (then over, then
 * under) its neighbours; within a level the order is kept with a gap between
 * items, and the x closest to what every item wants is found exactly by pooling
 * adjacent violators (isotonic regression).
 */
function placeItems(items: Item[], levels: number[][]): void {
  for (const level of levels) place(items, level, () => undefined);
  const centre = (i: number) => {
    const item = items[i] as Item;
    return item.x + Math.floor(item.width / 2);
  };
  const towards = (side: 'up' | 'down') => (i: number) => {
    const neighbours = (items[i] as Item)[side];
    return neighbours.length === 0 ? undefined : mean(neighbours.map(centre));
  };
  for (let at = 1; at < levels.length; at++) place(items, levels[at] as number[], towards('up'));
  for (let at = levels.length - 2; at >= 0; at--) {
    place(items, levels[at] as number[], towards('down'));
  }
  for (let at = 1; at < levels.length; at++) place(items, levels[at] as number[], towards('up'));
  const left = items.reduce((min, item) => Math.min(min, item.x), Number.POSITIVE_INFINITY);
  for (const item of items) item.x -= left;
}

function place(
  items: Item[],
  level: readonly number[],
  wantedCentre: (i: number) => number | undefined,
): void {
  // With offset[k] the room the items before k need, y[k] = x[k] - offset[k] must not decrease.
  const offsets: number[] = [];
  let offset = 0;
  level.forEach((i, k) => {
    const item = items[i] as Item;
    if (k > 0) offset += gapBefore(items[level[k - 1] as number] as Item, item);
    offsets.push(offset);
    offset += item.width;
  });
  const blocks: { sum: number; count: number }[] = [];
  level.forEach((i, k) => {
    const item = items[i] as Item;
    const wanted = wantedCentre(i);
    const x = wanted === undefined ? item.x : wanted - Math.floor(item.width / 2);
    let block = { sum: x - (offsets[k] as number), count: 1 };
    let last = blocks.at(-1);
    while (last !== undefined && last.sum / last.count >= block.sum / block.count) {
      blocks.pop();
      block = { sum: last.sum + block.sum, count: last.count + block.count };
      last = blocks.at(-1);
    }
    blocks.push(block);
  });
  let k = 0;
  for (const block of blocks) {
    const y = Math.round(block.sum / block.count);
    for (let n = 0; n < block.count; n++, k++) {
      (items[level[k] as number] as Item).x = y + (offsets[k] as number);
    }
  }
}

function gapBefore(left: Item, right: Item): number {
  return left.name === undefined || right.name === undefined ? 2 : 3;
}

/** A source's share of a routing band: its exit, where it turns, and where its edges go down. */
interface Route {
  source: number;
  exit: number;
  targets: Set<number>;
  from: number;
  to: number;
  track: number;
}

function draw(items: Item[], levels: number[][]): string {
  const bands = levels.slice(0, -1).map((_, at) => routeBand(items, levels, at));
  const height =
    levels.length * BOX_HEIGHT + bands.reduce((sum, band) => sum + trackCount(band) + 1, 0);
  const width = items.reduce((right, item) => Math.max(right, item.x + item.width), 0);
  const grid = new Grid(width, height);
  let top = 0;
  levels.forEach((level, at) => {
    const bottom = top + BOX_HEIGHT - 1;
    for (const i of level) {
      const item = items[i] as Item;
      if (item.name === undefined) continue;
      grid.box(item.x, top, item.name);
    }
    const band = bands[at];
    if (band === undefined) return;
    const arrows = bottom + 1 + trackCount(band);
    for (const route of band) {
      const turn = route.track === -1 ? arrows : bottom + 1 + route.track;
      grid.vertical(route.exit, bottom, turn);
      grid.horizontal(turn, route.from, route.to);
      for (const target of route.targets) grid.vertical(target, turn, arrows);
    }
    for (const i of levels[at + 1] ?? []) {
      const item = items[i] as Item;
      // A pass-through lane runs on through the boxes of its level, into the next band.
      if (item.name === undefined) grid.vertical(item.x, arrows, arrows + BOX_HEIGHT);
      else grid.arrow(item.entry, arrows);
    }
    top = arrows + 1;
  });
  return grid.toString();
}

function trackCount(band: readonly Route[]): number {
  return band.reduce((count, route) => Math.max(count, route.track + 1), 0);
}

/**
 * Routes the edges between level `at` and the next: picks where each box is
 * entered, then gives each source that must go sideways a track row, sharing
 * rows between sources whose horizontal runs stay apart.
 */
function routeBand(items: Item[], levels: number[][], at: number): Route[] {
  const sources = (levels[at] ?? []).filter((i) => (items[i] as Item).down.length > 0);
  const exitOf = (i: number) => {
    const item = items[i] as Item;
    return item.x + Math.floor(item.width / 2);
  };
  const sourceAt = new Map(sources.map((i) => [exitOf(i), i]));
  for (const i of levels[at + 1] ?? []) {
    const item = items[i] as Item;
    item.entry = item.name === undefined ? item.x : entryOf(item, sourceAt, exitOf);
  }
  const routes = sources.map((source): Route => {
    const exit = exitOf(source);
    const targets = new Set((items[source] as Item).down.map((i) => (items[i] as Item).entry));
    let from = exit;
    let to = exit;
    for (const column of targets) {
      from = Math.min(from, column);
      to = Math.max(to, column);
    }
    return { source, exit, targets, from, to, track: -1 };
  });
  // Lines meet only where they should: whatever reaches a column sideways turns below the
  // source whose exit is straight above it, so it neither runs into that source's line nor
  // seems to follow that source's turn elsewhere.
  const mustBeAbove = new Map<number, number[]>();
  for (const i of levels[at + 1] ?? []) {
    const item = items[i] as Item;
    const straight = sourceAt.get(item.entry);
    if (straight === undefined) continue;
    for (const source of item.up) {
      if (source === straight) continue;
      const above = mustBeAbove.get(source) ?? [];
      above.push(straight);
      mustBeAbove.set(source, above);
    }
  }
  assignTracks(
    routes.filter((route) => route.from !== route.to),
    mustBeAbove,
  );
  return routes;
}

/**
 * Where the edges enter a box: straight under one of its sources when one is
 * above it, otherwise the column nearest its middle that no other line comes
 * down.
 */
function entryOf(item: Item, sourceAt: Map<number, number>, exitOf: (i: number) => number): number {
  const middle = item.x + Math.floor(item.width / 2);
  const inside = (column: number) => column > item.x && column < item.x + item.width - 1;
  let best: number | undefined;
  for (const source of item.up) {
    const exit = exitOf(source);
    if (!inside(exit)) continue;
    if (best === undefined || Math.abs(exit - middle) < Math.abs(best - middle)) best = exit;
  }
  if (best !== undefined) return best;
  for (let step = 0; step < item.width; step++) {
    for (const column of [middle - step, middle + step]) {
      if (inside(column) && !sourceAt.has(column)) return column;
    }
  }
  return middle;
}

/**
 * Gives each route the highest track row it may take: below the routes it
 * must turn under, on a row whose other runs it stays apart from.
 */
function assignTracks(routes: Route[], mustBeAbove: Map<number, number[]>): void {
  const bySource = new Map(routes.map((route) => [route.source, route]));
  const rows: Route[][] = [];
  const pending = [...routes];
  while (pending.length > 0) {
    const ready = pending.findIndex((route) =>
      (mustBeAbove.get(route.source) ?? []).every(
        (other) => (bySource.get(other)?.track ?? 0) !== -1,
      ),
    );
    // A cycle of such constraints cannot be met; take the leftmost and accept a touching line.
    const [route] = pending.splice(Math.max(0, ready), 1) as [Route];
    let track = 0;
    for (const other of mustBeAbove.get(route.source) ?? []) {
      track = Math.max(track, (bySource.get(other)?.track ?? -1) + 1);
    }
    while (!(rows[track] ?? []).every((other) => apart(other, route))) track++;
    route.track = track;
    const row = rows[track] ?? [];
    row.push(route);
    rows[track] = row;
  }
}

/**
 * Whether two horizontal runs can share a row: a blank cell between them, or
 * meeting end to end above a box both enter (drawn as `┬`).
 */
function apart(a: Route, b: Route): boolean {
  if (a.to + 1 < b.from || b.to + 1 < a.from) return true;
  const meet = a.to === b.from ? a.to : b.to === a.from ? b.to : undefined;
  return (
    meet !== undefined &&
    meet !== a.exit &&
    meet !== b.exit &&
    a.targets.has(meet) &&
    b.targets.has(meet)
  );
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Cells of connection masks, with literal characters (names, arrows) on top. */
class Grid {
  readonly #width: number;
  readonly #height: number;
  readonly #masks: Uint8Array;
  readonly #literals: Uint32Array;

  constructor(width: number, height: number) {
    this.#width = width;
    this.#height = height;
    this.#masks = new Uint8Array(width * height);
    this.#literals = new Uint32Array(width * height);
  }

  #connect(x: number, y: number, mask: number): void {
    const at = y * this.#width + x;
    this.#masks[at] = (this.#masks[at] as number) | mask;
  }

  horizontal(y: number, from: number, to: number): void {
    for (let x = from; x <= to; x++) this.#connect(x, y, (x > from ? W : 0) | (x < to ? E : 0));
  }

  vertical(x: number, from: number, to: number): void {
    for (let y = from; y <= to; y++) this.#connect(x, y, (y > from ? N : 0) | (y < to ? S : 0));
  }

  arrow(x: number, y: number): void {
    this.#literals[y * this.#width + x] = ARROW;
  }

  box(x: number, y: number, name: string): void {
    const right = x + BOX_WIDTH - 1;
    this.horizontal(y, x, right);
    this.horizontal(y + BOX_HEIGHT - 1, x, right);
    this.vertical(x, y, y + BOX_HEIGHT - 1);
    this.vertical(right, y, y + BOX_HEIGHT - 1);
    const chars = Array.from(name, (c) => c.codePointAt(0) as number).slice(0, INNER_WIDTH);
    const start = x + 1 + Math.floor((INNER_WIDTH - chars.length) / 2);
    chars.forEach((code, k) => {
      // A control character would break the grid; show it as `?`.
      this.#literals[(y + 1) * this.#width + start + k] =
        code < 0x20 || code === 0x7f ? 0x3f : code;
    });
  }

  toString(): string {
    const lines: string[] = [];
    const row: string[] = [];
    for (let y = 0; y < this.#height; y++) {
      row.length = 0;
      for (let x = 0; x < this.#width; x++) {
        const at = y * this.#width + x;
        const literal = this.#literals[at] as number;
        row.push(
          literal === 0
            ? (GLYPHS[this.#masks[at] as number] as string)
            : String.fromCodePoint(literal),
        );
      }
      lines.push(row.join('').trimEnd());
    }
    return lines.join('\n');
  }
}
