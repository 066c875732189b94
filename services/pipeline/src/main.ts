import { consumerReadiness, kafkaReadiness, startInBackground } from '@l2o/bus';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import {
  consumerTimingOf,
  createLogger,
  createMetrics,
  exitOnFatalError,
  loadConfig,
  runService,
  startTelemetry,
  stopInOrder,
} from '@l2o/service-kit';
import { createOutboxSweepTask } from '@l2o/stream-consumer';
import { createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from './app.ts';
import { pipelineConfigSchema } from './config.ts';
import { migratePipeline } from './migrate-pipeline.ts';
import { createOpportunityViewConsumer, startOpportunityConsumer } from './opportunity-view/opportunity-consumer.ts';
import { createPipelineSettingsRepository } from './settings/pipeline-settings.repository.ts';
import { createStageSlaPoller } from './stage-sla/stage-sla-poller.ts';

const config = loadConfig(pipelineConfigSchema);
const logger = createLogger({ name: 'pipeline', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-pipeline', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'pipeline',
  logger,
  // A stop during a group join waits for the join (up to a session timeout) before leaving the group.
  shutdownTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS + 10_000,
  start: async () => {
    await migrateModules({
      databaseUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      modules: [migrateEventStore, migrateTenancy, migratePipeline],
    });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      max: config.DATABASE_POOL_SIZE,
      applicationName: 'l2o-pipeline',
    });
    const store = createPostgresEventStore({ pool, schema: config.DATABASE_SCHEMA });
    const clock = () => new Date();
    const metrics = createMetrics({ serviceName: 'l2o-pipeline' });
    const settings = createPipelineSettingsRepository({ pool });
    const view = createOpportunityViewConsumer({ pool, store, settings, logger });
    // Joined in the background: the API serves while the group rebalances, and the consumer catches up behind.
    const consumer = startInBackground({
      name: 'opportunity consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'opportunity consumer' }),
      start: (onFatalError) =>
        startOpportunityConsumer({
          brokers: config.KAFKA_BROKERS,
          topicNamespace: config.TOPIC_NAMESPACE,
          groupId: config.OPPORTUNITY_CONSUMER_GROUP,
          timing: consumerTimingOf(config),
          view,
          logger,
          metrics,
          onFatalError,
        }),
    });
    const poller = createStageSlaPoller({
      outbox: view,
      clock,
      logger,
      intervalMs: config.STAGE_SLA_TICK_SECONDS * 1000,
    });
    poller.start();
    // MarkStalled commands a tick kept but did not send (the process stopped, the store was unreachable).
    const outboxSweep = createOutboxSweepTask({ name: 'stage SLA outbox sweep', handlers: view, logger });
    outboxSweep.start();
    const app = await buildApp({
      pool,
      store,
      logger,
      clock,
      settings,
      metrics,
      verifyApiKey: createApiKeyVerifier({ pool }),
      readiness: [
        { name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) },
        kafkaReadiness({ brokers: config.KAFKA_BROKERS }),
        consumerReadiness(consumer),
      ],
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            { name: 'http', stop: () => app.close() },
            { name: 'stage SLA poller', stop: () => poller.stop() },
            { name: 'opportunity consumer', stop: () => consumer.stop() },
            { name: 'stage SLA outbox sweep', stop: () => outboxSweep.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
