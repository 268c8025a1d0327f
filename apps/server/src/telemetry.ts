/** A started OpenTelemetry SDK; flush and stop it on shutdown. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Whether the standard `OTEL_*` variables ask for traces: an OTLP endpoint,
 * or an explicit `OTEL_TRACES_EXPORTER` other than `none`.
 */
export function telemetryRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter === 'none') return false;
  return Boolean(
    exporter || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );
}

/**
 * Starts the Node OpenTelemetry SDK when the environment asks for it, so the
 * engine's run and layer spans (made through `@opentelemetry/api`) are
 * exported. OTLP goes over HTTP to `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT`;
 * another `OTEL_TRACES_EXPORTER` (`console`, `zipkin`, …) is left to the
 * SDK's own environment handling. The SDK is imported only when used.
 */
export async function startTelemetry(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Telemetry | undefined> {
  if (!telemetryRequested(env)) return undefined;
  const [{ NodeSDK }, { OTLPTraceExporter }, { BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((name) => name.trim());
  const otlpOnly = exporters.length === 1 && exporters[0] === 'otlp';
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || 'fusync-server',
    ...(otlpOnly ? { spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] } : {}),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
