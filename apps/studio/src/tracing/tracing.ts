import type { Context, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
  WebTracerProvider,
} from '@opentelemetry/sdk-trace-web';
import { type SpanRow, type TraceStore, traceStore } from '../stores/trace-store';

/** ExportResultCode.SUCCESS / FAILED from @opentelemetry/core, without depending on it. */
const SUCCESS = 0;
const FAILED = 1;

type ExportCallback = (result: { code: number; error?: Error }) => void;

/** A span as the Spans panel lists it. */
export function toSpanRow(span: ReadableSpan): SpanRow {
  const context = span.spanContext();
  const [seconds, nanos] = span.startTime;
  const [durationSeconds, durationNanos] = span.duration;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    start: seconds * 1000 + nanos / 1e6,
    durationMs: durationSeconds * 1000 + durationNanos / 1e6,
    status: span.status.code === 1 ? 'ok' : span.status.code === 2 ? 'error' : 'unset',
    statusMessage: span.status.message,
    attributes: { ...span.attributes },
    links: span.links.length,
    events: span.events.length,
  };
}

/** Keeps finished spans in memory for the Spans panel, handing them over once per frame. */
export class PanelSpanExporter implements SpanExporter {
  #pending: SpanRow[] = [];
  #scheduled = false;
  readonly #store: { getState(): TraceStore };

  constructor(store: { getState(): TraceStore } = traceStore) {
    this.#store = store;
  }

  export(spans: ReadableSpan[], done: ExportCallback): void {
    for (const span of spans) this.#pending.push(toSpanRow(span));
    if (!this.#scheduled) {
      this.#scheduled = true;
      const schedule =
        typeof requestAnimationFrame === 'function'
          ? requestAnimationFrame
          : (callback: () => void) => setTimeout(callback, 16);
      schedule(() => this.flush());
    }
    done({ code: SUCCESS });
  }

  flush(): void {
    this.#scheduled = false;
    const rows = this.#pending;
    this.#pending = [];
    this.#store.getState().addSpans(rows);
  }

  async shutdown(): Promise<void> {
    this.flush();
  }

  async forceFlush(): Promise<void> {
    this.flush();
  }
}

/** Hands every ended span to its exporter at once (the panel wants spans as they end). */
class ImmediateProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  constructor(exporter: SpanExporter) {
    this.#exporter = exporter;
  }
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    this.#exporter.export([span], () => {});
  }
  async forceFlush(): Promise<void> {
    await this.#exporter.forceFlush?.();
  }
  async shutdown(): Promise<void> {
    await this.#exporter.shutdown();
  }
}

/** Reports what the OTLP exporter did to the trace store. */
class ReportingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  constructor(inner: SpanExporter) {
    this.#inner = inner;
  }
  export(spans: ReadableSpan[], done: ExportCallback): void {
    this.#inner.export(spans, (result) => {
      const state = traceStore.getState();
      if (result.code === SUCCESS) {
        state.countExported(spans.length);
        if (state.exportState !== 'on') state.setExportState('on');
      } else {
        state.setExportState('error', result.error?.message ?? 'the collector refused the spans');
      }
      done(
        result.code === SUCCESS
          ? { code: SUCCESS }
          : { code: FAILED, ...(result.error ? { error: result.error } : {}) },
      );
    });
  }
  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** A processor whose target can change at runtime: the OTLP endpoint is set in the UI. */
class SwitchableProcessor implements SpanProcessor {
  #inner: SpanProcessor | undefined;
  set(inner: SpanProcessor | undefined): void {
    const previous = this.#inner;
    this.#inner = inner;
    void previous?.shutdown().catch(() => {});
  }
  onStart(span: Span, context: Context): void {
    this.#inner?.onStart(span, context);
  }
  onEnd(span: ReadableSpan): void {
    this.#inner?.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.#inner?.forceFlush() ?? Promise.resolve();
  }
  shutdown(): Promise<void> {
    return this.#inner?.shutdown() ?? Promise.resolve();
  }
}

const panelExporter = new PanelSpanExporter();
const otlp = new SwitchableProcessor();

/**
 * The studio's tracer provider. The engine never registers one itself; the
 * studio owns this one and passes its tracer to every browser run.
 */
export const tracerProvider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'fusync-studio' }),
  spanProcessors: [new ImmediateProcessor(panelExporter), otlp],
});

/** The tracer browser runs use (SequenceConfig `tracer`). */
export const studioTracer: Tracer = tracerProvider.getTracer('fusync-studio');

/**
 * Sends spans over OTLP/HTTP to `endpoint` (for example
 * `http://localhost:4318/v1/traces`); an empty endpoint stops exporting.
 * The collector must allow the studio's origin (CORS).
 */
export function setOtlpEndpoint(endpoint: string): void {
  const url = endpoint.trim();
  traceStore.getState().setOtlpEndpoint(url);
  if (url === '') {
    otlp.set(undefined);
    traceStore.getState().setExportState('off');
    return;
  }
  otlp.set(
    new BatchSpanProcessor(
      new ReportingExporter(new OTLPTraceExporter({ url }) as unknown as SpanExporter),
      { scheduledDelayMillis: 1000 },
    ),
  );
  traceStore.getState().setExportState('on');
}

/** Re-applies the endpoint saved by the last visit. */
export function restoreOtlpEndpoint(): void {
  const saved = traceStore.getState().otlpEndpoint;
  if (saved) setOtlpEndpoint(saved);
}
