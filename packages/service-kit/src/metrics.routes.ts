import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MetricsRegistry } from './create-metrics.ts';

/**
 * `GET /metrics`: the registry in the Prometheus text format. Public, because Prometheus scrapes
 * without a tenant key and the port is reachable only inside the cluster network; hidden from the
 * OpenAPI document, which describes the service's API, not its operations plumbing.
 */
export function metricsRoutes(options: { registry: MetricsRegistry }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      const body = await options.registry.metrics();
      return reply.header('content-type', options.registry.contentType).send(body);
    });
  };
}
