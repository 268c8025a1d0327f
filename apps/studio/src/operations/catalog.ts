/** Where an operation runs: in this tab, or on the server's workers. */
export type OperationSource = 'browser' | 'server';

/** What the palette shows of an operation. */
export interface OperationInfo {
  name: string;
  description: string;
  /** Argument names a new layer of this operation starts with. */
  args: string[];
  source: OperationSource;
  /** Expected duration a new layer starts with, for simulations. */
  expectedDurationMs?: number;
}
