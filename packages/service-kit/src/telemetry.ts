import { setTimeout as delay } from 'node:timers/promises';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from './create-logger.ts';
import { ConfigError } from './load-config.ts';

/** What {@link startTelemetry} needs: the service's identity on every span, and where to read `OTEL_*`. */
export type TelemetryOptions = {
  serviceName: string;
  serviceVersion?: string;
  /** Where the `OTEL_*` variables are read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Receives the SDK's own warnings and errors, e.g. a collector that cannot be reached. */
  logger?: Logger;
  /**
   * Exports every span to this exporter as it ends, whatever the environment says
   * (tests pass an `InMemorySpanExporter`).
   */
  spanExporter?: SpanExporter;
  /** How long `shutdown` waits for the last spans to be exported before giving them up. Default 2000. */
  shutdownTimeoutMs?: number;
};

/** What {@link startTelemetry} started. */
export type Telemetry = {
  /** Whether spans are recorded and exported; when false only trace context propagates. */
  exporting: boolean;
  /**
   * Flushes pending spans and stops exporting; call it last when the service stops. It never
   * rejects: a collector that is down or slow costs at most the shutdown timeout and a warning.
   */
  shutdown: () => Promise<void>;
};

/** The OTLP/HTTP traces URL, as the SDK specification derives it, or undefined when tracing is off. */
function tracesUrl(env: Record<string, string | undefined>): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
    ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
    : env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
      ? 'OTEL_EXPORTER_OTLP_ENDPOINT'
      : undefined;
  if (variable === undefined) return undefined;
  const value = (env[variable] ?? '').trim();
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new ConfigError([{ variable, reason: `expected an http(s) URL (got ${JSON.stringify(value)})` }]);
  // The generic endpoint is a base URL; the per-signal one is used exactly as given.
  return variable === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? `${value.replace(/\/+$/, '')}/v1/traces` : value;
}

function diagLogger(logger: Logger): DiagLogger {
  const child = logger.child({ component: 'opentelemetry' });
  const log =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, ...args: unknown[]) =>
      args.length > 0 ? child[level]({ details: args }, message) : child[level](message);
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), verbose: log('debug') };
}

/**
 * Sets up OpenTelemetry for a service process; call it once, first thing in `main.ts`.
 *
 * Always registers the W3C trace-context propagator and an AsyncLocalStorage context manager,
 * so an incoming `traceparent` (HTTP or Kafka) reaches whatever the request or message causes,
 * even when nothing is exported. When `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, `OTEL_SDK_DISABLED` is not `true` and
 * `OTEL_TRACES_EXPORTER` is not `none`, it also registers a tracer provider that batches spans
 * to that collector over OTLP/HTTP, with `service.name` and `service.version` on every span. Other `OTEL_EXPORTER_OTLP_*` settings
 * (headers, timeout) are read by the exporter from `process.env`.
 *
 * Spans are created by hand (`buildServer`, `@l2o/bus`); there is no auto-instrumentation.
 * @throws {@link ConfigError} when the endpoint is not an http(s) URL.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  const url = options.spanExporter === undefined ? tracesUrl(env) : undefined;

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());

  let processor: SpanProcessor | undefined;
  if (options.spanExporter !== undefined) processor = new SimpleSpanProcessor({ exporter: options.spanExporter });
  else if (url !== undefined) processor = new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) });
  if (processor === undefined) return { exporting: false, shutdown: async () => undefined };

  if (options.logger !== undefined) diag.setLogger(diagLogger(options.logger), DiagLogLevel.WARN);
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
      }),
    ),
    spanProcessors: [processor],
  });
  trace.setGlobalTracerProvider(provider);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 2000;
  return {
    exporting: true,
    shutdown: async () => {
      // Lost spans must not fail a stop or hold it past the orchestrator's grace period.
      const outcome = await Promise.race([
        provider.shutdown().then(
          () => 'flushed' as const,
          (error: unknown) => error,
        ),
        delay(shutdownTimeoutMs, 'timed out' as const, { ref: false }),
      ]);
      if (outcome === 'flushed') return;
      if (outcome === 'timed out')
        options.logger?.warn(`the last spans were not exported within ${shutdownTimeoutMs} ms`);
      else options.logger?.warn({ err: outcome }, 'the last spans could not be exported');
    },
  };
}

/**
 * The W3C `traceparent` of the active context, or undefined outside any trace. Services store it
 * in event metadata so the relay re-emits it on Kafka and consumers join the request's trace.
 * Without an exporting SDK it is the caller's own `traceparent`, so the trace id still carries on.
 */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
