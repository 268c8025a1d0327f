/**
 * Pure renderers of a run record: metrics, ASCII timeline, ASCII dependency
 * graph and the critical path. Each takes data and returns data or a string;
 * printing is the caller's business.
 */
export { type CriticalPath, criticalPath } from './critical-path.js';
export { renderGraph } from './graph.js';
export { computeMetrics, type RunMetrics, renderMetrics } from './metrics.js';
export { renderTimeline, type TimelineOptions } from './timeline.js';
