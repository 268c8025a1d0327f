import { expect } from 'vitest';
import { postLargeRuns } from './large-runs.js';

/**
 * Five large runs posted to `url` at once are all accepted, and every health
 * check meanwhile answers 200 within 2.5 s: a generous bound for a goal of a
 * second on two cores (`pnpm bench --only server-admission` prints the figure).
 */
export async function expectAnswersWhileLargeRunsStart(url: string): Promise<void> {
  const outcome = await postLargeRuns(url);
  expect(outcome.statuses).toEqual([202, 202, 202, 202, 202]);
  expect(outcome.health.length).toBeGreaterThan(5);
  expect(new Set(outcome.healthStatuses)).toEqual(new Set([200]));
  expect(Math.max(...outcome.health)).toBeLessThan(2500);
}
