import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics } from '@l2o/bus';
import type { Publisher } from '@l2o/bus';
import { createLogger, createMetrics } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { kafkaBrokers, uniqueSuffix } from '@l2o/testing';
import { buildApp } from './app.ts';
import { createRelayMetrics } from './relay-metrics.ts';

describe('relay app', () => {
  const topic = `test.relay.metrics.${uniqueSuffix()}`;
  const registry = createMetrics({ serviceName: 'l2o-relay' });
  const metrics = createRelayMetrics({ registry });
  let publisher: Publisher;
  let app: ServiceServer;

  beforeAll(async () => {
    await ensureTopics({ brokers: kafkaBrokers(), topics: [{ topic, partitions: 1 }] });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'relay-app-test', metrics: registry });
    await publisher.connect();
    app = await buildApp({
      logger: createLogger({ name: 'relay', level: 'silent' }),
      readiness: [],
      metrics: registry,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.disconnect();
  });

  describe('GET /metrics', () => {
    it('shows the relay gauges and counters beside the publisher and process metrics', async () => {
      await publisher.publish(topic, [
        {
          key: 'lead-1',
          event: {
            specversion: '1.0',
            id: `relay-metrics-${uniqueSuffix()}`,
            type: 'l2o.lead.captured.v1',
            source: '/l2o/relay-test',
            subject: 'lead-1',
            time: '2025-03-01T10:00:00.000Z',
            datacontenttype: 'application/json',
            tenantid: 'tenant-test',
            streamversion: 1,
            data: {},
          },
        },
      ]);
      metrics.published.inc(1);
      metrics.leader.set(1);
      metrics.feedLag.set({ state: 'readable' }, 4);
      metrics.feedLag.set({ state: 'held_back' }, 2);

      const response = await app.inject({ method: 'GET', url: '/metrics' });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      const lines = response.body.split('\n');
      expect(lines).toContain('l2o_relay_leader{service="l2o-relay"} 1');
      expect(lines).toContain('l2o_relay_published_events_total{service="l2o-relay"} 1');
      expect(lines).toContain('l2o_relay_feed_lag_events{state="readable",service="l2o-relay"} 4');
      expect(lines).toContain('l2o_relay_feed_lag_events{state="held_back",service="l2o-relay"} 2');
      expect(lines).toContain(`l2o_published_messages_total{topic="${topic}",service="l2o-relay"} 1`);
      expect(response.body).toContain('l2o_process_cpu_user_seconds_total{service="l2o-relay"}');
    });
  });
});
