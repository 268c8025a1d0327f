import type { SequenceConfigJson } from 'fusync';
import { numberFromText, validateConfig } from '../lib/validate-fields';
import {
  graphStore,
  selectConfig,
  selectLayerCount,
  selectMeta,
  useGraphStore,
} from '../stores/graph-store';
import { DraftInput, SelectField } from './fields';

type NumberOption = 'concurrency' | 'maxRetries' | 'retryDelay' | 'timeout';

/** Edits the SequenceConfig (and the sequence's name), checked by the engine's `resolveOptions`. */
export function SequenceInspector() {
  const config = useGraphStore(selectConfig);
  const meta = useGraphStore(selectMeta);
  const layers = useGraphStore(selectLayerCount);

  const numberOption = (field: NumberOption, label: string, placeholder: string, hint?: string) => (
    <DraftInput
      label={label}
      value={config[field] === undefined ? '' : String(config[field])}
      placeholder={placeholder}
      inputMode="numeric"
      {...(hint ? { hint } : {})}
      testId={`sequence-${field}`}
      validate={(draft) =>
        validateConfig({ ...config, [field]: numberFromText(draft) } as SequenceConfigJson)[field]
      }
      onCommit={(draft) =>
        graphStore.getState().updateConfig({ [field]: numberFromText(draft) as number | undefined })
      }
    />
  );

  return (
    <div data-testid="sequence-inspector">
      <h2>Sequence</h2>
      <p className="subtitle">
        {layers} layer{layers === 1 ? '' : 's'} · select a layer to edit it
      </p>
      <DraftInput
        label="Name"
        value={meta.name ?? ''}
        placeholder="untitled"
        testId="sequence-name"
        validate={(draft) => validateConfig(config, draft === '' ? undefined : draft).name}
        onCommit={(draft) =>
          graphStore.getState().updateMeta({ name: draft === '' ? undefined : draft })
        }
      />
      <DraftInput
        label="Description"
        value={meta.description ?? ''}
        multiline
        testId="sequence-description"
        validate={(draft) =>
          draft.length > 10_000 ? 'A description holds at most 10,000 characters.' : undefined
        }
        onCommit={(draft) =>
          graphStore.getState().updateMeta({ description: draft === '' ? undefined : draft })
        }
      />
      <SelectField<'FIFO' | 'LIFO'>
        label="Queue type"
        value={config.queueType ?? ''}
        testId="sequence-queueType"
        hint="Order of ready layers of equal priority"
        options={[
          { value: '', label: 'FIFO (default): oldest ready first' },
          { value: 'FIFO', label: 'FIFO: oldest ready first' },
          { value: 'LIFO', label: 'LIFO: newest ready first' },
        ]}
        onChange={(value) =>
          graphStore.getState().updateConfig({ queueType: value === '' ? undefined : value })
        }
      />
      <div className="grid-2">
        {numberOption('concurrency', 'Concurrency', 'unlimited', 'Layers running at once')}
        {numberOption('maxRetries', 'Max retries', '0')}
        {numberOption('retryDelay', 'Retry delay (ms)', '0')}
        {numberOption('timeout', 'Timeout (ms)', 'none')}
      </div>
    </div>
  );
}
