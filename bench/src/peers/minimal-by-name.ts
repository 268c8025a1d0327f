import type { Dag } from '../dag.js';
import type { Runner, Work } from '../runner.js';
import { runMinimal } from './minimal-scheduler.js';

/** A layer as a by-name API takes it: a name, a function, dependencies by name. */
interface NamedLayer {
  readonly name: string;
  readonly execute: () => Promise<unknown>;
  readonly dependsOn: readonly string[];
}

/**
 * The floor behind a by-name API: the minimal scheduler, fed layers the way
 * fusync's builder receives them in this benchmark — one object and one
 * function per layer, dependencies by name — with the names mapped to
 * indices first. No validation, options, record or events. What it adds to
 * the floor is what any runner taking named layers pays before it schedules
 * anything; it is shown for reference and no target is set against it.
 */
export async function runMinimalByName(dag: Dag, work: Work, concurrency: number): Promise<void> {
  const layers: NamedLayer[] = [];
  for (let i = 0; i < dag.size; i++) {
    layers.push({
      name: dag.names[i] as string,
      execute: () => work(i),
      dependsOn: dag.dependencyNames[i] as readonly string[],
    });
  }
  const indexOf = new Map<string, number>();
  for (let i = 0; i < layers.length; i++) indexOf.set((layers[i] as NamedLayer).name, i);
  const dependencies = layers.map((layer) =>
    layer.dependsOn.map((name) => indexOf.get(name) as number),
  );
  await runMinimal(
    { size: layers.length, names: dag.names, dependencies, dependencyNames: dag.dependencyNames },
    (layer) => (layers[layer] as NamedLayer).execute(),
    concurrency,
  );
}

export const minimalByName: Runner = {
  name: 'minimal by name',
  peer: false,
  run: runMinimalByName,
};
