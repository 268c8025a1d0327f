import { describe, expect, it } from 'vitest';
import { CycleError } from '../core/errors.js';
import { renderGraph } from './graph.js';
import { seedLayers } from './run-record.fixture.js';

type Node = { name: string; dependsOn?: string[] };

const N = 1;
const E = 2;
const S = 4;
const W = 8;
/** What each drawing character connects to. */
const CONNECTIONS: Record<string, number> = {
  '│': N | S,
  '─': E | W,
  '┌': E | S,
  '┐': W | S,
  '└': N | E,
  '┘': N | W,
  '├': N | E | S,
  '┤': N | W | S,
  '┬': E | W | S,
  '┴': E | W | N,
  '┼': N | E | S | W,
  '▼': N,
};

/** Cells whose line goes somewhere the neighbour does not come from: dangling or broken lines. */
function brokenLines(text: string): string[] {
  const lines = text.split('\n').map((line) => Array.from(line));
  const at = (x: number, y: number) => CONNECTIONS[lines[y]?.[x] ?? ' '] ?? 0;
  const broken: string[] = [];
  lines.forEach((line, y) => {
    line.forEach((char, x) => {
      const mask = CONNECTIONS[char] ?? 0;
      const ok =
        (!(mask & N) || at(x, y - 1) & S) &&
        (!(mask & S) || at(x, y + 1) & N) &&
        (!(mask & E) || at(x + 1, y) & W) &&
        (!(mask & W) || at(x - 1, y) & E);
      if (!ok) broken.push(`${char} at line ${y + 1}, column ${x + 1}`);
    });
  });
  return broken;
}

/**
 * For each box, the boxes its lines lead to, following connections down and
 * sideways (never up) from its exit to the `▼`s they reach. Junctions let a
 * line reach more than its own targets, so this finds missing edges, not extra ones.
 */
function reachedFrom(text: string): Map<string, Set<string>> {
  const lines = text.split('\n').map((line) => Array.from(line));
  const boxAt = new Map<string, string>();
  const exits: [name: string, x: number, y: number][] = [];
  lines.forEach((line, y) => {
    const row = line.join('');
    for (const match of row.matchAll(/│ *([A-Za-z0-9]+) *│/g)) {
      const left = match.index;
      const name = match[1] as string;
      for (let x = left; x < left + 15; x++) boxAt.set(`${x},${y - 1}`, name);
      const exit = lines[y + 1]?.indexOf('┬', left) ?? -1;
      if (exit !== -1 && exit < left + 15) exits.push([name, exit, y + 1]);
    }
  });
  const reached = new Map<string, Set<string>>();
  for (const [name, x0, y0] of exits) {
    const found = new Set<string>();
    const seen = new Set<string>();
    const stack: [number, number][] = [[x0, y0 + 1]];
    while (stack.length > 0) {
      const [x, y] = stack.pop() as [number, number];
      if (seen.has(`${x},${y}`)) continue;
      seen.add(`${x},${y}`);
      const char = lines[y]?.[x] ?? ' ';
      if (char === '▼') {
        const target = boxAt.get(`${x},${y + 1}`);
        if (target !== undefined) found.add(target);
        continue;
      }
      const mask = CONNECTIONS[char] ?? 0;
      if (mask & S) stack.push([x, y + 1]);
      if (mask & E) stack.push([x + 1, y]);
      if (mask & W) stack.push([x - 1, y]);
    }
    reached.set(name, found);
  }
  return reached;
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** A small deterministic random source (LCG), so a failing DAG can be rebuilt from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `size` layers, each depending on up to `maxDependencies` earlier ones, declared in shuffled order. */
function randomDag(seed: number, size: number, maxDependencies = 3): Node[] {
  const next = random(seed);
  const nodes: Node[] = Array.from({ length: size }, (_, i) => {
    const dependsOn = new Set<string>();
    const wanted = i === 0 ? 0 : Math.floor(next() * (maxDependencies + 1));
    for (let k = 0; k < wanted; k++)
      dependsOn.add(`L${String(Math.floor(next() * i)).padStart(3, '0')}`);
    return { name: `L${String(i).padStart(3, '0')}`, dependsOn: [...dependsOn] };
  });
  for (let i = nodes.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [nodes[i], nodes[j]] = [nodes[j] as Node, nodes[i] as Node];
  }
  return nodes;
}

/**
 * The invariants every drawing keeps, whatever the graph. Tracing every edge
 * walks the whole drawing once per box, so big graphs skip it.
 */
function expectWellFormed(text: string, nodes: readonly Node[], traceEdges = true): void {
  const names = new Set(nodes.map((node) => node.name));
  const drawn = new Map<string, number>();
  for (const [word] of text.matchAll(/[A-Za-z0-9]+/g)) drawn.set(word, (drawn.get(word) ?? 0) + 1);
  expect(drawn).toEqual(new Map([...names].map((name) => [name, 1])));
  const targets = nodes.filter((node) =>
    (node.dependsOn ?? []).some((d) => names.has(d) && d !== node.name),
  );
  expect(count(text, '▼')).toBe(targets.length);
  expect(text).toMatch(/^[ \n│─┌┐└┘├┤┬┴┼▼A-Za-z0-9]*$/);
  expect(text).not.toMatch(/ $/m);
  expect(brokenLines(text)).toEqual([]);
  if (!traceEdges) return;
  const reached = reachedFrom(text);
  for (const node of nodes) {
    for (const dependency of node.dependsOn ?? []) {
      if (names.has(dependency))
        expect(reached.get(dependency)?.has(node.name), `${dependency} -> ${node.name}`).toBe(true);
    }
  }
}

describe('renderGraph', () => {
  it('draws a single layer as one box', () => {
    expect(renderGraph([{ name: 'only' }])).toBe(
      ['┌─────────────┐', '│    only     │', '└─────────────┘'].join('\n'),
    );
  });

  it('draws a chain top to bottom with an arrow into each dependent', () => {
    const chain = [
      { name: 'fetch' },
      { name: 'parse', dependsOn: ['fetch'] },
      { name: 'store', dependsOn: ['parse'] },
    ];
    expect(renderGraph(chain)).toBe(
      [
        '┌─────────────┐',
        '│    fetch    │',
        '└──────┬──────┘',
        '       ▼',
        '┌─────────────┐',
        '│    parse    │',
        '└──────┬──────┘',
        '       ▼',
        '┌─────────────┐',
        '│    store    │',
        '└─────────────┘',
      ].join('\n'),
    );
  });

  it("draws the seed's order sequence, joining both branches above createOrder", () => {
    expect(renderGraph(seedLayers)).toBe(
      [
        '┌─────────────┐   ┌─────────────┐',
        '│checkInventor│   │validateCusto│',
        '└──────┬──────┘   └──────┬──────┘',
        '       ▼                 │',
        '┌─────────────┐          │',
        '│reserveInvent│          │',
        '└──────┬──────┘          │',
        '       └────────┬────────┘',
        '                ▼',
        '         ┌─────────────┐',
        '         │ createOrder │',
        '         └──────┬──────┘',
        '                ▼',
        '         ┌─────────────┐',
        '         │processPaymen│',
        '         └─────────────┘',
      ].join('\n'),
    );
  });

  it('draws a diamond as a fork and a join', () => {
    const diamond = [
      { name: 'a' },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['a'] },
      { name: 'd', dependsOn: ['b', 'c'] },
    ];
    expect(renderGraph(diamond)).toBe(
      [
        '         ┌─────────────┐',
        '         │      a      │',
        '         └──────┬──────┘',
        '       ┌────────┴────────┐',
        '       ▼                 ▼',
        '┌─────────────┐   ┌─────────────┐',
        '│      b      │   │      c      │',
        '└──────┬──────┘   └──────┬──────┘',
        '       └────────┬────────┘',
        '                ▼',
        '         ┌─────────────┐',
        '         │      d      │',
        '         └─────────────┘',
      ].join('\n'),
    );
  });

  it('fans out to 20 dependents on one row, one arrow each', () => {
    const nodes = [
      { name: 'root' },
      ...Array.from({ length: 20 }, (_, i) => ({
        name: `child${String(i).padStart(2, '0')}`,
        dependsOn: ['root'],
      })),
    ];
    const text = renderGraph(nodes);
    expectWellFormed(text, nodes);
    const childRows = new Set(
      nodes.slice(1).map((node) => text.split('\n').findIndex((line) => line.includes(node.name))),
    );
    expect(childRows.size).toBe(1);
  });

  it('routes an edge that skips a level past the level in between', () => {
    const nodes = [
      { name: 'a' },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['a', 'b'] },
    ];
    const text = renderGraph(nodes);
    expectWellFormed(text, nodes);
    const lines = text.split('\n');
    expect(lines.findIndex((line) => line.includes(' c '))).toBeGreaterThan(
      lines.findIndex((line) => line.includes(' b ')),
    );
  });

  it('cuts names longer than 13 characters and centres shorter ones', () => {
    const text = renderGraph([
      { name: 'aVeryLongLayerName' },
      { name: 'mid', dependsOn: ['aVeryLongLayerName'] },
    ]);
    expect(text).toContain('│aVeryLongLaye│');
    expect(text).not.toContain('aVeryLongLayer');
    expect(text).toContain('│     mid     │');
  });

  it('ignores unknown dependencies and a repeated declaration', () => {
    const text = renderGraph([
      { name: 'a', dependsOn: ['ghost'] },
      { name: 'b', dependsOn: ['a', 'a'] },
      { name: 'a' },
    ]);
    expect(count(text, ' a ')).toBe(1);
    expect(count(text, '▼')).toBe(1);
    expect(text).not.toContain('ghost');
  });

  it('returns an empty string for no layers', () => {
    expect(renderGraph([])).toBe('');
  });

  it('throws a CycleError naming the cycle instead of drawing it', () => {
    const nodes = [{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }, { name: 'c' }];
    expect(() => renderGraph(nodes)).toThrow(CycleError);
    expect(() => renderGraph(nodes)).toThrow('a -> b -> a');
    expect(() => renderGraph([{ name: 'self', dependsOn: ['self'] }])).toThrow('self -> self');
  });

  it('keeps every line connected and every edge drawn on small random DAGs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const nodes = randomDag(seed, 1 + (seed % 30));
      expectWellFormed(renderGraph(nodes), nodes);
    }
  });

  it('draws 300 random layers, every box and edge in place', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const nodes = randomDag(seed, 300, seed % 2 === 0 ? 3 : 6);
      expectWellFormed(renderGraph(nodes), nodes, false);
    }
  });
});
