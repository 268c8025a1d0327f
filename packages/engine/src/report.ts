/** What `verbose` prints, loaded with the first verbose run (see `on-demand.ts`). */
export { progressLogger } from './core/verbose.js';
export { renderMetrics } from './render/metrics.js';
export { renderTimeline } from './render/timeline.js';
