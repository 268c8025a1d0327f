import type { SequenceJson } from 'fusync';
import { assertSequenceName } from './sequence-name.js';
import { type SequenceStore, type SequenceSummary, summarize } from './sequence-store.js';

/** Sequences kept in this process: lost on restart (tests, throwaway servers). */
export class MemorySequenceStore implements SequenceStore {
  readonly #entries = new Map<string, { json: string; summary: SequenceSummary }>();

  async list(): Promise<SequenceSummary[]> {
    return [...this.#entries.values()]
      .map((entry) => ({ ...entry.summary }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<SequenceJson | undefined> {
    assertSequenceName(name);
    const entry = this.#entries.get(name);
    // Stored as text so callers never share (and mutate) the stored object.
    return entry === undefined ? undefined : (JSON.parse(entry.json) as SequenceJson);
  }

  async put(name: string, sequence: SequenceJson): Promise<{ created: boolean }> {
    assertSequenceName(name);
    const created = !this.#entries.has(name);
    this.#entries.set(name, {
      json: JSON.stringify(sequence),
      summary: summarize(name, sequence, Date.now()),
    });
    return { created };
  }

  async delete(name: string): Promise<boolean> {
    assertSequenceName(name);
    return this.#entries.delete(name);
  }
}
