import { context, isSpanContextValid, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerContext,
  type SequenceConfig,
  VirtualClock,
} from '../src/index.js';
import { RunTelemetry } from '../src/internal.js';
import { recordOf, redelivered, running, started } from '../src/render/run-record.fixture.js';
import { settleOnClock, sleep } from './helpers.js';

/** A tracer recording into memory; never registered globally. */
function memoryTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider, tracer: provider.getTracer('fusync-test') };
}

let providers: BasicTracerProvider[] = [];

afterEach(async () => {
  await Promise.all(providers.map((provider) => provider.shutdown()));
  providers = [];
});

async function runTraced(
  build: (config: SequenceConfig) => AdvancedSequenceBuilder,
): Promise<ReadableSpan[]> {
  const { exporter, provider, tracer } = memoryTracing();
  providers.push(provider);
  await build({ tracer, name: 'traced' }).build({});
  return exporter.getFinishedSpans();
}

function layerSpans(spans: readonly ReadableSpan[], layer: string): ReadableSpan[] {
  return spans
    .filter((span) => span.attributes['fusync.layer.name'] === layer)
    .sort(
      (a, b) =>
        Number(a.attributes['fusync.layer.attempt']) - Number(b.attributes['fusync.layer.attempt']),
    );
}

function runSpanOf(spans: readonly ReadableSpan[]): ReadableSpan {
  const runs = spans.filter((span) => span.attributes['fusync.layer.name'] === undefined);
  expect(runs).toHaveLength(1);
  return runs[0] as ReadableSpan;
}

/** a, b (fails once), c after both. */
function diamond(config: SequenceConfig): AdvancedSequenceBuilder {
  return new AdvancedSequenceBuilder(config)
    .addLayer({ name: 'a', execute: async () => 'A' })
    .addLayer({
      name: 'b',
      execute: async ({ attempt }: LayerContext) => {
        if (attempt === 1) throw new Error('flaky b');
        return 'B';
      },
      args: [],
      retries: 1,
    })
    .addLayer({ name: 'c', execute: async () => 'C', dependsOn: ['a', 'b'] });
}

describe('telemetry', () => {
  it('records one run span and one child span per layer attempt, all in one trace', async () => {
    const spans = await runTraced(diamond);

    const run = runSpanOf(spans);
    expect(spans).toHaveLength(1 + 1 + 2 + 1);
    expect(run.parentSpanContext).toBeUndefined();
    expect(run.name).toContain('fusync.run');
    const traceId = run.spanContext().traceId;
    for (const span of spans) {
      expect(span.spanContext().traceId).toBe(traceId);
      if (span !== run) expect(span.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    }
  });

  it('names each attempt span by layer and attempt', async () => {
    const spans = await runTraced(diamond);

    expect(layerSpans(spans, 'a').map((span) => span.attributes['fusync.layer.attempt'])).toEqual([
      1,
    ]);
    expect(layerSpans(spans, 'b').map((span) => span.attributes['fusync.layer.attempt'])).toEqual([
      1, 2,
    ]);
    expect(layerSpans(spans, 'c').map((span) => span.attributes['fusync.layer.attempt'])).toEqual([
      1,
    ]);
  });

  it('links a layer span to the spans of its dependencies', async () => {
    const spans = await runTraced(diamond);

    const [a] = layerSpans(spans, 'a');
    const [, bSucceeded] = layerSpans(spans, 'b');
    const [c] = layerSpans(spans, 'c');
    const linked = (c?.links ?? []).map((link) => link.context.spanId).sort();
    expect(linked).toEqual([a?.spanContext().spanId, bSucceeded?.spanContext().spanId].sort());
    expect(a?.links).toEqual([]);
  });

  it('records a failed attempt as an error with an exception event', async () => {
    const spans = await runTraced(diamond);

    const [bFailed, bSucceeded] = layerSpans(spans, 'b');
    expect(bFailed?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'flaky b' });
    const exception = bFailed?.events.find((event) => event.name === 'exception');
    expect(exception?.attributes?.['exception.message']).toBe('flaky b');
    expect(bSucceeded?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(bSucceeded?.events.some((event) => event.name === 'exception')).toBe(false);
    expect(runSpanOf(spans).status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks the run span as an error when the run fails', async () => {
    const spans = await runTraced((config) =>
      new AdvancedSequenceBuilder(config)
        .addLayer({
          name: 'broken',
          execute: async () => {
            throw new TypeError('cannot read the order');
          },
        })
        .addLayer({ name: 'after', execute: async () => 1, dependsOn: ['broken'] }),
    );

    const [broken] = layerSpans(spans, 'broken');
    expect(broken?.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken?.events.find((event) => event.name === 'exception')?.attributes).toMatchObject({
      'exception.type': 'TypeError',
      'exception.message': 'cannot read the order',
    });
    expect(layerSpans(spans, 'after')).toEqual([]);
    expect(runSpanOf(spans).status.code).toBe(SpanStatusCode.ERROR);
    expect(spans.every((span) => span.ended)).toBe(true);
  });

  it('takes span times from the event record', async () => {
    const { exporter, provider, tracer } = memoryTracing();
    providers.push(provider);
    const start = Date.UTC(2026, 0, 1);
    const clock = new VirtualClock(start);
    const sequence = new AdvancedSequenceBuilder({ tracer })
      .addLayer({ name: 'first', execute: async () => sleep(clock, 250) })
      .addLayer({ name: 'second', execute: async () => sleep(clock, 100), dependsOn: ['first'] });

    await settleOnClock(clock, sequence.build({}, { clock }));

    const spans = exporter.getFinishedSpans();
    const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
    const times = (span: ReadableSpan | undefined) =>
      span ? [ms(span.startTime) - start, ms(span.endTime) - start] : [];
    expect(times(layerSpans(spans, 'first')[0])).toEqual([0, 250]);
    expect(times(layerSpans(spans, 'second')[0])).toEqual([250, 350]);
    expect(times(runSpanOf(spans))).toEqual([0, 350]);
  });

  it('gives concurrent runs separate traces', async () => {
    const { exporter, provider, tracer } = memoryTracing();
    providers.push(provider);
    const sequence = new AdvancedSequenceBuilder({ tracer }).addLayer({
      name: 'only',
      execute: async () => 1,
    });

    await Promise.all([sequence.build({}), sequence.build({})]);

    const spans = exporter.getFinishedSpans();
    const traces = new Set(spans.map((span) => span.spanContext().traceId));
    expect(spans).toHaveLength(4);
    expect(traces.size).toBe(2);
  });

  it('runs each layer inside its attempt span, the first layers of the run included', async () => {
    // An app registers a context manager (the Node SDK does); the engine never does.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const { exporter, provider, tracer } = memoryTracing();
      providers.push(provider);
      const seen: Record<string, string | undefined> = {};
      const record = (name: string) => async () => {
        seen[name] = trace.getActiveSpan()?.spanContext().spanId;
        return name;
      };
      await new AdvancedSequenceBuilder({ tracer, concurrency: 2 })
        .addLayer({ name: 'first', execute: record('first') })
        .addLayer({ name: 'second', execute: record('second') })
        .addLayer({ name: 'later', execute: record('later'), dependsOn: ['first', 'second'] })
        .build();
      const spans = exporter.getFinishedSpans();

      for (const name of ['first', 'second', 'later']) {
        const [span] = layerSpans(spans, name);
        expect(seen[name], name).toBe(span?.spanContext().spanId);
      }
    } finally {
      context.disable();
    }
  });

  it('never registers a global tracer provider', async () => {
    await runTraced(diamond);

    const probe = trace.getTracer('probe').startSpan('probe');
    expect(isSpanContextValid(probe.spanContext())).toBe(false);
    probe.end();
  });

  it('marks a rerun: the parent run on the run span, reused layers as its events, no attempt span for them', async () => {
    const { exporter, provider, tracer } = memoryTracing();
    providers.push(provider);
    let failC = true;
    const sequence = new AdvancedSequenceBuilder({ tracer, name: 'traced' })
      .addLayer({ name: 'a', execute: async () => 'A' })
      .addLayer({
        name: 'c',
        dependsOn: ['a'],
        execute: async () => {
          if (failC) throw new Error('c broke');
          return 'C';
        },
      });
    const failed = await sequence.build({});
    failC = false;
    exporter.reset();
    await sequence.rerun(failed);
    const spans = exporter.getFinishedSpans();
    const run = runSpanOf(spans);
    expect(run.attributes['fusync.run.parent_id']).toBe(failed.runId);
    expect(layerSpans(spans, 'a')).toEqual([]);
    expect(layerSpans(spans, 'c')).toHaveLength(1);
    expect(run.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'fusync.layer.reused',
        { 'fusync.layer.name': 'a', 'fusync.layer.reused_from': failed.runId },
      ],
    ]);
  });

  it('keeps an attempt redelivered to another worker one span, marked where its worker was lost', async () => {
    const { exporter, provider, tracer } = memoryTracing();
    providers.push(provider);
    const telemetry = new RunTelemetry(tracer);
    const t0 = 1_700_000_000_000;
    const { events } = recordOf(
      started([{ name: 'slow' }], t0),
      running('slow', t0 + 10),
      redelivered('slow', t0 + 300, 'worker-b', 'worker-a'),
      { type: 'layer:succeeded', layer: 'slow', attempt: 1, result: null, time: t0 + 900 },
      { type: 'run:finished', status: 'succeeded', time: t0 + 900 },
    );
    for (const event of events) telemetry.onEvent(event);
    const [span, ...others] = layerSpans(exporter.getFinishedSpans(), 'slow');
    expect(others).toEqual([]);
    expect(span?.attributes).toMatchObject({
      'fusync.layer.attempt': 1,
      'fusync.worker': 'worker-b',
    });
    expect(span?.status.code).toBe(SpanStatusCode.OK);
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'fusync.layer.redelivered',
        { 'fusync.worker': 'worker-b', 'fusync.worker.lost': 'worker-a' },
      ],
    ]);
    expect(span?.events[0]?.time).toEqual([1_700_000_000, 300_000_000]);
  });
});
