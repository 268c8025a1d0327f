import type { SequenceJson } from 'fusync';

/** One stored sequence, as `GET /api/sequences` lists it. */
export interface SequenceSummary {
  name: string;
  /** The sequence's own `name` and `description` fields, when set. */
  title?: string;
  description?: string;
  layerCount: number;
  /** Epoch ms of the last `put`. */
  updatedAt: number;
  /** Set when the stored copy can no longer be read (a damaged file). */
  error?: string;
}

/**
 * Where the server keeps sequences by name: in memory, in a directory, or in
 * Redis. Names are checked with `assertSequenceName` before any call (each
 * store checks again); bodies are validated sequence JSON.
 */
export interface SequenceStore {
  /** Every stored sequence, sorted by name. */
  list(): Promise<SequenceSummary[]>;
  /** The sequence exactly as it was put, or `undefined`. */
  get(name: string): Promise<SequenceJson | undefined>;
  /** Stores (or replaces) a sequence; `created` tells which. */
  put(name: string, sequence: SequenceJson): Promise<{ created: boolean }>;
  /** Removes a sequence; `false` when there was none. */
  delete(name: string): Promise<boolean>;
}

/** The summary of `sequence` stored under `name`. */
export function summarize(
  name: string,
  sequence: SequenceJson,
  updatedAt: number,
): SequenceSummary {
  const summary: SequenceSummary = { name, layerCount: sequence.layers.length, updatedAt };
  if (sequence.name !== undefined) summary.title = sequence.name;
  if (sequence.description !== undefined) summary.description = sequence.description;
  return summary;
}
