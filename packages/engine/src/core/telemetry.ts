import {
  type Context,
  context,
  type Link,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { RunEvent } from './events.js';
import type { RunLog } from './run-log.js';

/** The tracer the engine uses when none is given: the global provider's (a no-op until an app registers one). */
export function defaultTracer(): Tracer {
  return trace.getTracer('fusync');
}

/**
 * Turns a run's events into OpenTelemetry spans: one `fusync.run` span, one
 * child span per layer attempt with the layer's attributes, links to the
 * spans of its dependencies' successful attempts, and errors recorded. An
 * attempt redelivered to another worker stays one span, with a
 * `fusync.layer.redelivered` event (attributes `fusync.worker`, the new
 * worker, and `fusync.worker.lost`) at the time its first worker was lost. Times
 * come from the events, so a replayed record yields the same spans.
 */
export class RunTelemetry {
  readonly #tracer: Tracer;
  readonly #parent: Context;
  #runSpan: Span | undefined;
  #runContext: Context;
  readonly #attempts = new Map<string, Span>();
  readonly #succeeded = new Map<string, SpanContext>();
  readonly #dependsOn = new Map<string, readonly string[]>();
  /** Set when the tracer is a no-op (no provider registered): attempt spans are skipped. */
  #off = false;

  /** `parent`: the context the run span starts under (e.g. a trace context carried in a job). */
  constructor(tracer: Tracer, parent: Context = context.active()) {
    this.#tracer = tracer;
    this.#parent = parent;
    this.#runContext = parent;
  }

  /** The context of a layer's running attempt, for running its function inside the span. */
  contextFor(layer: string): Context {
    const span = this.#attempts.get(layer);
    return span ? trace.setSpan(this.#runContext, span) : this.#runContext;
  }

  /** Calls `fn(...args)` inside the span of `layer`'s running attempt, so the spans it makes nest under it. */
  runInSpan<A extends unknown[], T>(layer: string, fn: (...args: A) => T, ...args: A): T {
    return context.with(this.contextFor(layer), fn, undefined, ...args);
  }

  /** The context of the run span. */
  get runContext(): Context {
    return this.#runContext;
  }

  /** False when the tracer is a no-op: running a layer inside its (absent) span can be skipped. */
  get active(): boolean {
    return !this.#off;
  }

  /**
   * Starts the run span, as a `run:started` event does. `layers` is read
   * only when the tracer records: a run with no provider registered never
   * builds the list.
   */
  startRun(
    run: {
      runId: string;
      time: number;
      concurrency: number;
      queueType: 'FIFO' | 'LIFO';
      sequenceName?: string | undefined;
      parentRunId?: string | undefined;
      layerCount: number;
    },
    layers: () => readonly { name: string; dependsOn: readonly string[] }[],
  ): void {
    if (this.#off || this.#runSpan) return;
    const attributes: Record<string, string | number> = {
      'fusync.run.id': run.runId,
      'fusync.run.layers': run.layerCount,
      'fusync.run.concurrency': Number.isFinite(run.concurrency) ? run.concurrency : -1,
      'fusync.run.queue_type': run.queueType,
    };
    if (run.sequenceName !== undefined) attributes['fusync.sequence.name'] = run.sequenceName;
    if (run.parentRunId !== undefined) attributes['fusync.run.parent_id'] = run.parentRunId;
    this.#runSpan = this.#tracer.startSpan(
      run.sequenceName ? `fusync.run ${run.sequenceName}` : 'fusync.run',
      { kind: SpanKind.INTERNAL, startTime: run.time, attributes },
      this.#parent,
    );
    // A no-op tracer answers with an invalid, non-recording span; its children would be no-ops too,
    // and a context holding it would carry nothing (runs go on in the parent context).
    this.#off =
      !this.#runSpan.isRecording() && !trace.isSpanContextValid(this.#runSpan.spanContext());
    if (this.#off) return;
    this.#runContext = trace.setSpan(this.#parent, this.#runSpan);
    // Only links between attempt spans need the edges.
    for (const layer of layers()) this.#dependsOn.set(layer.name, layer.dependsOn);
  }

  /**
   * Starts the run span from a run's log and replays the events logged so
   * far; returns whether the tracer records, in which case the driver hands
   * it every later event. Here rather than in the executor: this module is
   * loaded only for runs with spans.
   */
  follow(log: RunLog): boolean {
    if (log.length === 0) return false;
    const start = log.start;
    this.startRun(
      {
        runId: start.runId,
        time: log.timeAt(0),
        concurrency: start.concurrency,
        queueType: start.queueType,
        sequenceName: start.sequenceName,
        parentRunId: start.parentRunId,
        layerCount: start.graph.layers.length,
      },
      () => start.graph.layers,
    );
    if (this.#off) return false;
    for (let i = 1; i < log.length; i++) this.onEvent(log.kept(i));
    return true;
  }

  onEvent(event: RunEvent): void {
    if (this.#off) return;
    switch (event.type) {
      case 'run:started':
        this.startRun({ ...event, layerCount: event.layers.length }, () => event.layers);
        break;
      case 'layer:started': {
        const links: Link[] = [];
        for (const dependency of this.#dependsOn.get(event.layer) ?? []) {
          const spanContext = this.#succeeded.get(dependency);
          if (spanContext)
            links.push({ context: spanContext, attributes: { 'fusync.dependency': dependency } });
        }
        const attributes: Record<string, string | number> = {
          'fusync.run.id': event.runId,
          'fusync.layer.name': event.layer,
          'fusync.layer.attempt': event.attempt,
        };
        if (event.worker !== undefined) attributes['fusync.worker'] = event.worker;
        const span = this.#tracer.startSpan(
          `fusync.layer ${event.layer}`,
          { kind: SpanKind.INTERNAL, startTime: event.time, attributes, links },
          this.#runContext,
        );
        this.#attempts.set(event.layer, span);
        break;
      }
      case 'layer:succeeded': {
        const span = this.#attempts.get(event.layer);
        if (span) {
          span.setStatus({ code: SpanStatusCode.OK });
          span.end(event.time);
          this.#succeeded.set(event.layer, span.spanContext());
          this.#attempts.delete(event.layer);
        }
        break;
      }
      case 'layer:retrying':
      case 'layer:failed': {
        const span = this.#attempts.get(event.layer);
        if (span) {
          const error = Object.assign(new Error(event.error.message), { name: event.error.name });
          span.recordException(error, event.time);
          span.setAttribute(
            'fusync.layer.outcome',
            event.type === 'layer:retrying' ? 'retrying' : event.cancelled ? 'cancelled' : 'failed',
          );
          span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message });
          span.end(event.time);
          this.#attempts.delete(event.layer);
        }
        break;
      }
      case 'layer:redelivered': {
        // The same attempt, taken over by another worker: one span, marked where its worker was lost.
        const span = this.#attempts.get(event.layer);
        if (span) {
          const attributes: Record<string, string> = { 'fusync.worker': event.worker };
          if (event.lostWorker !== undefined) attributes['fusync.worker.lost'] = event.lostWorker;
          span.addEvent('fusync.layer.redelivered', attributes, event.time);
          span.setAttribute('fusync.worker', event.worker);
        }
        break;
      }
      case 'layer:reused':
        // Not executed, so no attempt span: the run span says which result was kept.
        this.#runSpan?.addEvent(
          'fusync.layer.reused',
          { 'fusync.layer.name': event.layer, 'fusync.layer.reused_from': event.reusedFrom },
          event.time,
        );
        break;
      case 'layer:skipped':
        this.#runSpan?.addEvent(
          'fusync.layer.skipped',
          { 'fusync.layer.name': event.layer, 'fusync.skip.reason': event.reason },
          event.time,
        );
        break;
      case 'run:finished':
        if (this.#runSpan) {
          this.#runSpan.setAttribute('fusync.run.status', event.status);
          if (event.status === 'succeeded') this.#runSpan.setStatus({ code: SpanStatusCode.OK });
          else
            this.#runSpan.setStatus({
              code: SpanStatusCode.ERROR,
              message: event.error?.message ?? event.status,
            });
          this.#runSpan.end(event.time);
        }
        break;
      case 'layer:queued':
        break;
    }
  }
}
