import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@l2o/service-kit';
import type { ScoringMetrics } from './scoring-metrics.ts';

/** The scoring metrics on the process registry (see `createMetrics`), served at `/metrics`. */
export function createScoringMetrics(options: { registry: MetricsRegistry }): ScoringMetrics {
  const registers = [options.registry];
  const scored = new Counter({
    name: 'l2o_scoring_leads_scored_total',
    help: 'Leads scored, by trigger and outcome: recorded on the lead, unchanged, or refused by it',
    labelNames: ['trigger', 'outcome'] as const,
    registers,
  });
  const batchSize = new Histogram({
    name: 'l2o_scoring_rescore_batch_size',
    help: 'Leads claimed per batch by the rescore scheduler',
    buckets: [1, 5, 10, 25, 50, 100, 200, 500, 1000, 5000],
    registers,
  });
  const lag = new Gauge({
    name: 'l2o_scoring_rescore_lag_seconds',
    help: 'How long past its due time the oldest lead of the last rescore batch was',
    registers,
  });
  return {
    leadScored: ({ trigger, outcome }) => scored.inc({ trigger, outcome }),
    rescoreBatch: ({ size, lagSeconds }) => {
      batchSize.observe(size);
      lag.set(lagSeconds);
    },
  };
}
