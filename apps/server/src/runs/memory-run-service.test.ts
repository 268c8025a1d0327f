import { describe, expect, it } from 'vitest';
import type { OperationDefinition } from '../operations/operation.js';
import { createBuiltinOperations, OperationCatalog } from '../operations/operation-catalog.js';
import {
  finished,
  Gate,
  ORDER_INPUT,
  orderSequence,
  sequenceOf,
} from '../test-support/fixtures.js';
import { MemoryRunService } from './memory-run-service.js';

const operations = (...extra: OperationDefinition[]) =>
  new OperationCatalog([...createBuiltinOperations({ latencyScale: 0 }), ...extra]).registry;

describe('MemoryRunService', () => {
  it('validates the whole sequence before a run exists', async () => {
    const runs = new MemoryRunService({ operations: operations() });
    await expect(
      runs.start(sequenceOf({ name: 'a', operation: 'nope' }), {}),
    ).rejects.toMatchObject({ code: 'UNKNOWN_OPERATION' });
    await expect(
      runs.start(sequenceOf({ name: 'a', operation: 'wait', dependsOn: ['a'] }), {}),
    ).rejects.toMatchObject({ code: 'CYCLE_DETECTED' });
    expect(await runs.list()).toEqual([]);
  });

  it('ignores useRedis and verbose in a posted sequence: the server decides where layers run and what it prints', async () => {
    const runs = new MemoryRunService({ operations: operations() });
    const sequence = { ...orderSequence(), config: { useRedis: true, verbose: true } };
    const { runId } = await runs.start(sequence, ORDER_INPUT);
    await finished(runs, runId);
    expect((await runs.get(runId))?.status).toBe('succeeded');
  });

  it('keeps at most maxFinishedRuns finished runs, dropping the oldest', async () => {
    const runs = new MemoryRunService({ operations: operations(), maxFinishedRuns: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { runId } = await runs.start(orderSequence(), ORDER_INPUT);
      ids.push(runId);
      await finished(runs, runId);
    }
    expect((await runs.list()).map((r) => r.runId)).toEqual([ids[2], ids[1]]);
    expect(await runs.get(ids[0] ?? '')).toBeUndefined();
  });

  it('cancels running runs on close', async () => {
    const gate = new Gate();
    const runs = new MemoryRunService({ operations: operations(gate.definition()) });
    const { runId } = await runs.start(sequenceOf({ name: 'held', operation: 'gate' }), {});
    await gate.started;
    await runs.close();
    expect((await runs.get(runId))?.status).toBe('cancelled');
    await expect(runs.start(orderSequence(), ORDER_INPUT)).rejects.toThrow(/shutting down/);
  });
});
