import { isOmittedValue, type OmittedValue } from 'fusync';

/**
 * Run values as the details panel shows and copies them. A browser run's
 * record holds the values themselves (functions, cycles, bigints, `undefined`
 * included); a server run's holds JSON, with the engine's `OmittedValue`
 * marker where a value did not cross whole. Both read the same way here.
 */

/** How one value is shown: a leaf, a badge standing for a value not shown, or a container. */
export type ValueView =
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; text: string }
  | { kind: 'null'; text: string }
  | { kind: 'badge'; text: string; title: string }
  | { kind: 'array'; entries: [string, unknown][]; summary: string }
  | { kind: 'object'; entries: [string, unknown][]; summary: string };

/** `512 B`, `120 KB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The badge of an omitted value: `omitted: 120 KB`, `function`, `undefined`. */
export function omittedLabel(marker: OmittedValue): { text: string; title: string } {
  switch (marker.reason) {
    case 'too-large':
      return {
        text:
          marker.bytes === undefined
            ? 'omitted: too large'
            : `omitted: ${formatBytes(marker.bytes)}`,
        title: `A ${marker.type ?? 'value'} too large to record whole${marker.bytes === undefined ? '' : ` (${marker.bytes.toLocaleString('en')} characters of JSON)`}`,
      };
    case 'undefined':
      return { text: 'undefined', title: 'undefined (JSON cannot hold it)' };
    default:
      return {
        text: marker.type === 'object' || marker.type === undefined ? 'not JSON' : marker.type,
        title: `A ${marker.type ?? 'value'} that JSON cannot hold (a function, symbol, bigint or cyclic value)`,
      };
  }
}

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

/**
 * How `value` is shown. `ancestors` are the containers it sits in, so a
 * cycle shows as a badge instead of opening forever.
 */
export function viewOf(value: unknown, ancestors: readonly unknown[] = []): ValueView {
  switch (typeof value) {
    case 'string':
      return { kind: 'string', text: value };
    case 'number':
      return { kind: 'number', text: String(value) };
    case 'boolean':
      return { kind: 'boolean', text: String(value) };
    case 'bigint':
      return { kind: 'number', text: `${value}n` };
    case 'undefined':
      return { kind: 'badge', text: 'undefined', title: 'undefined' };
    case 'function':
      return {
        kind: 'badge',
        text: 'function',
        title: `function ${(value as { name?: string }).name || '(anonymous)'}`,
      };
    case 'symbol':
      return { kind: 'badge', text: 'symbol', title: String(value) };
    default:
      break;
  }
  if (value === null) return { kind: 'null', text: 'null' };
  if (isOmittedValue(value)) return { kind: 'badge', ...omittedLabel(value) };
  if (ancestors.includes(value))
    return { kind: 'badge', text: 'circular', title: 'A reference to a value that contains it' };
  if (value instanceof Date)
    return {
      kind: 'string',
      text: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString(),
    };
  if (value instanceof Error) {
    const entries: [string, unknown][] = [
      ['name', value.name],
      ['message', value.message],
    ];
    if (value.stack) entries.push(['stack', value.stack]);
    return { kind: 'object', entries, summary: value.name };
  }
  if (Array.isArray(value)) {
    return {
      kind: 'array',
      entries: value.map((item, index) => [String(index), item]),
      summary: plural(value.length, 'item'),
    };
  }
  if (value instanceof Map) {
    return {
      kind: 'array',
      entries: [...value.entries()].map((entry, index) => [String(index), entry]),
      summary: `Map · ${plural(value.size, 'entry').replace('entrys', 'entries')}`,
    };
  }
  if (value instanceof Set) {
    return {
      kind: 'array',
      entries: [...value].map((item, index) => [String(index), item]),
      summary: `Set · ${plural(value.size, 'item')}`,
    };
  }
  const entries = Object.entries(value as object);
  return { kind: 'object', entries, summary: plural(entries.length, 'key') };
}

/**
 * `value` as indented JSON text, for the copy buttons. What JSON cannot hold
 * is written as the engine's marker (`{ "$fusync": "omitted", … }`), as a
 * server run would record it; bigints as strings (`"12n"`); a cycle as
 * `"[Circular]"`.
 */
export function jsonText(value: unknown): string {
  const ancestors: unknown[] = [];
  function replace(this: unknown, _key: string, current: unknown): unknown {
    // `this` is the container being written: drop the ancestors it is not inside.
    const at = ancestors.indexOf(this);
    ancestors.length = at + 1;
    switch (typeof current) {
      case 'undefined':
        return { $fusync: 'omitted', reason: 'undefined', type: 'undefined' };
      case 'function':
      case 'symbol':
        return { $fusync: 'omitted', reason: 'not-json', type: typeof current };
      case 'bigint':
        return `${current}n`;
      case 'object': {
        if (current === null) return null;
        if (ancestors.includes(current)) return '[Circular]';
        const out =
          current instanceof Error
            ? { name: current.name, message: current.message, stack: current.stack }
            : current instanceof Map || current instanceof Set
              ? [...current]
              : current;
        // JSON goes on into `out`: its children are written with `this === out`.
        ancestors.push(current);
        if (out !== current) ancestors.push(out);
        return out;
      }
      default:
        return current;
    }
  }
  return JSON.stringify(value, replace, 2) ?? 'null';
}
