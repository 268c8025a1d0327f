import {
  FusyncError,
  type LayerConfig,
  type LayerJson,
  parseSequenceJson,
  resolveOptions,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceConfigJson,
  SequenceFormatError,
  validateLayerConfig,
} from 'fusync';
import { toSequenceConfig } from './sequence-document';

/** Field name → what is wrong with it, in the engine's words. */
export type FieldErrors = Partial<Record<string, string>>;

function lastSegment(path: string): string {
  const parts = path.split('.');
  return (parts[parts.length - 1] ?? path).replace(/\[\d+\]$/, '');
}

/**
 * Checks a layer the way the engine will: `validateLayerConfig` (what
 * `addLayer` accepts), then the sequence JSON schema (what `save()` and the
 * server accept: integers, bounds). Returns the errors by field.
 */
export function validateLayer(layer: LayerJson, expectedDurationMs?: number): FieldErrors {
  const errors: FieldErrors = {};
  try {
    validateLayerConfig(layer as LayerConfig);
  } catch (error) {
    if (error instanceof FusyncError) errors[error.path ?? 'name'] = error.message;
    else throw error;
  }
  try {
    parseSequenceJson({
      format: SEQUENCE_FORMAT,
      version: SEQUENCE_VERSION,
      layers: [layer],
      studio: {
        nodes: {
          [layer.name]: {
            x: 0,
            y: 0,
            ...(expectedDurationMs === undefined ? {} : { expectedDurationMs }),
          },
        },
      },
    });
  } catch (error) {
    if (!(error instanceof SequenceFormatError)) throw error;
    for (const issue of error.issues) {
      const field = issue.path.startsWith('studio.')
        ? 'expectedDurationMs'
        : lastSegment(issue.path.replace(/^layers\[0\]\.?/, '')) || 'layer';
      errors[field] ??= `\`${field}\` ${issue.message}`;
    }
  }
  return errors;
}

/** Checks sequence options with `resolveOptions`, then the JSON schema. Returns the errors by field. */
export function validateConfig(config: SequenceConfigJson, name?: string): FieldErrors {
  const errors: FieldErrors = {};
  try {
    resolveOptions(toSequenceConfig(config));
  } catch (error) {
    if (error instanceof FusyncError) errors[error.path ?? 'config'] = error.message;
    else throw error;
  }
  try {
    parseSequenceJson({
      format: SEQUENCE_FORMAT,
      version: SEQUENCE_VERSION,
      config,
      layers: [],
      ...(name === undefined ? {} : { name }),
    });
  } catch (error) {
    if (!(error instanceof SequenceFormatError)) throw error;
    for (const issue of error.issues) {
      const field =
        issue.path === 'name'
          ? 'name'
          : lastSegment(issue.path.replace(/^config\.?/, '')) || 'config';
      errors[field] ??= `\`${field}\` ${issue.message}`;
    }
  }
  return errors;
}

/**
 * A number field's text as a value: empty → undefined (the default applies),
 * a number → that number, anything else → the text itself, so the engine's
 * message quotes what was typed.
 */
export function numberFromText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return Number(trimmed);
  return trimmed;
}
