import type { RerunFrom, SequenceJson } from 'fusync';
import { FusyncError } from 'fusync';
import { copyText, downloadSequence, sequenceText } from './import-export/export-sequence';
import { cancelActiveRun } from './run/active-run';
import { RunStartError, rerunInBrowser, runInBrowser } from './run/browser-run';
import { rerunTarget } from './run/rerun';
import { parseRunInput } from './run/run-input';
import { ServerError } from './run/server-api';
import { rerunOnServer, runOnServer } from './run/server-run';
import { simulateSequence } from './run/simulate-run';
import { currentSequenceJson, graphStore } from './stores/graph-store';
import { runStore, selectIsRunning } from './stores/run-store';
import { storedSequencesStore } from './stores/stored-sequences-store';
import { uiStore } from './stores/ui-store';
import { studioTracer } from './tracing/tracing';

/**
 * What the toolbar, the keyboard and the panels do: each reads the stores,
 * calls the engine or the server, and reports to the user through a notice.
 */

/** Shows the run views: the Gantt chart, unless one of the run's views is already open. */
function showRun(): void {
  const tab = uiStore.getState().panelTab;
  if (tab !== 'gantt' && tab !== 'timeline' && tab !== 'metrics')
    uiStore.getState().setPanelTab('gantt');
  else uiStore.getState().togglePanel(true);
}

function notify(kind: 'error' | 'info' | 'success', text: string): void {
  uiStore.getState().notify(kind, text);
}

function runnableSequence(): SequenceJson | undefined {
  const json = currentSequenceJson();
  if (json.layers.length === 0) {
    notify('info', 'The canvas is empty: drag an operation from the palette first.');
    return undefined;
  }
  return json;
}

function runInput(): Record<string, unknown> | undefined {
  const input = parseRunInput(uiStore.getState().inputText);
  if (!input.ok) {
    notify('error', input.message);
    return undefined;
  }
  return input.value;
}

/** Selects the layer an error names, when it is on the canvas. */
function selectLayerOf(error: unknown): void {
  const layer =
    error instanceof RunStartError || error instanceof FusyncError || error instanceof ServerError
      ? error.layer
      : undefined;
  if (layer && graphStore.getState().nodes.some((node) => node.id === layer))
    graphStore.getState().selectLayers([layer]);
}

function reportStartError(error: unknown): void {
  selectLayerOf(error);
  notify('error', error instanceof Error ? error.message : String(error));
}

/** Says how a run of this tab ended. */
function reportBrowserRun(what: 'Run' | 'Rerun'): void {
  const status = runStore.getState().status;
  if (status === 'succeeded') notify('success', `${what} succeeded in the browser.`);
  else if (status === 'failed') notify('error', `${what} failed: ${failureSummary()}`);
  else if (status === 'cancelled') notify('info', `${what} cancelled.`);
}

function failureSummary(): string {
  const record = runStore.getState().record;
  const failed = record?.layers.filter((layer) => layer.status === 'failed') ?? [];
  const first = failed[0];
  if (!first) return record?.error?.message ?? 'see the Gantt chart.';
  const skipped = record?.layers.filter((layer) => layer.status === 'skipped').length ?? 0;
  const more =
    failed.length > 1
      ? ` (and ${failed.length - 1} more layer${failed.length > 2 ? 's' : ''})`
      : '';
  return `\`${first.name}\` failed${more}: ${first.error?.message ?? 'no message'}${skipped > 0 ? `; ${skipped} layer${skipped === 1 ? '' : 's'} skipped` : ''}.`;
}

export function runInBrowserNow(): void {
  const json = runnableSequence();
  const input = json && runInput();
  if (!json || !input) return;
  showRun();
  runInBrowser(json, input, { tracer: studioTracer }).then(
    () => reportBrowserRun('Run'),
    reportStartError,
  );
}

/** Opens the rerun dialog, starting from the failures or from the given layers. */
export function openRerunNow(from: RerunFrom = 'failed'): void {
  const target = rerunTarget(runStore.getState());
  if (!target.ok) {
    notify('info', target.reason);
    return;
  }
  uiStore.getState().openRerun(from);
}

/**
 * Reruns the run on display: in this tab (a browser run or one opened from a
 * file, with the canvas as it is now) or on the server (a server run).
 * Resolves once the rerun has started; rejects — the layer it names
 * selected, the run on display kept — when it is refused.
 */
export async function rerunNow(from: RerunFrom, input: Record<string, unknown>): Promise<void> {
  const found = rerunTarget(runStore.getState());
  if (!found.ok) throw new Error(found.reason);
  const target = found.target;
  if (target.kind === 'server') {
    let runId: string;
    try {
      runId = await rerunOnServer(target.parentRunId, { from, input });
    } catch (error) {
      selectLayerOf(error);
      throw error;
    }
    showRun();
    notify('info', `Server run ${runId} started: a rerun of ${target.parentRunId}.`);
    return;
  }
  let finished: Promise<void>;
  try {
    finished = rerunInBrowser(
      currentSequenceJson(),
      target.parent,
      { from, input },
      { tracer: studioTracer },
    );
  } catch (error) {
    selectLayerOf(error);
    throw error;
  }
  showRun();
  finished.then(() => reportBrowserRun('Rerun'), reportStartError);
}

export function runOnServerNow(): void {
  const json = runnableSequence();
  const input = json && runInput();
  if (!json || !input) return;
  showRun();
  runOnServer(json, input).then(
    (runId) => notify('info', `Server run ${runId} started.`),
    (error: unknown) => {
      const layer =
        error instanceof ServerError ? (error.layer ?? layerAtPath(json, error.path)) : undefined;
      if (layer && graphStore.getState().nodes.some((node) => node.id === layer))
        graphStore.getState().selectLayers([layer]);
      const where = error instanceof ServerError && error.path ? ` (at \`${error.path}\`)` : '';
      notify('error', `The server did not start the run${where}: ${(error as Error).message}`);
    },
  );
}

/** The layer a request path such as `sequence.layers[2].operation` points at. */
function layerAtPath(json: SequenceJson, path: string | undefined): string | undefined {
  const match = path ? /layers\[(\d+)\]/.exec(path) : null;
  return match ? json.layers[Number(match[1])]?.name : undefined;
}

export function simulateNow(): void {
  const json = runnableSequence();
  if (!json) return;
  const text = uiStore.getState().simulateConcurrency.trim();
  let concurrency: number | undefined;
  if (text !== '') {
    concurrency = text.toLowerCase() === 'infinity' ? Number.POSITIVE_INFINITY : Number(text);
    if (!Number.isInteger(concurrency) && concurrency !== Number.POSITIVE_INFINITY) {
      notify(
        'error',
        `Expected the simulation's concurrency to be an integer ≥ 1, got \`${text}\`.`,
      );
      return;
    }
  }
  try {
    const record = simulateSequence(json, concurrency);
    runStore.getState().show(record, 'simulation');
    showRun();
  } catch (error) {
    reportStartError(error);
  }
}

export function cancelRunNow(): void {
  cancelActiveRun();
}

export function downloadNow(): void {
  downloadSequence(currentSequenceJson());
}

export function copyJsonNow(): void {
  copyText(sequenceText(currentSequenceJson())).then(
    () => notify('success', 'Sequence JSON copied to the clipboard.'),
    (error: unknown) => notify('error', (error as Error).message),
  );
}

let clipboard: SequenceJson | undefined;

export function copySelectionNow(): void {
  const fragment = graphStore.getState().copySelection();
  if (!fragment) return;
  clipboard = fragment;
  void copyText(sequenceText(fragment)).catch(() => {});
  notify(
    'info',
    `Copied ${fragment.layers.length} layer${fragment.layers.length === 1 ? '' : 's'}.`,
  );
}

export function pasteNow(): void {
  if (!clipboard) return;
  const names = graphStore.getState().paste(clipboard);
  if (names.length > 0) notify('info', `Pasted ${names.join(', ')}.`);
}

export function deleteSelectionNow(): void {
  graphStore.getState().removeSelected();
}

/**
 * Starts an empty sequence: one undo step, so Ctrl+Z brings the old one back.
 * The run views are cleared with it (unless a run is still going: its views stay).
 */
export function newSequenceNow(): void {
  graphStore.getState().reset();
  storedSequencesStore.getState().setLastName(undefined);
  if (!selectIsRunning(runStore.getState())) runStore.getState().clear();
  notify('info', 'New, empty sequence. Ctrl+Z brings back the previous one.');
}
