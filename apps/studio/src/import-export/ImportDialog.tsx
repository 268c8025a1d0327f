import { runRecordFromEvents } from 'fusync';
import { useEffect, useMemo, useRef, useState } from 'react';
import { showRunFromFile } from '../run/run-belongs';
import { selectImportOpen, uiStore, useUiStore } from '../stores/ui-store';
import { locateJsonPath } from './locate-json-path';
import { layerCountText, openSequenceText } from './open-sequence';
import { isSimulatedRun, readRunEvents } from './read-run-events';
import type { SequenceProblem } from './read-sequence';

interface PreviewLayer {
  name: string;
  problem: SequenceProblem | undefined;
}

function previewLayers(
  text: string,
  problems: readonly SequenceProblem[],
): PreviewLayer[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const layers = (value as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers)) return undefined;
  return layers.map((layer: unknown, index) => {
    const name =
      typeof layer === 'object' &&
      layer !== null &&
      typeof (layer as { name?: unknown }).name === 'string'
        ? (layer as { name: string }).name
        : `#${index}`;
    return { name, problem: problems.find((problem) => problem.layerIndex === index) };
  });
}

/** Opens a run's saved event record in the run views; false when the text is not one. */
function openRunRecord(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const events = readRunEvents(value);
  if (!events) return false;
  const simulated = isSimulatedRun(value, events);
  showRunFromFile(runRecordFromEvents(events), simulated);
  uiStore.getState().setPanelTab('gantt');
  uiStore
    .getState()
    .notify(
      'success',
      `Opened ${simulated ? 'simulated run' : 'run'} ${events[0]?.runId ?? ''}: ${events.length} events.`,
    );
  return true;
}

/**
 * Import a sequence from a file or pasted JSON; every problem is shown at the
 * field it concerns. A run's saved event record opens in the run views.
 */
export function ImportDialog() {
  const open = useUiStore(selectImportOpen);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<SequenceProblem[]>([]);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) {
      setProblems([]);
      requestAnimationFrame(() => areaRef.current?.focus());
    }
  }, [open]);

  const preview = useMemo(
    () => (problems.length > 0 ? previewLayers(text, problems) : undefined),
    [text, problems],
  );
  if (!open) return null;

  const close = () => uiStore.getState().setImportOpen(false);
  const tryImport = (source: string) => {
    if (openRunRecord(source)) {
      setText('');
      close();
      return;
    }
    const result = openSequenceText(source);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    setText('');
    close();
    uiStore
      .getState()
      .notify(
        'success',
        `Imported ${result.json.name ?? 'the sequence'}: ${layerCountText(result.json.layers.length)}.`,
      );
  };
  const pointAt = (problem: SequenceProblem) => {
    const location = locateJsonPath(text, problem.path);
    const area = areaRef.current;
    if (!location || !area) return;
    area.focus();
    area.setSelectionRange(location.start, location.end);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (location.line - 4) * lineHeight);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click beside the dialog closes it, as Escape and Cancel do.
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && close()}
    >
      <div
        onKeyDown={(event) => event.key === 'Escape' && close()}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-title"
        data-testid="import-dialog"
      >
        <header>
          <h2 id="import-title">Import a sequence</h2>
          <button type="button" className="button ghost" onClick={close} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="body">
          <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
            <p className="drop-hint">
              Paste the JSON of a sequence (what <code>Export</code> or the engine's{' '}
              <code>save()</code> writes), or choose a file. Missing positions are laid out
              automatically. A run's saved events open in the Gantt chart. Importing a sequence
              replaces the canvas; <span className="kbd">Ctrl Z</span> brings the old one back.
            </p>
            <textarea
              ref={areaRef}
              className="textarea code"
              spellCheck={false}
              value={text}
              placeholder='{ "format": "fusync.sequence", "version": 1, "layers": [ … ] }'
              aria-label="Sequence JSON"
              aria-invalid={problems.length > 0}
              data-testid="import-text"
              onChange={(event) => {
                setText(event.target.value);
                if (problems.length > 0) setProblems([]);
              }}
            />
          </div>
          <div>
            {problems.length === 0 ? (
              <div className="empty-state" style={{ height: 'auto', paddingTop: 40 }}>
                <strong>Checked by the engine</strong>
                <span>
                  The format, every field, unique names, known dependencies and the absence of
                  cycles are checked before anything changes.
                </span>
              </div>
            ) : (
              <>
                <div className="section-title">
                  {problems.length} problem{problems.length === 1 ? '' : 's'}
                </div>
                <ul className="problems" data-testid="import-problems">
                  {problems.map((problem) => {
                    const location = locateJsonPath(text, problem.path);
                    return (
                      <li key={`${problem.path}:${problem.message}`} role="alert">
                        <button
                          type="button"
                          className="problem"
                          data-testid="import-problem"
                          data-path={problem.path}
                          data-layer={problem.layerName}
                          data-field={problem.field}
                          onClick={() => pointAt(problem)}
                        >
                          <code>{problem.path || '(root)'}</code> {problem.message}
                          <div className="where">
                            {problem.layerName
                              ? `Layer ${problem.layerName}`
                              : problem.layerIndex !== undefined
                                ? `Layer #${problem.layerIndex}`
                                : 'Sequence'}
                            {problem.field ? ` · field ${problem.field}` : ''}
                            {location
                              ? ` · line ${location.line}, column ${location.column} (click to show)`
                              : ''}
                          </div>
                        </button>
                      </li>
                    );
                  })}
                </ul>
                {preview && (
                  <>
                    <div className="section-title">Layers</div>
                    <ul className="layer-preview" data-testid="import-layer-preview">
                      {preview.map((layer, index) => (
                        <li
                          // biome-ignore lint/suspicious/noArrayIndexKey: names may repeat in a bad file; the position is the identity.
                          key={index}
                          className={layer.problem ? 'bad' : undefined}
                          data-bad={Boolean(layer.problem)}
                          data-layer={layer.name}
                        >
                          <span>
                            [{index}] {layer.name}
                          </span>
                          {layer.problem && (
                            <span className="field-tag">{layer.problem.field ?? 'layer'}</span>
                          )}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            )}
          </div>
        </div>
        <footer>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="import-file"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (!file) return;
              const content = await file.text();
              setText(content);
              tryImport(content);
            }}
          />
          <button type="button" className="button" onClick={() => fileRef.current?.click()}>
            Choose file…
          </button>
          <span className="spacer" />
          <button type="button" className="button ghost" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => tryImport(text)}
            disabled={text.trim() === ''}
            data-testid="import-submit"
          >
            Import
          </button>
        </footer>
      </div>
    </div>
  );
}
