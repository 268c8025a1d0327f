/**
 * Objects kept for the life of the module: one instance of each class a run
 * allocates on its hot path, created the way a run creates them.
 *
 * V8 holds the hidden class (map) of a class's fully built instances only
 * through the class's transition tree, weakly. A major garbage collection
 * that finds no instance alive — between two runs of an idle process —
 * frees that map, and every function optimized against it is thrown away
 * ("weak objects" in `--trace-deopt`): the next run starts in the
 * interpreter and pays for optimization again. One live instance keeps the
 * map, and the optimized code with it.
 */
const kept: object[] = [];

/** Keeps `instance` alive for as long as this module is; returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
