/** What the studio can tell about one argument name of a layer before a run. */
export interface ArgCheck {
  arg: string;
  /**
   * `layer`: an upstream layer's result (or a path into it); `input`: a key of
   * the run input; `upstream-field`: possibly a field of an upstream result
   * (operations do not declare their results, so only a run can tell);
   * `unresolved`: nothing can supply it — the run would fail at this layer.
   */
  state: 'layer' | 'input' | 'upstream-field' | 'unresolved';
  message: string;
}

export interface ArgLayer {
  name: string;
  dependsOn?: readonly string[] | undefined;
}

function upstreamOf(name: string, layers: readonly ArgLayer[]): Set<string> {
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const seen = new Set<string>();
  const stack = [...(byName.get(name)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next) || !byName.has(next)) continue;
    seen.add(next);
    stack.push(...(byName.get(next)?.dependsOn ?? []));
  }
  return seen;
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((name) => `\`${name}\``);
  return names.length > 3 ? `${shown.join(', ')} …` : shown.join(', ');
}

/**
 * Checks a layer's `args` the way the engine resolves them at run time
 * (`resolveArguments`: an upstream layer, `layer.path` into one, a run input
 * key, a field of an upstream result), against the canvas and the run input
 * as they are now. `inputKeys` is `undefined` when the run input is not a
 * JSON object.
 */
export function checkArgs(
  layerName: string,
  args: readonly string[],
  layers: readonly ArgLayer[],
  inputKeys: ReadonlySet<string> | undefined,
): ArgCheck[] {
  const upstream = upstreamOf(layerName, layers);
  const layerNames = new Set(layers.map((layer) => layer.name));
  const upstreamList = [...upstream];
  return args.map((arg): ArgCheck => {
    if (upstream.has(arg))
      return { arg, state: 'layer', message: `the result of the upstream layer \`${arg}\`` };
    const dot = arg.indexOf('.');
    const head = dot > 0 ? arg.slice(0, dot) : undefined;
    if (head !== undefined && upstream.has(head))
      return { arg, state: 'layer', message: `a field of the result of \`${head}\`` };
    if (inputKeys?.has(arg)) return { arg, state: 'input', message: 'a key of the run input' };
    if (head !== undefined && layerNames.has(head))
      return {
        arg,
        state: 'unresolved',
        message: `\`${head}\` is a layer, but not upstream of \`${layerName}\`: its result is not passed here. Connect \`${head}\` to \`${layerName}\`.`,
      };
    if (layerNames.has(arg) && arg !== layerName)
      return {
        arg,
        state: 'unresolved',
        message: `\`${arg}\` is a layer, but not upstream of \`${layerName}\`: its result is not passed here. Connect \`${arg}\` to \`${layerName}\`, or add \`${arg}\` to the run input.`,
      };
    if (upstream.size > 0)
      return {
        arg,
        state: 'upstream-field',
        message: `not in the run input: it must be a field of the result of ${list(upstreamList)}.`,
      };
    return {
      arg,
      state: 'unresolved',
      message:
        inputKeys === undefined
          ? 'the run input is not a JSON object, and no layer upstream could supply it.'
          : `not a key of the run input, and \`${layerName}\` has no upstream layer to supply it. Add \`${arg}\` to the run input, or connect the layer that produces it.`,
    };
  });
}
