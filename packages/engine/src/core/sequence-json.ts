import { z } from 'zod';
import { SequenceFormatError } from './errors.js';
import { LIMITS } from './limits.js';

/** The `format` tag of every saved sequence. */
export const SEQUENCE_FORMAT = 'fusync.sequence';
/** The current version of the sequence JSON. Loading accepts this version and earlier ones. */
export const SEQUENCE_VERSION = 1;

/** Layer names: a letter or `_` first, then letters, digits, `_` or `-`; at most 128 characters. */
export const LAYER_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const layerName = z
  .string()
  .regex(
    LAYER_NAME_PATTERN,
    'must start with a letter or `_` and hold only letters, digits, `_` and `-` (at most 128)',
  );
const nonNegativeInt = z.number().int().min(0);
const milliseconds = z.number().int().min(0).max(LIMITS.maxDelayMs);
const shortName = z.string().min(1).max(LIMITS.maxNameLength);

const layerSchema = z
  .object({
    name: layerName,
    operation: shortName,
    args: z.array(shortName).max(1000).optional(),
    dependsOn: z.array(layerName).max(10_000).optional(),
    priority: z.number().int().min(-LIMITS.maxPriority).max(LIMITS.maxPriority).optional(),
    retries: nonNegativeInt.max(LIMITS.maxRetries).optional(),
    retryDelay: milliseconds.optional(),
    timeout: milliseconds.min(1).optional(),
    onError: z.enum(['continue', 'abort']).optional(),
    description: z.string().max(LIMITS.maxDescriptionLength).optional(),
  })
  .strict();

const configSchema = z
  .object({
    verbose: z.boolean().optional(),
    queueType: z.enum(['FIFO', 'LIFO']).optional(),
    useRedis: z.boolean().optional(),
    concurrency: z.number().int().min(1).optional(),
    maxRetries: nonNegativeInt.max(LIMITS.maxRetries).optional(),
    retryDelay: milliseconds.optional(),
    timeout: milliseconds.min(1).optional(),
  })
  .strict();

const studioNodeSchema = z
  .object({
    x: z.number().finite(),
    y: z.number().finite(),
    /** Expected duration for simulated runs, in ms. */
    expectedDurationMs: z.number().min(0).finite().optional(),
  })
  .strict();

const sequenceSchema = z
  .object({
    $schema: z.string().optional(),
    format: z.literal(SEQUENCE_FORMAT),
    version: z.number().int().min(1).max(SEQUENCE_VERSION),
    name: z.string().max(LIMITS.maxNameLength).optional(),
    description: z.string().max(LIMITS.maxDescriptionLength).optional(),
    config: configSchema.optional(),
    layers: z.array(layerSchema).max(200_000),
    studio: z
      .object({ nodes: z.record(z.string(), studioNodeSchema).optional() })
      .strict()
      .optional(),
  })
  .strict();

/** A layer as saved: its function is referenced by operation name. */
export type LayerJson = z.infer<typeof layerSchema>;
/** Sequence options as saved (no functions, no connection secrets). */
export type SequenceConfigJson = z.infer<typeof configSchema>;
/** Editor data of one layer: position on the canvas, expected duration. */
export type StudioNodeJson = z.infer<typeof studioNodeSchema>;
/**
 * A saved sequence: what `save()` writes, `load()` reads, the server stores
 * and the studio imports and exports.
 */
export type SequenceJson = z.infer<typeof sequenceSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Checks a parsed value against the sequence format. Returns it typed, or
 * throws a `SequenceFormatError` whose `path` points at the first bad field
 * (`layers[2].priority`). Never evaluates anything.
 */
export function parseSequenceJson(value: unknown): SequenceJson {
  const parsed = sequenceSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const layerIndex =
      typeof issue.path[1] === 'number' && issue.path[0] === 'layers' ? issue.path[1] : undefined;
    const layerNameHint = layerIndex !== undefined ? layerNameAt(value, layerIndex) : undefined;
    const where = layerNameHint ? ` (layer \`${layerNameHint}\`)` : '';
    return { path, message: `${issue.message}${where}` };
  });
  throw new SequenceFormatError(issues);
}

function layerNameAt(value: unknown, index: number): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const layers = (value as { layers?: unknown }).layers;
  if (!Array.isArray(layers)) return undefined;
  const layer: unknown = layers[index];
  if (typeof layer !== 'object' || layer === null) return undefined;
  const name = (layer as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** Parses sequence JSON text: a syntax error is a `SequenceFormatError` too. */
export function parseSequenceText(text: string): SequenceJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SequenceFormatError([
      {
        path: '',
        message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  return parseSequenceJson(value);
}
