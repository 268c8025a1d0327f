import type { OperationCatalog } from '../operations/operation-catalog.js';
import { MemoryRunService } from '../runs/memory-run-service.js';
import { DiskSequenceStore } from '../sequences/disk-sequence-store.js';
import { MemorySequenceStore } from '../sequences/memory-sequence-store.js';
import type { Backend } from './backend.js';

/** Options of the embedded (no Redis) backend. */
export interface MemoryBackendOptions {
  operations: OperationCatalog;
  /** A directory for stored sequences, or `memory` to keep them in the process. */
  sequencesDir: string | 'memory';
  maxFinishedRuns?: number;
}

/** Runs in this process, sequences on disk (or in memory): `pnpm start` on a bare machine. */
export function createMemoryBackend(options: MemoryBackendOptions): Backend {
  const runs = new MemoryRunService({
    operations: options.operations.registry,
    ...(options.maxFinishedRuns === undefined ? {} : { maxFinishedRuns: options.maxFinishedRuns }),
  });
  const sequences =
    options.sequencesDir === 'memory'
      ? new MemorySequenceStore()
      : new DiskSequenceStore(options.sequencesDir);
  return { kind: 'memory', runs, sequences, close: () => runs.close() };
}
