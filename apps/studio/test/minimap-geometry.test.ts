import { describe, expect, it } from 'vitest';
import {
  drawPlan,
  flowToMinimap,
  MINIMAP_NODE_COLOR,
  MINIMAP_SELECTED_COLOR,
  minimapFrame,
  minimapToFlow,
  nodesBounds,
  viewportCenteredOn,
  viewportRect,
} from '../src/canvas/minimap-geometry';

describe('minimap geometry', () => {
  it('fits the bounds into the minimap, centred, with padding on the limiting side', () => {
    // 1900 × 500 flow units into 200 × 150 px with 5 px padding: width limits, 10 units per px.
    const frame = minimapFrame({ x: 100, y: 0, width: 1900, height: 500 }, 200, 150, 5);
    expect(frame.scale).toBe(10);
    expect(flowToMinimap(frame, { x: 100, y: 0 })).toEqual({ x: 5, y: 50 });
    expect(flowToMinimap(frame, { x: 2000, y: 500 })).toEqual({ x: 195, y: 100 });
  });

  it('fits a tall graph by its height', () => {
    const frame = minimapFrame({ x: 0, y: 0, width: 100, height: 1400 }, 200, 150, 5);
    expect(frame.scale).toBe(10);
    expect(flowToMinimap(frame, { x: 50, y: 700 })).toEqual({ x: 100, y: 75 });
  });

  it('maps minimap pixels back to the same flow point', () => {
    const frame = minimapFrame({ x: -340, y: 25, width: 5000, height: 3200 }, 200, 150);
    const point = { x: 1234.5, y: -87.25 };
    const back = minimapToFlow(frame, flowToMinimap(frame, point));
    expect(back.x).toBeCloseTo(point.x, 9);
    expect(back.y).toBeCloseTo(point.y, 9);
  });

  it('does not divide by zero for a single point', () => {
    const frame = minimapFrame({ x: 10, y: 10, width: 0, height: 0 }, 200, 150);
    expect(Number.isFinite(frame.scale)).toBe(true);
    expect(frame.scale).toBeGreaterThan(0);
  });

  it('outlines the part of the flow the pane shows', () => {
    const frame = { originX: 0, originY: 0, scale: 10 };
    // Pane 800 × 600 at zoom 0.5 shifted by (-100, -50): flow (200, 100) to (1800, 1300).
    expect(viewportRect(frame, [-100, -50, 0.5], 800, 600)).toEqual({
      x: 20,
      y: 10,
      width: 160,
      height: 120,
    });
  });

  it('centres the view on a flow point, keeping the zoom', () => {
    const viewport = viewportCenteredOn({ x: 1000, y: 400 }, 0.5, 800, 600);
    expect(viewport).toEqual({ x: -100, y: 100, zoom: 0.5 });
    // The pane centre is then the point.
    const frame = { originX: 0, originY: 0, scale: 1 };
    const rect = viewportRect(frame, [viewport.x, viewport.y, viewport.zoom], 800, 600);
    expect(rect.x + rect.width / 2).toBe(1000);
    expect(rect.y + rect.height / 2).toBe(400);
  });

  it('plans one batch per colour, selected nodes last, in minimap pixels', () => {
    const frame = { originX: -10, originY: 20, scale: 2 };
    const plan = drawPlan(
      [
        { position: { x: -10, y: 20 } },
        { position: { x: 30, y: 60 }, selected: true },
        { position: { x: 90, y: 20 }, selected: false },
      ],
      frame,
      40,
      10,
    );
    expect(plan).toEqual([
      { color: MINIMAP_NODE_COLOR, rects: [0, 0, 20, 5, 50, 0, 20, 5] },
      { color: MINIMAP_SELECTED_COLOR, rects: [20, 20, 20, 5] },
    ]);
  });

  it('draws tiny nodes at least one pixel and plans nothing for no nodes', () => {
    const frame = { originX: 0, originY: 0, scale: 1000 };
    expect(drawPlan([{ position: { x: 0, y: 0 } }], frame, 200, 60)[0]?.rects).toEqual([
      0, 0, 1, 1,
    ]);
    expect(drawPlan([], frame, 200, 60)).toEqual([]);
  });

  it('bounds nodes of a fixed size', () => {
    expect(
      nodesBounds([{ position: { x: 10, y: -5 } }, { position: { x: -30, y: 40 } }], 200, 60),
    ).toEqual({ x: -30, y: -5, width: 240, height: 105 });
    expect(nodesBounds([], 200, 60)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});
