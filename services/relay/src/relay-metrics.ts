import { Counter, Gauge, Registry } from 'prom-client';

/** The relay's Prometheus metrics: how much it published, whether it leads, how far it lags the store. */
export function createRelayMetrics() {
  const registry = new Registry();
  return {
    registry,
    published: new Counter({
      name: 'l2o_relay_published_events_total',
      help: 'Events published to Kafka',
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'l2o_relay_leader',
      help: '1 while this relay holds the lock and publishes',
      registers: [registry],
    }),
    feedLag: new Gauge({
      name: 'l2o_relay_feed_lag_events',
      help: 'Committed events not yet published, by whether a reader can see them yet',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
  };
}

export type RelayMetrics = ReturnType<typeof createRelayMetrics>;
