import { buildServer, type Logger, type ReadinessCheck, type ServiceServer } from '@l2o/service-kit';
import type { RelayMetrics } from './relay-metrics.ts';

/** The relay serves no business routes: health, readiness and Prometheus metrics at `/metrics`. */
export async function buildApp(options: {
  logger: Logger;
  readiness: ReadinessCheck[];
  metrics: RelayMetrics;
}): Promise<ServiceServer> {
  return buildServer({
    name: 'relay',
    version: '0.1.0',
    description: 'Publishes every event committed to the event store to Kafka, in commit order.',
    logger: options.logger,
    readiness: options.readiness,
    routes: async (app) => {
      app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
        reply.header('content-type', options.metrics.registry.contentType);
        return options.metrics.registry.metrics();
      });
    },
  });
}
