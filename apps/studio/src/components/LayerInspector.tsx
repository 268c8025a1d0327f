import type { LayerJson } from 'fusync';
import { useId, useMemo } from 'react';
import { connectLayers } from '../canvas/Canvas';
import { numberFromText, validateLayer } from '../lib/validate-fields';
import { browserCatalog } from '../operations';
import { DEFAULT_EXPECTED_DURATION_MS } from '../run/simulate-run';
import {
  type GraphStore,
  graphStore,
  type LayerPatch,
  selectConfig,
  selectLayerData,
  useGraphStore,
} from '../stores/graph-store';
import { selectLayerStatus, selectSimulated, useRunStore } from '../stores/run-store';
import { selectServerOperations, useUiStore } from '../stores/ui-store';
import { ArgsCheck } from './ArgsCheck';
import { DraftInput, SelectField } from './fields';
import { OperationPicker } from './OperationPicker';

type NumberField = 'priority' | 'retries' | 'retryDelay' | 'timeout';

function argsFromText(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

const selectLayerNames = (state: GraphStore): string =>
  state.nodes.map((node) => node.id).join('\n');

/**
 * Adds a dependency without a mouse: a list of the other layers. A choice
 * that would close a cycle is refused with the path, as a connection is.
 */
function AddDependency({ name, dependsOn }: { name: string; dependsOn: readonly string[] }) {
  const names = useGraphStore(selectLayerNames);
  const id = useId();
  const candidates = names
    .split('\n')
    .filter(
      (candidate) => candidate !== '' && candidate !== name && !dependsOn.includes(candidate),
    );
  if (candidates.length === 0) return null;
  return (
    <select
      id={id}
      className="select add-dependency"
      value=""
      aria-label={`Add a dependency of ${name}`}
      data-testid="add-dependency"
      onChange={(event) => {
        if (event.target.value !== '') connectLayers({ source: event.target.value, target: name });
      }}
    >
      <option value="">Add a dependency…</option>
      {candidates.map((candidate) => (
        <option key={candidate} value={candidate}>
          {candidate}
        </option>
      ))}
    </select>
  );
}

/** Edits every LayerConfig field of one layer, checked by the engine as you type. */
export function LayerInspector({ name }: { name: string }) {
  const selector = useMemo(() => selectLayerData(name), [name]);
  const data = useGraphStore(selector);
  const config = useGraphStore(selectConfig);
  const status = useRunStore(useMemo(() => selectLayerStatus(name), [name]));
  const simulated = useRunStore(selectSimulated);
  const serverOperations = useUiStore(selectServerOperations);
  if (!data) return null;
  const layer = data.layer;

  const check = (field: string, candidate: LayerJson, expected?: number) => {
    const errors = validateLayer(candidate, expected);
    return errors[field] ?? (field === 'name' ? errors.layer : undefined);
  };
  const update = (patch: LayerPatch) => graphStore.getState().updateLayer(name, patch);

  const numberField = (field: NumberField, label: string, placeholder: string, hint?: string) => (
    <DraftInput
      label={label}
      value={layer[field] === undefined ? '' : String(layer[field])}
      placeholder={placeholder}
      inputMode="numeric"
      {...(hint ? { hint } : {})}
      testId={`layer-${field}`}
      validate={(draft) => check(field, { ...layer, [field]: numberFromText(draft) } as LayerJson)}
      onCommit={(draft) => update({ [field]: numberFromText(draft) as number | undefined })}
    />
  );

  return (
    <div data-testid="layer-inspector" data-layer={name}>
      <h2 title={name}>{name}</h2>
      <p className="subtitle">
        Layer ·{' '}
        {status ? (
          <span
            className={`status-chip ${status}${simulated ? ' simulated' : ''}`}
            data-simulated={simulated}
          >
            {simulated ? `simulated · ${status}` : status}
          </span>
        ) : (
          'not run yet'
        )}
      </p>
      <DraftInput
        label="Name"
        value={name}
        code
        testId="layer-name"
        validate={(draft) => {
          const problem = check('name', { ...layer, name: draft });
          if (problem) return problem;
          if (draft !== name && graphStore.getState().nodes.some((node) => node.id === draft))
            return `A layer named \`${draft}\` already exists. Layer names must be unique.`;
          return undefined;
        }}
        onCommit={(draft) => {
          const result = graphStore.getState().renameLayer(name, draft);
          if (result.ok) graphStore.getState().selectLayers([draft]);
        }}
      />
      <DraftInput
        label="Operation"
        value={layer.operation}
        code
        testId="layer-operation"
        list="operation-names"
        hint="Name of the function the layer runs, bound on load"
        validate={(draft) => check('operation', { ...layer, operation: draft })}
        onCommit={(draft) => update({ operation: draft })}
      />
      <datalist id="operation-names">
        {[...new Set([...browserCatalog, ...serverOperations].map((op) => op.name))].map((op) => (
          <option key={op} value={op} />
        ))}
      </datalist>
      <OperationPicker operation={layer.operation} onPick={(operation) => update({ operation })} />
      <DraftInput
        label="Arguments"
        value={(layer.args ?? []).join(', ')}
        code
        placeholder="none: the results of dependsOn, in order"
        hint="Names resolved from upstream results and the run input, comma-separated"
        testId="layer-args"
        validate={(draft) => {
          const args = argsFromText(draft);
          const { args: _previous, ...rest } = layer;
          return check('args', args.length > 0 ? { ...rest, args } : rest);
        }}
        onCommit={(draft) => {
          const args = argsFromText(draft);
          update({ args: args.length > 0 ? args : undefined });
        }}
      />
      {layer.args && <ArgsCheck layer={name} args={layer.args} />}
      <div className="field">
        <div className="label">
          <span>Depends on</span>
          <small>connect handles, or add below</small>
        </div>
        <div className="chips" data-testid="layer-depends-on">
          {(layer.dependsOn ?? []).length === 0 ? (
            <span className="muted">nothing: starts at once</span>
          ) : (
            (layer.dependsOn ?? []).map((dependency) => (
              <span key={dependency} className="chip">
                {dependency}
                <button
                  type="button"
                  aria-label={`Remove dependency on ${dependency}`}
                  onClick={() => graphStore.getState().removeDependency(dependency, name)}
                >
                  ×
                </button>
              </span>
            ))
          )}
        </div>
        <AddDependency name={name} dependsOn={layer.dependsOn ?? []} />
      </div>
      <div className="grid-2">
        {numberField('priority', 'Priority', '0', 'Higher starts first')}
        {numberField('retries', 'Retries', `${config.maxRetries ?? 0} (sequence)`)}
        {numberField('retryDelay', 'Retry delay (ms)', `${config.retryDelay ?? 0} (sequence)`)}
        {numberField(
          'timeout',
          'Timeout (ms)',
          config.timeout === undefined ? 'none' : `${config.timeout} (sequence)`,
        )}
      </div>
      <SelectField<'abort' | 'continue'>
        label="On error"
        value={layer.onError ?? ''}
        testId="layer-onError"
        options={[
          { value: '', label: 'abort (default): stop the run' },
          { value: 'abort', label: 'abort: stop the run' },
          { value: 'continue', label: 'continue: skip what depends on it' },
        ]}
        onChange={(value) => update({ onError: value === '' ? undefined : value })}
      />
      <DraftInput
        label="Description"
        value={layer.description ?? ''}
        multiline
        testId="layer-description"
        placeholder="Shown in logs, spans and here"
        validate={(draft) => check('description', { ...layer, description: draft })}
        onCommit={(draft) => update({ description: draft === '' ? undefined : draft })}
      />
      <div className="divider" />
      <DraftInput
        label="Expected duration (ms)"
        value={data.expectedDurationMs === undefined ? '' : String(data.expectedDurationMs)}
        placeholder={`${DEFAULT_EXPECTED_DURATION_MS}`}
        inputMode="numeric"
        hint="What Simulate assumes one attempt takes"
        testId="layer-expectedDuration"
        validate={(draft) => {
          const value = numberFromText(draft);
          if (typeof value === 'string') return `Expected a duration in ms, got \`'${value}'\`.`;
          return check('expectedDurationMs', layer, value);
        }}
        onCommit={(draft) =>
          update({ expectedDurationMs: numberFromText(draft) as number | undefined })
        }
      />
    </div>
  );
}
