/**
 * Parts of the builder that load the first time a run needs them — the
 * OpenTelemetry follower, `verbose` printing, rerun planning, backends — so a page that
 * builds and runs sequences without them never downloads them: bundlers put
 * each behind its dynamic import, in a chunk of its own. Once loaded, a part
 * is used synchronously; only the first run that needs it waits for it.
 */
interface OnDemand<T> {
  /** The module, once loaded. */
  loaded?: T;
  load(): Promise<T>;
}

function onDemand<T>(load: () => Promise<T>): OnDemand<T> {
  let loading: Promise<T> | undefined;
  const part: OnDemand<T> = {
    load: () => {
      loading ??= load().then((module) => {
        part.loaded = module;
        return module;
      });
      return loading;
    },
  };
  return part;
}

/** Spans: `RunTelemetry` and the API's global tracer (`@opentelemetry/api`). */
export const tracing = /* @__PURE__ */ onDemand(() => import('./core/telemetry.js'));
/** What `verbose` prints: progress, then the timeline and the metrics. */
export const reporting = /* @__PURE__ */ onDemand(() => import('./report.js'));
/** Runs on a backend elsewhere: `backend`, or Redis with `useRedis`. */
export const remoting = /* @__PURE__ */ onDemand(() => import('./remote.js'));
/** `rerun`'s planner: what runs again, what is reused. */
export const rerunning = /* @__PURE__ */ onDemand(() => import('./core/rerun.js'));

/**
 * `@opentelemetry/api` 1.x keeps what an app registers (`trace`, `context`,
 * …) in one global object under this symbol; its `trace` entry exists exactly
 * while a tracer provider is registered. Reading it tells whether a run has
 * anywhere to send spans without loading the API.
 */
const OTEL_API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/** Whether an app has registered a global OpenTelemetry tracer provider. */
export function tracerProviderRegistered(): boolean {
  const globals = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OTEL_API_GLOBALS];
  return globals?.trace !== undefined;
}
