import {
  AdvancedSequenceBuilder,
  type RunEvent,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceJson,
  simulate,
} from 'fusync';

/**
 * A layered sequence of `count` layers, `width` per rank; each layer waits
 * for one or two layers of the rank above. No positions: the studio lays it out.
 */
export function largeSequence(count: number, width = 25): SequenceJson {
  const layers = Array.from({ length: count }, (_, i) => {
    const name = `layer${String(i).padStart(5, '0')}`;
    if (i < width) return { name, operation: 'wait' };
    const above = i - width;
    const dependsOn = [`layer${String(above).padStart(5, '0')}`];
    if (i % 3 === 0 && above > 0) dependsOn.push(`layer${String(above - 1).padStart(5, '0')}`);
    return { name, operation: 'wait', dependsOn };
  });
  return {
    format: SEQUENCE_FORMAT,
    version: SEQUENCE_VERSION,
    name: `large-${count}`,
    config: { concurrency: 16 },
    layers,
  };
}

/**
 * The events of a simulated run with `layers × attempts` bars: every layer
 * fails `attempts - 1` times and then succeeds (the engine's `simulate`).
 */
export function manyBarsEvents(layers: number, attempts: number): RunEvent[] {
  const json = largeSequence(layers, 50);
  json.layers = json.layers.map((layer) => ({ ...layer, retries: attempts - 1 }));
  const failures = Object.fromEntries(json.layers.map((layer) => [layer.name, attempts - 1]));
  const record = simulate(AdvancedSequenceBuilder.fromJSON(json), {
    durationOf: (name) => 20 + (Number(name.slice(5)) % 13) * 7,
    concurrency: 64,
    failures,
    start: Date.UTC(2026, 0, 1),
  });
  // Stacks of simulated failures say nothing and would triple the file.
  return record.events.map((event) =>
    'error' in event && event.error?.stack
      ? { ...event, error: { ...event.error, stack: undefined } }
      : event,
  ) as RunEvent[];
}
