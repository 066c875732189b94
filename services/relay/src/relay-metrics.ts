import { Counter, Gauge } from 'prom-client';
import type { MetricsRegistry } from '@l2o/service-kit';

/**
 * The relay's own Prometheus metrics on the process registry (see `createMetrics`): how much it
 * published, whether it leads, how far it lags the store.
 */
export function createRelayMetrics(options: { registry: MetricsRegistry }) {
  const registers = [options.registry];
  return {
    published: new Counter({
      name: 'l2o_relay_published_events_total',
      help: 'Events published to Kafka',
      registers,
    }),
    leader: new Gauge({
      name: 'l2o_relay_leader',
      help: '1 while this relay holds the lock and publishes',
      registers,
    }),
    feedLag: new Gauge({
      name: 'l2o_relay_feed_lag_events',
      help: 'Committed events not yet published, by whether a reader can see them yet',
      labelNames: ['state'] as const,
      registers,
    }),
  };
}
