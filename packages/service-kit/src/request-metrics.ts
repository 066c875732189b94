import { Histogram } from 'prom-client';
import type { ServiceServer } from './build-server.ts';
import type { MetricsRegistry } from './create-metrics.ts';
import { probePaths } from './health.routes.ts';

const requestDuration = 'l2o_http_request_duration_seconds';

/** The label of a request that matched no route, so stray URLs (scanners, typos) add one series, not one each. */
const unmatchedRoute = 'unmatched';

/**
 * Records every answered request in `l2o_http_request_duration_seconds{method, route, status_code}`,
 * from the start of the request until the response is sent. `route` is the route pattern
 * (`/v1/leads/:leadId`), never the URL, so ids in paths cannot multiply the series.
 */
export function measureRequests(app: ServiceServer, registry: MetricsRegistry): void {
  // Reused when one registry serves several servers (tests build many); registering twice would throw.
  const histogram =
    (registry.getSingleMetric(requestDuration) as Histogram<'method' | 'route' | 'status_code'> | undefined) ??
    new Histogram({
      name: requestDuration,
      help: 'HTTP requests by method, route pattern and status code, from arrival to response',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && probePaths.has(route)) return;
    histogram.observe(
      { method: request.method, route: route ?? unmatchedRoute, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
