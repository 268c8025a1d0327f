import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../core/metrics.js';
import { renderMetrics } from './metrics.js';
import {
  cancelled,
  failed,
  finished,
  recordOf,
  redelivered,
  retried,
  running,
  seedRun,
  skipped,
  started,
  succeeded,
} from './run-record.fixture.js';

const seedBlock = `--- Sequence Execution Performance Metrics ---

Total Execution Time: 1.200 seconds
Total Tasks: 5
Successful Tasks: 5
Failed Tasks: 0
Success Rate: 100.00%
Average Task Duration: 0.240 seconds
Maximum Task Duration: 0.300 seconds
Minimum Task Duration: 0.200 seconds`;

describe('renderMetrics', () => {
  it("prints the seed's metrics block exactly for the seed's run", () => {
    expect(renderMetrics(seedRun())).toBe(seedBlock);
  });

  it('prints the same text from computed metrics as from the record', () => {
    const record = seedRun();
    expect(renderMetrics(computeMetrics(record))).toBe(renderMetrics(record));
  });

  it('adds skipped, cancelled and retried lines only when they are not zero', () => {
    const record = recordOf(
      started([
        { name: 'flaky' },
        { name: 'broken' },
        { name: 'after', dependsOn: ['broken'] },
        { name: 'slow' },
      ]),
      retried('flaky', 0, 100),
      succeeded('flaky', 150, 250, 2),
      failed('broken', 0, 50),
      skipped('after', 50, 'broken'),
      cancelled('slow', 0, 300),
      finished(300, 'failed'),
    );
    expect(renderMetrics(record).split('\n').slice(2)).toEqual([
      'Total Execution Time: 0.300 seconds',
      'Total Tasks: 4',
      'Successful Tasks: 1',
      'Failed Tasks: 1',
      'Success Rate: 25.00%',
      'Average Task Duration: 0.200 seconds',
      'Maximum Task Duration: 0.300 seconds',
      'Minimum Task Duration: 0.050 seconds',
      'Skipped Tasks: 1',
      'Cancelled Tasks: 1',
      'Retried Attempts: 1',
    ]);
  });

  it('prints zero durations while no layer has finished', () => {
    const record = recordOf(started([{ name: 'a' }, { name: 'b' }], 1000), running('a', 1010));
    const text = renderMetrics(record);
    expect(text).toContain('Total Execution Time: 0.010 seconds');
    expect(text).toContain('Success Rate: 0.00%');
    expect(text).toContain('Average Task Duration: 0.000 seconds');
    expect(text).toContain('Maximum Task Duration: 0.000 seconds');
    expect(text).toContain('Minimum Task Duration: 0.000 seconds');
  });

  it('rounds the success rate to two decimals', () => {
    const record = recordOf(
      started([{ name: 'a' }, { name: 'b' }, { name: 'c' }]),
      succeeded('a', 0, 10),
      succeeded('b', 0, 10),
      failed('c', 0, 10),
      finished(10, 'failed'),
    );
    expect(renderMetrics(record)).toContain('Success Rate: 66.67%');
  });
});

describe('computeMetrics', () => {
  it("computes the seed run's figures", () => {
    expect(computeMetrics(seedRun())).toEqual({
      totalTimeMs: 1200,
      totalTasks: 5,
      succeeded: 5,
      failed: 0,
      cancelled: 0,
      skipped: 0,
      reused: 0,
      successRate: 1,
      averageDurationMs: 240,
      maxDurationMs: 300,
      minDurationMs: 200,
      totalAttempts: 5,
      retries: 0,
      lostDeliveries: 0,
      lostTimeMs: 0,
      peakConcurrency: 2,
      criticalPath: {
        path: ['checkInventory', 'reserveInventory', 'createOrder', 'processPayment'],
        lengthMs: 950,
      },
    });
  });

  it('measures a run still going up to its last event', () => {
    const record = recordOf(
      started([{ name: 'a' }, { name: 'b' }], 5000),
      succeeded('a', 5000, 5400),
      running('b', 5400),
    );
    expect(computeMetrics(record).totalTimeMs).toBe(400);
  });

  it('times a retried layer from its first start to its final end', () => {
    const record = recordOf(
      started([{ name: 'flaky' }]),
      retried('flaky', 0, 100, 1),
      retried('flaky', 200, 300, 2),
      succeeded('flaky', 400, 450, 3),
      finished(450),
    );
    expect(computeMetrics(record)).toMatchObject({
      averageDurationMs: 450,
      totalAttempts: 3,
      retries: 2,
      peakConcurrency: 1,
    });
  });

  it('counts the part of an attempt lost with its worker apart: neither an attempt, a retry nor a failure', () => {
    const record = recordOf(
      started([{ name: 'slow' }, { name: 'flaky' }]),
      running('slow', 0),
      redelivered('slow', 300, 'worker-b', 'worker-a'),
      { type: 'layer:succeeded', layer: 'slow', attempt: 1, result: null, time: 1000 },
      retried('flaky', 0, 100, 1),
      running('flaky', 100, 2),
      redelivered('flaky', 150, 'worker-c', 'worker-b', 2),
      { type: 'layer:succeeded', layer: 'flaky', attempt: 2, result: null, time: 200 },
      finished(1000),
    );
    const metrics = computeMetrics(record);
    expect(metrics).toMatchObject({
      succeeded: 2,
      failed: 0,
      successRate: 1,
      totalAttempts: 3,
      retries: 1,
      lostDeliveries: 2,
      lostTimeMs: 350,
      maxDurationMs: 1000,
      peakConcurrency: 2,
    });
    expect(renderMetrics(metrics)).toContain('Lost Deliveries: 2 (0.350 seconds lost)');
    expect(renderMetrics(metrics)).toContain('Retried Attempts: 1');
  });

  it('does not count attempts that touch end to start as concurrent', () => {
    const record = recordOf(
      started([{ name: 'a' }, { name: 'b' }, { name: 'c' }]),
      succeeded('a', 0, 100),
      succeeded('b', 100, 200),
      succeeded('c', 150, 250),
      finished(250),
    );
    expect(computeMetrics(record).peakConcurrency).toBe(2);
  });

  it('counts attempts still running in the peak concurrency', () => {
    const record = recordOf(
      started([{ name: 'a' }, { name: 'b' }, { name: 'c' }]),
      running('a', 0),
      running('b', 10),
      succeeded('c', 20, 30),
    );
    expect(computeMetrics(record).peakConcurrency).toBe(3);
  });

  it('reports no durations and a zero success rate for a run without layers', () => {
    const record = recordOf(started([]), finished(0));
    expect(computeMetrics(record)).toMatchObject({
      totalTasks: 0,
      successRate: 0,
      averageDurationMs: undefined,
      maxDurationMs: undefined,
      minDurationMs: undefined,
      criticalPath: { path: [], lengthMs: 0 },
    });
  });
});
