import { FusyncError, SequenceFormatError, type SequenceJson } from 'fusync';
import { ApiError } from './api-error.js';

function join(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/**
 * Runs `validate` (sync or async) on a sequence found at `prefix` of a request body and turns
 * a `FusyncError` into an `ApiError` whose `path` points into that body:
 * format errors carry paths from the sequence's root (`layers[2].priority`),
 * graph errors carry a layer and a path inside it (`dependsOn`), which becomes
 * `sequence.layers[2].dependsOn`.
 */
export function atSequenceField<T>(prefix: string, sequence: unknown, validate: () => T): T {
  const rebase = (error: unknown): never => {
    if (!(error instanceof FusyncError)) throw error;
    throw new ApiError(error.code, error.message, {
      path: bodyPath(prefix, sequence, error),
      layer: error.layer,
      cause: error,
    });
  };
  try {
    const out = validate();
    return (out instanceof Promise ? out.catch(rebase) : out) as T;
  } catch (error) {
    return rebase(error);
  }
}

function bodyPath(prefix: string, sequence: unknown, error: FusyncError): string | undefined {
  // A cycle is a problem of `dependsOn`; the engine names its first layer but no field.
  const path = error.path ?? (error.code === 'CYCLE_DETECTED' ? 'dependsOn' : undefined);
  if (error instanceof SequenceFormatError || path?.startsWith('layers['))
    return join(prefix, path ?? '');
  if (error.layer === undefined) return path === undefined ? undefined : join(prefix, path);
  const layers = (sequence as Partial<SequenceJson> | null)?.layers;
  const index = Array.isArray(layers)
    ? layers.findIndex((layer) => layer?.name === error.layer)
    : -1;
  if (index < 0) return path === undefined ? undefined : join(prefix, path);
  const layerPath = join(prefix, `layers[${index}]`);
  return path === undefined ? layerPath : join(layerPath, path);
}
