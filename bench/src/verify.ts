import type { Dag } from './dag.js';
import type { Runner, Work } from './runner.js';

/** What a checked run saw. */
export interface VerifyReport {
  layers: number;
  /** Most layers whose work was in progress at once. */
  maxActive: number;
  concurrency: number;
  violations: string[];
}

/**
 * Wraps a layer's work so that a run checks itself: each layer starts once,
 * only after every dependency's work has resolved, and never more than
 * `concurrency` at a time. Cheap enough to wrap the real scenarios.
 */
export function checkedWork(
  dag: Dag,
  concurrency: number,
  inner: Work,
): { work: Work; report(): VerifyReport } {
  const state = new Uint8Array(dag.size); // 0 = not started, 1 = running, 2 = done
  // Per kind of violation: the first one seen and how many followed, so one kind cannot hide another.
  const violations = new Map<string, { first: string; count: number }>();
  let active = 0;
  let maxActive = 0;
  const violate = (kind: string, message: string): void => {
    const seen = violations.get(kind);
    if (seen) seen.count++;
    else violations.set(kind, { first: message, count: 1 });
  };
  const work: Work = async (layer) => {
    if (state[layer] !== 0) violate('twice', `${dag.names[layer]} started twice`);
    for (const d of dag.dependencies[layer] as readonly number[]) {
      if (state[d] !== 2)
        violate(
          'order',
          `${dag.names[layer]} started before its dependency ${dag.names[d]} finished`,
        );
    }
    state[layer] = 1;
    active++;
    if (active > maxActive) maxActive = active;
    if (active > concurrency)
      violate(
        'limit',
        `${active} layers running at once (limit ${concurrency}) when ${dag.names[layer]} started`,
      );
    try {
      return await inner(layer);
    } finally {
      active--;
      state[layer] = 2;
    }
  };
  const report = (): VerifyReport => {
    const missing = state.reduce((count, s) => count + (s === 2 ? 0 : 1), 0);
    const all = [...violations.values()].map(({ first, count }) =>
      count > 1 ? `${first} (and ${count - 1} more)` : first,
    );
    if (missing > 0) all.push(`${missing} layers never finished`);
    return { layers: dag.size, maxActive, concurrency, violations: all };
  };
  return { work, report };
}

/** Runs `runner` once over `dag` with checked work. */
export async function verifyRunner(
  runner: Runner,
  dag: Dag,
  concurrency: number,
  inner: Work,
): Promise<VerifyReport> {
  const checked = checkedWork(dag, concurrency, inner);
  await runner.run(dag, checked.work, concurrency);
  return checked.report();
}
