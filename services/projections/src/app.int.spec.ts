import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, ensureTopics } from '@l2o/bus';
import type { ConsumerRunner, Publisher } from '@l2o/bus';
import { Topics, withNamespace } from '@l2o/contracts';
import { createPool } from '@l2o/pg';
import { createLogger, createMetrics } from '@l2o/service-kit';
import type { ServiceServer } from '@l2o/service-kit';
import { createApiKeyVerifier } from '@l2o/tenancy';
import { kafkaBrokers, uniqueSuffix, waitFor } from '@l2o/testing';
import { buildApp } from './app.ts';
import { leadCapturedEvent } from './leads/lead-event.fixture.ts';
import { freshProjectionsSchema } from './projections-schema.fixture.ts';
import type { ProjectionsSchema } from './projections-schema.fixture.ts';
import { startReadModelConsumer } from './read-model/read-model-consumer.ts';
import { readModels } from './read-models.ts';

/** The value of the first sample of `name` in a Prometheus text body whose labels include `labels`. */
function sampleValue(body: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([\w:]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = new Set(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => `${key}=${value}`),
    );
    if (Object.entries(labels).every(([key, value]) => present.has(`${key}=${value}`))) return Number(match[3]);
  }
  return undefined;
}

describe('projections app', () => {
  const namespace = `test-proj-metrics-${uniqueSuffix()}`;
  const topic = withNamespace(Topics.lead, namespace);
  const groupId = `projections-metrics-${uniqueSuffix()}`;
  const registry = createMetrics({ serviceName: 'l2o-projections' });
  let db: ProjectionsSchema;
  let pool: pg.Pool;
  let publisher: Publisher;
  let consumer: ConsumerRunner | undefined;
  let app: ServiceServer;

  beforeAll(async () => {
    db = await freshProjectionsSchema('proj_metrics');
    pool = createPool({ connectionString: db.databaseUrl, schema: db.schema, max: 4 });
    // The consumer reads every topic its read models follow: opportunity and attribution ones must exist too.
    const followed = [Topics.opportunity, Topics.attribution].map((name) => withNamespace(name, namespace));
    await ensureTopics({
      brokers: kafkaBrokers(),
      topics: [topic, ...followed].map((name) => ({ topic: name, partitions: 1 })),
    });
    publisher = createPublisher({ brokers: kafkaBrokers(), clientId: 'projections-metrics-test' });
    await publisher.connect();
    app = await buildApp({
      pool,
      logger: createLogger({ name: 'projections', level: 'silent' }),
      verifyApiKey: createApiKeyVerifier({ pool }),
      metrics: registry,
    });
    await app.ready();
  });
  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
    await publisher?.disconnect();
    await pool?.end();
    await db?.drop();
  });

  describe('GET /metrics', () => {
    it('shows the leads consumer’s throughput and lag once it consumed an event', async () => {
      const captured = leadCapturedEvent({ tenantId: `acme-${randomUUID()}` });
      await publisher.publish(topic, [{ key: captured.subject, event: captured }]);
      consumer = await startReadModelConsumer({
        brokers: kafkaBrokers(),
        topicNamespace: namespace,
        groupId,
        pool,
        readModels,
        metrics: registry,
        timing: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 },
      });

      const consumerLabels = { group: groupId, topic, service: 'l2o-projections' };
      let body = '';
      await waitFor('the handled event on /metrics', async () => {
        body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        return sampleValue(body, 'l2o_consumer_messages_total', { ...consumerLabels, outcome: 'handled' }) === 1;
      });

      expect(sampleValue(body, 'l2o_consumer_lag', { ...consumerLabels, partition: '0' })).toBe(0);
      expect(sampleValue(body, 'l2o_consumer_handle_duration_seconds_count', consumerLabels)).toBe(1);
      expect(sampleValue(body, 'l2o_process_cpu_user_seconds_total', { service: 'l2o-projections' })).toBeGreaterThan(
        0,
      );
    });
  });
});
