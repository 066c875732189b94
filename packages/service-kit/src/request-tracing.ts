import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { FastifyRequest } from 'fastify';
import type { ServiceServer } from './build-server.ts';
import { probePaths } from './health.routes.ts';

type TracedRequest = { span: Span; context: Context };

const traced = new WeakMap<FastifyRequest, TracedRequest>();

// The API docs say nothing about a lead either; tracing them would bury the traces that do.
const untracedPaths = new Set([...probePaths, '/docs']);

function isUntraced(path: string): boolean {
  return untracedPaths.has(path) || path.startsWith('/docs/');
}

/**
 * The trace context of a request: its SERVER span, child of the caller's `traceparent`.
 * Hooks after `onRequest` and route handlers already run inside it; callbacks that escape them
 * (an emitter's listener, a `setTimeout`) can use `context.with(requestContext(request), work)`.
 * For an untraced route it is the active context.
 */
export function requestContext(request: FastifyRequest): Context {
  return traced.get(request)?.context ?? context.active();
}

function startRequestSpan(request: FastifyRequest): TracedRequest | undefined {
  const route = request.routeOptions.url;
  if (isUntraced(route ?? request.url.split('?', 1)[0] ?? '')) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: request.method,
    [ATTR_URL_PATH]: request.url.split('?', 1)[0],
    [ATTR_URL_SCHEME]: request.protocol,
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.raw.httpVersion,
    [ATTR_CLIENT_ADDRESS]: request.ip,
    ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
    ...(request.headers['user-agent'] === undefined
      ? {}
      : { [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'] }),
  };
  // Looked up per request: a tracer taken once at import would stay a no-op if the SDK registers later.
  const span = trace
    .getTracer('@l2o/service-kit')
    .startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes },
      parent,
    );
  return { span, context: trace.setSpan(parent, span) };
}

/**
 * Gives every traced request a SERVER span named `<METHOD> <route>`, continuing the caller's
 * `traceparent`/`tracestate`, active from `onRequest` through the handler, ended with the response
 * status (an error status for 5xx). Health, readiness, metrics and docs routes are not traced.
 * Register it before any other hook so that requests refused by a hook are traced too.
 */
export function traceRequests(app: ServiceServer): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const started = startRequestSpan(request);
    if (started === undefined) return done();
    traced.set(request, started);
    // The rest of the lifecycle, handler included, runs inside: Fastify reads the body within an
    // AsyncResource created here, so the context survives a body that arrives after the headers.
    context.with(started.context, done);
  });

  app.addHook('onError', async (request, _reply, error) => {
    traced.get(request)?.span.recordException(error);
  });

  app.addHook('onResponse', async (request, reply) => {
    const span = traced.get(request)?.span;
    if (span === undefined) return;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
    if (reply.statusCode >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(reply.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
    traced.delete(request);
  });

  app.addHook('onRequestAbort', async (request) => {
    const span = traced.get(request)?.span;
    if (span === undefined) return;
    span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' });
    span.end();
    traced.delete(request);
  });
}
