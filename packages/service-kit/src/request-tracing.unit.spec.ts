import { request as httpRequest } from 'node:http';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildServer } from './build-server.ts';
import type { ServiceServer } from './build-server.ts';
import { createLogger } from './create-logger.ts';
import { requestContext } from './request-tracing.ts';
import { currentTraceparent, startTelemetry } from './telemetry.ts';
import type { Telemetry } from './telemetry.ts';

const incomingTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const incomingSpanId = '00f067aa0ba902b7';
const incoming = `00-${incomingTraceId}-${incomingSpanId}-01`;

function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}

async function testApp(): Promise<ServiceServer> {
  const app = await buildServer({
    name: 'test-service',
    version: '1.2.3',
    logger: createLogger({ name: 'test-service', level: 'silent' }),
    routes: async (routes) => {
      routes.post(
        '/v1/leads/:leadId',
        { schema: { params: z.object({ leadId: z.string() }), body: z.object({ email: z.email() }) } },
        async (_request, reply) => {
          // Past an await and a turn of the event loop, as a handler that writes to the store would be.
          await nextTurn();
          return reply.code(202).send({ traceparent: currentTraceparent() });
        },
      );
      routes.get('/v1/boom', async () => {
        throw new Error('connection refused');
      });
      routes.get('/v1/later', async (request) => {
        // A callback that escapes the handler's async chain.
        const traceparent = await new Promise<string | undefined>((resolve) =>
          setTimeout(() => resolve(context.with(requestContext(request), currentTraceparent)), 1),
        );
        return { traceparent };
      });
    },
  });
  await app.ready();
  return app;
}

const lead = { email: 'ada@example.com' };

describe('request tracing', () => {
  let app: ServiceServer | undefined;
  let telemetry: Telemetry | undefined;

  afterEach(async () => {
    await app?.close();
    await telemetry?.shutdown();
    app = undefined;
    telemetry = undefined;
    trace.disable();
    propagation.disable();
    context.disable();
  });

  describe('without an exporting SDK', () => {
    it('carries the caller’s trace id into the route handler', async () => {
      telemetry = startTelemetry({ serviceName: 'test-service', env: {} });
      app = await testApp();

      const response = await app.inject({
        method: 'POST',
        url: '/v1/leads/lead-1',
        headers: { traceparent: incoming },
        payload: lead,
      });

      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ traceparent: incoming });
    });

    it('carries it over a real connection when the body arrives after the headers', async () => {
      telemetry = startTelemetry({ serviceName: 'test-service', env: {} });
      app = await testApp();
      const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
      const body = JSON.stringify(lead);

      // The body is read from the socket's callbacks, outside any context a hook entered.
      const responseBody = await new Promise<string>((resolve, reject) => {
        const request = httpRequest(
          {
            host: address.hostname,
            port: address.port,
            method: 'POST',
            path: '/v1/leads/lead-1',
            headers: { traceparent: incoming, 'content-type': 'application/json', 'content-length': body.length },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve(text));
          },
        );
        request.on('error', reject);
        request.flushHeaders();
        void delay(20).then(() => request.end(body));
      });

      expect(JSON.parse(responseBody)).toEqual({ traceparent: incoming });
    });

    it('has no traceparent when the caller sent none', async () => {
      telemetry = startTelemetry({ serviceName: 'test-service', env: {} });
      app = await testApp();

      const response = await app.inject({ method: 'POST', url: '/v1/leads/lead-1', payload: lead });

      expect(response.json()).toEqual({});
    });

    it('lends the request’s context to callbacks outside the handler', async () => {
      telemetry = startTelemetry({ serviceName: 'test-service', env: {} });
      app = await testApp();

      const response = await app.inject({ method: 'GET', url: '/v1/later', headers: { traceparent: incoming } });

      expect(response.json()).toEqual({ traceparent: incoming });
    });
  });

  describe('with an exporting SDK', () => {
    async function tracedApp() {
      const exporter = new InMemorySpanExporter();
      telemetry = startTelemetry({ serviceName: 'test-service', serviceVersion: '1.2.3', spanExporter: exporter });
      app = await testApp();
      return { app, exporter };
    }

    it('starts a new trace and records a SERVER span with the route and status', async () => {
      const { app, exporter } = await tracedApp();

      const response = await app.inject({ method: 'POST', url: '/v1/leads/lead-1', payload: lead });

      const traceparent = (response.json() as { traceparent?: string }).traceparent;
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      const [span] = exporter.getFinishedSpans();
      expect(span?.name).toBe('POST /v1/leads/:leadId');
      expect(span?.kind).toBe(SpanKind.SERVER);
      expect(span?.spanContext().traceId).toBe(traceIdOf(traceparent));
      expect(span?.spanContext().spanId).toBe(traceparent?.split('-')[2]);
      expect(span?.parentSpanContext).toBeUndefined();
      expect(span?.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/v1/leads/:leadId',
        'url.path': '/v1/leads/lead-1',
        'http.response.status_code': 202,
      });
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
      expect(span?.resource.attributes).toMatchObject({ 'service.name': 'test-service', 'service.version': '1.2.3' });
    });

    it('makes the SERVER span a child of the caller’s span', async () => {
      const { app, exporter } = await tracedApp();

      await app.inject({ method: 'POST', url: '/v1/leads/lead-1', headers: { traceparent: incoming }, payload: lead });

      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      const [span] = exporter.getFinishedSpans();
      expect(span?.spanContext().traceId).toBe(incomingTraceId);
      expect(span?.parentSpanContext?.spanId).toBe(incomingSpanId);
    });

    it('marks a 5xx as an error and records the exception', async () => {
      const { app, exporter } = await tracedApp();

      const response = await app.inject({ method: 'GET', url: '/v1/boom' });

      expect(response.statusCode).toBe(500);
      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      const [span] = exporter.getFinishedSpans();
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
      expect(span?.events.map((event) => event.name)).toEqual(['exception']);
    });

    it('leaves a 4xx unmarked', async () => {
      const { app, exporter } = await tracedApp();

      const response = await app.inject({ method: 'POST', url: '/v1/leads/lead-1', payload: { email: 'nope' } });

      expect(response.statusCode).toBe(400);
      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('does not trace health, readiness or the docs', async () => {
      const { app, exporter } = await tracedApp();

      for (const url of ['/health', '/ready', '/docs/json', '/health?verbose=1'])
        expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
      await app.inject({ method: 'GET', url: '/v1/boom' });

      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['GET /v1/boom']);
    });
  });
});
