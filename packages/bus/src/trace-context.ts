import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, TextMapGetter } from '@opentelemetry/api';
import type { CloudEvent } from '@l2o/contracts';
import type { MessageHeaders } from './cloud-event.codec.ts';

const tracer = trace.getTracer('@l2o/bus');

/**
 * Gives an event the trace context of the active OpenTelemetry context when it carries none of its own,
 * so a consumer's span joins the trace of the request that produced the event.
 */
export function withActiveTraceContext(event: CloudEvent): CloudEvent {
  if (event.traceparent) return event;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return event;
  return {
    ...event,
    traceparent: carrier.traceparent,
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

const headerGetter: TextMapGetter<MessageHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map((part) => part.toString()) : value.toString();
  },
};

/** The trace context carried in a message's headers (the root context when there is none). */
export function extractTraceContext(headers: MessageHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, headerGetter);
}

/**
 * Runs `work` inside a CONSUMER span `<topic> process`, child of `parent`; records a failure on the span.
 * A batch's span links to the trace of each of its messages (`links`), so every lead's trace reaches it.
 */
export async function inConsumerSpan<T>(
  options: { topic: string; parent: Context; attributes: Attributes; links?: readonly Context[] },
  work: () => Promise<T>,
): Promise<T> {
  const links = (options.links ?? []).flatMap((context) => {
    const spanContext = trace.getSpanContext(context);
    return spanContext ? [{ context: spanContext }] : [];
  });
  const spanOptions = { kind: SpanKind.CONSUMER, attributes: options.attributes, links };
  return tracer.startActiveSpan(`${options.topic} process`, spanOptions, options.parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
