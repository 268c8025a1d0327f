import {
  FusyncError,
  planRerun,
  type RerunFrom,
  type RerunLayer,
  type RunRecord,
  type SequenceJson,
} from 'fusync';
import type { RunState } from '../stores/run-store';

/**
 * Where a rerun of the run on display goes: a run of this tab, or one opened
 * from a file, reruns here from its record (with the canvas as it is now); a
 * server run reruns on the server (with the sequence as it ran there).
 */
export type RerunTarget =
  | { kind: 'browser'; parent: RunRecord }
  | { kind: 'server'; parent: RunRecord; parentRunId: string };

/** The target of a rerun of the run on display, or why there is none. */
export function rerunTarget(
  state: Pick<RunState, 'source' | 'status' | 'record'> & { simulated?: boolean },
): { ok: true; target: RerunTarget } | { ok: false; reason: string } {
  const { record, source, status } = state;
  if (!record || source === undefined || status === 'idle' || status === 'starting')
    return { ok: false, reason: 'No run to rerun yet.' };
  if (status === 'running')
    return { ok: false, reason: 'The run is still going: wait for it, or cancel it, first.' };
  if (state.simulated && source === 'file')
    return {
      ok: false,
      reason: 'A simulation has no results to reuse: run the sequence, then rerun it.',
    };
  switch (source) {
    case 'simulation':
      return {
        ok: false,
        reason: 'A simulation has no results to reuse: run the sequence, then rerun it.',
      };
    case 'server':
      return { ok: true, target: { kind: 'server', parent: record, parentRunId: record.runId } };
    case 'browser':
    case 'file':
      return { ok: true, target: { kind: 'browser', parent: record } };
  }
}

/** The layers a rerun plans with: the canvas's for a browser rerun, the parent run's on the server. */
export function rerunLayers(target: RerunTarget, canvas: SequenceJson): readonly RerunLayer[] {
  return target.kind === 'browser' ? canvas.layers : target.parent.layers;
}

/** What a rerun will do, as the dialog previews it. */
export type RerunPreview =
  | { ok: true; rerun: string[]; reused: string[] }
  | { ok: false; message: string; layer: string | undefined };

/** The engine's `planRerun` of the rerun, or its refusal in words. */
export function previewRerun(
  target: RerunTarget,
  canvas: SequenceJson,
  from: RerunFrom,
): RerunPreview {
  try {
    const plan = planRerun(rerunLayers(target, canvas), target.parent, from);
    return { ok: true, rerun: plan.rerun, reused: plan.reused };
  } catch (error) {
    return {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      layer: error instanceof FusyncError ? error.layer : undefined,
    };
  }
}

/** `'failed'`, or layers (downstream included) by name: what `from` reads as in a title. */
export function rerunFromText(from: RerunFrom): string {
  return from === 'failed' ? 'the failures' : from.map((name) => `\`${name}\``).join(', ');
}
