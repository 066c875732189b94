import { collectDefaultMetrics, Registry } from 'prom-client';

/** A Prometheus registry; pass it to `buildServer({ metrics })`, to `@l2o/bus` and to the service's own metrics. */
export type MetricsRegistry = Registry;

/**
 * A Prometheus registry for one service process, with Node's process metrics (CPU, memory, event
 * loop lag, GC) named `l2o_process_*`/`l2o_nodejs_*`, and a `service` label on every metric it holds.
 * Create one per process in `main.ts` and share it: the HTTP server, the bus and the service's own
 * metrics all register on it, so `/metrics` shows them together.
 */
export function createMetrics(options: { serviceName: string }): MetricsRegistry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.serviceName });
  collectDefaultMetrics({ register: registry, prefix: 'l2o_' });
  return registry;
}
