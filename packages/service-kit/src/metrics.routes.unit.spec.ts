import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './build-server.ts';
import type { ServiceServer } from './build-server.ts';
import { createLogger } from './create-logger.ts';
import { createMetrics } from './create-metrics.ts';
import type { MetricsRegistry } from './create-metrics.ts';

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

/** The `_count` samples of the request histogram, as `METHOD route status` → count. */
async function requestCounts(registry: MetricsRegistry): Promise<Record<string, number>> {
  const metrics = await registry.getMetricsAsJSON();
  const histogram = metrics.find((metric) => metric.name === 'l2o_http_request_duration_seconds');
  const samples = (histogram?.values ?? []) as Sample[];
  return Object.fromEntries(
    samples
      .filter((sample) => sample.metricName === 'l2o_http_request_duration_seconds_count')
      .map((sample) => [`${sample.labels.method} ${sample.labels.route} ${sample.labels.status_code}`, sample.value]),
  );
}

async function testApp(registry: MetricsRegistry | undefined): Promise<ServiceServer> {
  const app = await buildServer({
    name: 'metrics-service',
    version: '1.0.0',
    logger: createLogger({ name: 'metrics-service', level: 'silent' }),
    ...(registry === undefined ? {} : { metrics: registry }),
    auth: {
      verifyApiKey: async (apiKey) =>
        apiKey === 'good-key' ? { tenantId: 'acme', scopes: ['read_reports'] } : undefined,
    },
    routes: async (routes) => {
      routes.get('/v1/leads/:leadId', async () => ({ ok: true }));
    },
  });
  await app.ready();
  return app;
}

const authorized = { authorization: 'Bearer good-key' };

describe('createMetrics', () => {
  it('collects the process metrics with the l2o_ prefix and the service label', async () => {
    const registry = createMetrics({ serviceName: 'l2o-test' });
    const text = await registry.metrics();
    expect(text).toContain('l2o_process_cpu_user_seconds_total{service="l2o-test"}');
    expect(text).toContain('l2o_nodejs_eventloop_lag_seconds{service="l2o-test"}');
  });
});

describe('buildServer with metrics', () => {
  let registry: MetricsRegistry;
  let app: ServiceServer;

  beforeAll(async () => {
    registry = createMetrics({ serviceName: 'l2o-test' });
    app = await testApp(registry);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /metrics', () => {
    it('serves the registry in the Prometheus text format without an API key', async () => {
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(response.body).toContain('# TYPE l2o_process_cpu_user_seconds_total counter');
      expect(response.body).toContain('l2o_process_cpu_user_seconds_total{service="l2o-test"}');
    });

    it('is left out of the OpenAPI document', async () => {
      const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
      expect(document.paths['/metrics']).toBeUndefined();
    });
  });

  describe('the request histogram', () => {
    it('labels requests with the route pattern, never the URL', async () => {
      await app.inject({ method: 'GET', url: '/v1/leads/lead-1', headers: authorized });
      await app.inject({ method: 'GET', url: '/v1/leads/lead-2?fields=all', headers: authorized });
      await app.inject({ method: 'GET', url: '/v1/leads/lead-3' });

      const counts = await requestCounts(registry);
      expect(counts['GET /v1/leads/:leadId 200']).toBe(2);
      expect(counts['GET /v1/leads/:leadId 401']).toBe(1);
      expect(Object.keys(counts).some((series) => series.includes('lead-1'))).toBe(false);
    });

    it('puts every request that matched no route in one series', async () => {
      await app.inject({ method: 'GET', url: '/v1/nowhere/1', headers: authorized });
      await app.inject({ method: 'GET', url: '/wp-admin', headers: authorized });
      expect((await requestCounts(registry))['GET unmatched 404']).toBe(2);
    });

    it('leaves out scrapes and probes', async () => {
      for (const url of ['/metrics', '/health', '/ready']) await app.inject({ method: 'GET', url });
      const routes = Object.keys(await requestCounts(registry));
      expect(routes.filter((series) => /\/(metrics|health|ready) /.test(series))).toEqual([]);
    });

    it('carries the service label', async () => {
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      const series = response.body
        .split('\n')
        .filter((line) => line.startsWith('l2o_http_request_duration_seconds_count{'));
      expect(series.length).toBeGreaterThan(0);
      expect(series.every((line) => line.includes('service="l2o-test"'))).toBe(true);
    });
  });

  it('lets a second server share the registry', async () => {
    const before = (await requestCounts(registry))['GET /v1/leads/:leadId 200'] ?? 0;
    const second = await testApp(registry);
    await second.inject({ method: 'GET', url: '/v1/leads/lead-9', headers: authorized });
    await second.close();
    expect((await requestCounts(registry))['GET /v1/leads/:leadId 200']).toBe(before + 1);
  });
});

describe('buildServer without metrics', () => {
  it('serves no /metrics', async () => {
    const app = await testApp(undefined);
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: authorized });
    expect(response.statusCode).toBe(404);
    await app.close();
  });
});
