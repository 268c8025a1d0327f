/**
 * Pure renderers of a run record and a sequence: metrics as text, the ASCII
 * timeline and the ASCII dependency graph. Each takes data and returns a
 * string; printing is the caller's business.
 */
export { renderGraph } from './graph.js';
export { renderMetrics } from './metrics.js';
export { renderTimeline, type TimelineOptions } from './timeline.js';
