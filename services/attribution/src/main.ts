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
import type { AttributionDeps } from './attribution-deps.ts';
import { attributionServiceConfigSchema } from './config.ts';
import { createAttributionConsumer, startAttributionConsumer } from './consumer/attribution-consumer.ts';
import { createRecomputeScheduler } from './data-driven/recompute-scheduler.ts';
import { migrateAttribution } from './migrate-attribution.ts';
import { createAttributionSettingsRepository } from './settings/attribution-settings.repository.ts';

const config = loadConfig(attributionServiceConfigSchema);
const logger = createLogger({ name: 'attribution', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-attribution', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'attribution',
  logger,
  // A stop during a group join waits for the join (up to a session timeout) before leaving the group.
  shutdownTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS + 10_000,
  start: async () => {
    await migrateModules({
      databaseUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      modules: [migrateEventStore, migrateTenancy, migrateAttribution],
    });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      max: config.DATABASE_POOL_SIZE,
      applicationName: 'l2o-attribution',
    });
    const store = createPostgresEventStore({ pool, schema: config.DATABASE_SCHEMA });
    const clock = () => new Date();
    const metrics = createMetrics({ serviceName: 'l2o-attribution' });
    const settings = createAttributionSettingsRepository({ pool });
    const deps: AttributionDeps = { pool, store, clock, settings, logger };

    const handlers = createAttributionConsumer(deps);
    // Joined in the background: the API serves while the group rebalances, and the consumer catches up behind.
    const consumer = startInBackground({
      name: 'attribution consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'attribution consumer' }),
      start: (onFatalError) =>
        startAttributionConsumer({
          handlers,
          logger,
          brokers: config.KAFKA_BROKERS,
          topicNamespace: config.TOPIC_NAMESPACE,
          groupId: config.CONSUMER_GROUP,
          timing: consumerTimingOf(config),
          metrics,
          onFatalError,
        }),
    });
    // Attributions a batch decided but did not append (the process stopped, the store was unreachable).
    const outboxSweep = createOutboxSweepTask({ name: 'attribution outbox sweep', handlers, logger });
    outboxSweep.start();
    const scheduler = createRecomputeScheduler({
      ...deps,
      logger,
      intervalMinutes: config.DATA_DRIVEN_RECOMPUTE_MINUTES,
    });
    scheduler.start();

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
            { name: 'recompute scheduler', stop: () => scheduler.stop() },
            { name: 'attribution consumer', stop: () => consumer.stop() },
            { name: 'attribution outbox sweep', stop: () => outboxSweep.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
