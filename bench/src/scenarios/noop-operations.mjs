/** Operations module of the benchmarks' \`fusync worker\`: a layer that does nothing. */
export const noop = () => undefined;
