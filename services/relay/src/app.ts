import {
  buildServer,
  type Logger,
  type MetricsRegistry,
  type ReadinessCheck,
  type ServiceServer,
} from '@l2o/service-kit';

/** The relay serves no business routes: health, readiness and Prometheus metrics at `/metrics`. */
export async function buildApp(options: {
  logger: Logger;
  readiness: ReadinessCheck[];
  /** The process registry, holding the relay's metrics (see `createRelayMetrics`) and its publisher's. */
  metrics: MetricsRegistry;
}): Promise<ServiceServer> {
  return buildServer({
    name: 'relay',
    version: '0.1.0',
    description: 'Publishes every event committed to the event store to Kafka, in commit order.',
    logger: options.logger,
    readiness: options.readiness,
    metrics: options.metrics,
  });
}
