import { LAYER_NAME_PATTERN } from 'fusync';

/** Turns any text into a valid layer name (the engine's `LAYER_NAME_PATTERN`). */
export function toLayerName(text: string): string {
  let name = text.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  name = name.slice(0, 120);
  return LAYER_NAME_PATTERN.test(name) ? name : 'layer';
}

/** `base`, or `base2`, `base3`, … : the first of them no layer is named yet. */
export function uniqueLayerName(base: string, taken: ReadonlySet<string>): string {
  const name = toLayerName(base);
  if (!taken.has(name)) return name;
  const stem = name.replace(/\d+$/, '') || name;
  for (let i = 2; ; i++) {
    const candidate = `${stem}${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
