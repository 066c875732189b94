import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { context, diag, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import { ConfigError } from './load-config.ts';
import { currentTraceparent, startTelemetry } from './telemetry.ts';
import type { Telemetry } from './telemetry.ts';

const spanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};

/** A stand-in OTLP/HTTP collector that records what it receives. */
async function fakeCollector() {
  const received: Array<{ path: string; body: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => server.close() };
}

/** A URL nothing listens on: a port the system handed out and took back. */
async function closedUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test-service', destination: stream }) };
}

describe('startTelemetry', () => {
  let telemetry: Telemetry | undefined;

  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
    trace.disable();
    propagation.disable();
    context.disable();
    diag.disable();
  });

  it('propagates trace context without exporting when no endpoint is set', () => {
    telemetry = startTelemetry({ serviceName: 'test-service', env: {} });

    expect(telemetry.exporting).toBe(false);
    expect(currentTraceparent()).toBeUndefined();
    const active = trace.setSpanContext(ROOT_CONTEXT, spanContext);
    expect(context.with(active, currentTraceparent)).toBe(`00-${spanContext.traceId}-${spanContext.spanId}-01`);
  });

  it('stays off when OTEL_SDK_DISABLED is true', () => {
    telemetry = startTelemetry({
      serviceName: 'test-service',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' },
    });

    expect(telemetry.exporting).toBe(false);
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() =>
      startTelemetry({ serviceName: 'test-service', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' } }),
    ).toThrow(ConfigError);
    expect(() =>
      startTelemetry({ serviceName: 'test-service', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope' } }),
    ).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: expected an http\(s\) URL/);
  });

  it('exports spans to <endpoint>/v1/traces and flushes them on shutdown', async () => {
    const collector = await fakeCollector();
    try {
      telemetry = startTelemetry({
        serviceName: 'test-service',
        serviceVersion: '1.2.3',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/` },
      });
      expect(telemetry.exporting).toBe(true);

      trace.getTracer('test').startSpan('capture lead').end();
      await telemetry.shutdown();

      expect(collector.received.map((request) => request.path)).toEqual(['/v1/traces']);
      const body = collector.received[0]?.body ?? '';
      expect(body).toContain('capture lead');
      expect(body).toContain('test-service');
    } finally {
      collector.close();
    }
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given', async () => {
    const collector = await fakeCollector();
    try {
      telemetry = startTelemetry({
        serviceName: 'test-service',
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/custom/traces` },
      });

      trace.getTracer('test').startSpan('capture lead').end();
      await telemetry.shutdown();

      expect(collector.received.map((request) => request.path)).toEqual(['/custom/traces']);
    } finally {
      collector.close();
    }
  });

  it('gives up the last spans with a warning, not a failure, when the collector is down', async () => {
    const sink = logSink();
    telemetry = startTelemetry({
      serviceName: 'test-service',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: await closedUrl() },
      logger: sink.logger,
      shutdownTimeoutMs: 300,
    });

    trace.getTracer('test').startSpan('capture lead').end();
    const started = performance.now();
    await telemetry.shutdown();

    expect(performance.now() - started).toBeLessThan(1000);
    expect(sink.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'the last spans were not exported within 300 ms' }),
    );
  });
});
