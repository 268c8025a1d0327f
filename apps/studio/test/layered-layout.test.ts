import { describe, expect, it } from 'vitest';
import { layeredLayout } from '../src/lib/layered-layout';
import {
  LARGE_LAYOUT_THRESHOLD,
  layoutPositions,
  NODE_HEIGHT,
  NODE_WIDTH,
} from '../src/lib/layout';

const options = {
  nodeWidth: NODE_WIDTH,
  nodeHeight: NODE_HEIGHT,
  nodeSep: 40,
  rankSep: 70,
  margin: 20,
  direction: 'TB' as const,
};

function grid(count: number, width: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `l${i}`,
    dependsOn: i < width ? [] : [`l${i - width}`, ...(i % 3 === 0 ? [`l${i - width - 1}`] : [])],
  }));
}

describe('the layered layout of large sequences', () => {
  it('puts every layer below the layers it depends on, and no two layers on each other', () => {
    const layers = grid(400, 20);
    const at = layeredLayout(layers, options);
    expect(at.size).toBe(400);
    for (const layer of layers)
      for (const dependency of layer.dependsOn)
        expect(at.get(layer.name)?.y).toBeGreaterThan(at.get(dependency)?.y as number);
    const seen = new Set<string>();
    for (const point of at.values()) {
      const key = `${point.x},${point.y}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('lays left to right on request, and places the layers of a cycle after the rest', () => {
    const at = layeredLayout(
      [{ name: 'a' }, { name: 'b', dependsOn: ['a', 'c'] }, { name: 'c', dependsOn: ['b'] }],
      { ...options, direction: 'LR' },
    );
    expect(at.get('b')?.x).toBeGreaterThan(at.get('a')?.x as number);
    expect(at.get('c')?.x).toBe(at.get('b')?.x);
  });

  it('takes over from dagre above the threshold (and says how long 1,000 layers take)', () => {
    const layers = grid(1000, 25);
    const start = performance.now();
    const at = layoutPositions(layers);
    const took = performance.now() - start;
    expect(at.size).toBe(1000);
    expect(layers.length).toBeGreaterThan(LARGE_LAYOUT_THRESHOLD);
    // Printed, not asserted: a loaded machine must not fail the suite.
    console.info(`layered layout of 1,000 layers: ${took.toFixed(1)} ms`);
  });
});
