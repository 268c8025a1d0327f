import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { AdvancedSequenceBuilder, type Logger } from '../src/index.js';
import { reporting, rerunning, tracerProviderRegistered, tracing } from '../src/on-demand.js';

// Each test file has its own module state: nothing here was loaded before this file's first run.

function recording() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
}

afterEach(() => {
  trace.disable();
});

describe('parts loaded on demand', () => {
  it('tells whether an app registered a global tracer provider, as @opentelemetry/api keeps it', async () => {
    expect(tracerProviderRegistered()).toBe(false);
    const { provider } = recording();
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    expect(tracerProviderRegistered()).toBe(true);
    trace.disable();
    expect(tracerProviderRegistered()).toBe(false);
    await provider.shutdown();
  });

  it('runs without loading the tracing part until a provider is registered, then traces the next run', async () => {
    const sequence = new AdvancedSequenceBuilder({ name: 'lazy' })
      .addLayer({ name: 'a', execute: async () => 1 })
      .addLayer({ name: 'b', execute: async (a: number) => a + 1, dependsOn: ['a'] });

    const untraced = await sequence.build();
    expect(untraced.status).toBe('succeeded');
    expect(tracing.loaded).toBeUndefined();

    const { exporter, provider } = recording();
    trace.setGlobalTracerProvider(provider);
    const traced = await sequence.build();
    expect(traced.results).toEqual({ a: 1, b: 2 });
    expect(tracing.loaded).toBeDefined();
    expect(
      exporter
        .getFinishedSpans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(['fusync.layer a', 'fusync.layer b', 'fusync.run lazy']);
    await provider.shutdown();
  });

  it('passes a cancel made before the run could start on to the run', async () => {
    // A verbose builder loads its printing first: the run starts a moment after `run()` returns.
    const lines: string[] = [];
    const logger: Logger = {
      info: (message) => lines.push(message),
      warn: (message) => lines.push(message),
      error: (message) => lines.push(message),
    };
    const called: string[] = [];
    const sequence = new AdvancedSequenceBuilder({ verbose: true, logger }).addLayer({
      name: 'a',
      execute: async () => {
        called.push('a');
        return 1;
      },
    });
    expect(reporting.loaded).toBeUndefined();
    const handle = sequence.run();
    handle.cancel('changed my mind');
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(called).toEqual([]);
    expect(reporting.loaded).toBeDefined();
  });

  it('loads the rerun planner with the first rerun, which behaves as any other', async () => {
    let fail = true;
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 'A' })
      .addLayer({
        name: 'b',
        dependsOn: ['a'],
        execute: async (a: string) => {
          if (fail) throw new Error('b broke');
          return `${a}B`;
        },
      });
    const failed = await sequence.build();
    expect(rerunning.loaded).toBeUndefined();
    fail = false;
    const again = await sequence.rerun(failed);
    expect(rerunning.loaded).toBeDefined();
    expect(again.status).toBe('succeeded');
    expect(again.results).toEqual({ a: 'A', b: 'AB' });
    expect(again.layers.find((layer) => layer.name === 'a')?.reusedFrom).toBe(failed.runId);
  });
});
