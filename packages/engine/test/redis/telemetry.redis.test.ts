/**
 * Over Redis the trace context travels inside each job: the spans a layer's
 * function starts on a worker are children of that attempt's span, in the
 * run's trace.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdvancedSequenceBuilder } from '../../src/index.js';
import { createTestSpace, type TestSpace } from './redis-helpers.js';

let space: TestSpace;
let contextManager: AsyncLocalStorageContextManager;
beforeEach(() => {
  space = createTestSpace();
  // An app registers a context manager (the Node SDK does); the engine never does.
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
});
afterEach(async () => {
  context.disable();
  await space.cleanup();
});

describe('tracing over Redis', () => {
  it('makes the spans a layer starts on a worker children of its attempt span, in one trace', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    const inner = async (): Promise<string> => {
      const span = trace.getTracer('layer-code').startSpan('inner work');
      span.end();
      return trace.getSpanContext(context.active())?.traceId ?? 'none';
    };
    // The layer's own spans go through the global provider, as in an app.
    trace.setGlobalTracerProvider(provider);
    try {
      const run = await new AdvancedSequenceBuilder({
        useRedis: true,
        redisOptions: space.connection,
        tracer,
      })
        .addLayer({ name: 'first', execute: inner })
        .addLayer({ name: 'second', execute: inner, dependsOn: ['first'], args: [] })
        .build();
      expect(run.status).toBe('succeeded');

      const spans = exporter.getFinishedSpans();
      const runSpan = spans.find((span) => span.name === 'fusync.run');
      const attempts = spans.filter((span) => span.name.startsWith('fusync.layer '));
      const innerSpans = spans.filter((span) => span.name === 'inner work');
      expect(runSpan).toBeDefined();
      expect(attempts).toHaveLength(2);
      expect(innerSpans).toHaveLength(2);
      const traceId = runSpan?.spanContext().traceId;
      for (const span of [...attempts, ...innerSpans])
        expect(span.spanContext().traceId).toBe(traceId);
      const attemptIds = new Set(attempts.map((span) => span.spanContext().spanId));
      for (const span of innerSpans)
        expect(attemptIds.has(span.parentSpanContext?.spanId ?? '')).toBe(true);
      expect(run.results.first).toBe(traceId);
    } finally {
      trace.disable();
    }
  });
});
