import { Counter } from 'prom-client';
import type { MetricsRegistry } from '@l2o/service-kit';

/** What the read-model consumer records beyond the bus's own consumer metrics. */
export type ReadModelMetrics = {
  /** An event arrived past a hole in a read model's stream; each retry of it counts again. */
  gapDetected(options: { readModel: string }): void;
};

/** The read-model metrics on the process registry (see `createMetrics`), or no-ops without one. */
export function createReadModelMetrics(options: { registry: MetricsRegistry | undefined }): ReadModelMetrics {
  const { registry } = options;
  if (registry === undefined) return { gapDetected: () => undefined };
  const name = 'l2o_read_model_stream_gaps_total';
  const gaps =
    (registry.getSingleMetric(name) as Counter<'read_model'> | undefined) ??
    new Counter({
      name,
      help: 'Events refused because an earlier event of their stream was never applied to the read model (each attempt)',
      labelNames: ['read_model'] as const,
      registers: [registry],
    });
  return { gapDetected: ({ readModel }) => gaps.inc({ read_model: readModel }) };
}
