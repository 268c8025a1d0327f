import type { RunRecord } from 'fusync';
import { useMemo } from 'react';
import { graphStore, selectRevision, useGraphStore } from '../stores/graph-store';
import { runStore, selectAttached, useRunStore } from '../stores/run-store';
import { activeRunKind, cancelActiveRun, setActiveRun } from './active-run';
import {
  compareRunLayers,
  isMatch,
  type RunMismatch,
  runLayersOf,
  sequenceOfRun,
} from './run-match';
import { followServerRun, stopFollowing } from './server-run';

/**
 * A run belongs to the sequence it ran. Loading another sequence clears the
 * run views; a run opened from the server's list or from a file paints its
 * statuses on the canvas only when its layers are the canvas' — otherwise
 * the run panel says it does not match and offers to open the run's graph.
 */

function canvasLayers() {
  return graphStore.getState().nodes.map((node) => node.data.layer);
}

function matchesCanvas(record: RunRecord | undefined): boolean | undefined {
  const layers = runLayersOf(record);
  return layers ? isMatch(compareRunLayers(layers, canvasLayers())) : undefined;
}

/**
 * Stops showing the run on display: a run in this tab is cancelled (its
 * results would land on a sequence that is gone), a server run goes on
 * there but is no longer followed (_Server runs_ opens it again).
 */
export function detachRun(): void {
  if (activeRunKind() === 'browser') cancelActiveRun();
  else setActiveRun(undefined);
  stopFollowing();
  if (runStore.getState().status !== 'idle') runStore.getState().clear();
}

/** Clears the run views whenever another sequence replaces the canvas. */
export function installRunBelongsToSequence(): () => void {
  return graphStore.subscribe((state, previous) => {
    if (state.sequenceId !== previous.sequenceId) detachRun();
  });
}

/** Attaches the run on display to the canvas once its `run:started` says it matches. */
function attachWhenKnown(): void {
  const known = matchesCanvas(runStore.getState().record);
  if (known !== undefined) {
    runStore.getState().attach(known);
    return;
  }
  runStore.getState().attach(false);
  const runId = runStore.getState().runId;
  const unsubscribe = runStore.subscribe((state) => {
    if (state.status === 'idle' || (state.runId !== undefined && state.runId !== runId)) {
      unsubscribe();
      return;
    }
    const matches = matchesCanvas(state.record);
    if (matches === undefined) return;
    unsubscribe();
    if (matches) runStore.getState().attach(true);
  });
}

/** Opens a run of the server's list: followed live, on the canvas only if its layers are the canvas'. */
export function openServerRun(runId: string): void {
  followServerRun(runId);
  attachWhenKnown();
}

/** Shows a run read from a saved events file. */
export function showRunFromFile(record: RunRecord, simulated: boolean): void {
  runStore.getState().show(record, 'file', { attached: matchesCanvas(record) === true, simulated });
}

/** Replaces the canvas with the graph of the run on display, which then shows its statuses. */
export function openRunGraph(): boolean {
  const record = runStore.getState().record;
  const json = record && sequenceOfRun(record);
  if (!json) return false;
  graphStore.getState().loadSequence(json, { sameSequence: true });
  runStore.getState().attach(true);
  return true;
}

/**
 * How the canvas differs from the run on display: `edited` when the run
 * was started from the canvas (or matched it) and the canvas changed since,
 * `other` when the run is of another sequence. Undefined when they match.
 */
export function useRunMismatch(): { kind: 'edited' | 'other'; mismatch: RunMismatch } | undefined {
  const revision = useGraphStore(selectRevision);
  const attached = useRunStore(selectAttached);
  const record = useRunStore((state) => state.record);
  const layers = runLayersOf(record);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the canvas is read when `revision` changes; the run's layers never change once known.
  return useMemo(() => {
    if (!layers) return undefined;
    const mismatch = compareRunLayers(layers, canvasLayers());
    if (isMatch(mismatch)) return undefined;
    return { kind: attached ? 'edited' : 'other', mismatch };
  }, [layers, revision, attached]);
}
