/** Where a value starts in JSON text: 1-based line and column, and the offset range of the value. */
export interface JsonLocation {
  line: number;
  column: number;
  start: number;
  end: number;
}

/**
 * Finds where the value at an engine path (`layers[2].priority`) sits in
 * JSON text, so the import dialog can point at the very line. Returns
 * undefined for text that is not JSON or a path that is not there; for a
 * missing key it returns the object that lacks it.
 */
export function locateJsonPath(text: string, path: string): JsonLocation | undefined {
  const wanted = parsePath(path);
  let at = 0;
  const fail = (): never => {
    throw new Error('not json');
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const string = (): string => {
    if (text[at] !== '"') fail();
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const locations = new Map<string, [number, number]>();
  const value = (key: string): void => {
    space();
    const start = at;
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') at++;
      else
        for (;;) {
          space();
          const name = string();
          space();
          if (text[at] !== ':') fail();
          at++;
          value(key === '' ? name : `${key}.${name}`);
          space();
          if (text[at] === ',') {
            at++;
            continue;
          }
          if (text[at] === '}') {
            at++;
            break;
          }
          fail();
        }
    } else if (char === '[') {
      at++;
      space();
      if (text[at] === ']') at++;
      else
        for (let index = 0; ; index++) {
          value(`${key}[${index}]`);
          space();
          if (text[at] === ',') {
            at++;
            continue;
          }
          if (text[at] === ']') {
            at++;
            break;
          }
          fail();
        }
    } else if (char === '"') string();
    else {
      const match = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
        text.slice(at, at + 64),
      );
      if (!match) fail();
      at += (match as RegExpExecArray)[0].length;
    }
    locations.set(key, [start, at]);
  };
  try {
    value('');
  } catch {
    return undefined;
  }
  // The deepest prefix of the path that exists: a missing field points at its object.
  for (let length = wanted.length; length >= 0; length--) {
    const key = wanted.slice(0, length).join('').replace(/^\./, '');
    const found = locations.get(key);
    if (found) {
      const before = text.slice(0, found[0]);
      const line = before.split('\n').length;
      const column = found[0] - before.lastIndexOf('\n');
      return { line, column, start: found[0], end: found[1] };
    }
  }
  return undefined;
}

function parsePath(path: string): string[] {
  const parts: string[] = [];
  const pattern = /([A-Za-z_$][\w$]*)|\[(\d+)\]/g;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    parts.push(match[1] !== undefined ? `.${match[1]}` : `[${match[2]}]`);
  }
  return parts;
}
