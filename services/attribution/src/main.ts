import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { createLogger, createMetrics, loadConfig, runService, startTelemetry, stopInOrder } from '@l2o/service-kit';
import { createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from './app.ts';
import type { AttributionDeps } from './attribution-deps.ts';
import { attributionServiceConfigSchema } from './config.ts';
import { startAttributionConsumer } from './consumer/attribution-consumer.ts';
import { startRecomputeScheduler } from './data-driven/recompute-scheduler.ts';
import { migrateAttribution } from './migrate-attribution.ts';
import { createAttributionSettingsRepository } from './settings/attribution-settings.repository.ts';

const config = loadConfig(attributionServiceConfigSchema);
const logger = createLogger({ name: 'attribution', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-attribution', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'attribution',
  logger,
  start: async () => {
    await migrateEventStore({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    await migrateTenancy({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    await migrateAttribution({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
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

    const consumer = await startAttributionConsumer({
      ...deps,
      brokers: config.KAFKA_BROKERS,
      topicNamespace: config.TOPIC_NAMESPACE,
      groupId: config.CONSUMER_GROUP,
      metrics,
      // Crash-only: kafkajs does not restart a consumer it gave up on; the supervisor restarts the process.
      onFatalError: (error) => {
        logger.fatal({ err: error }, 'attribution consumer stopped for good');
        process.exit(1);
      },
    });
    let consumerReady = false;
    consumer.ready.then(
      () => (consumerReady = true),
      () => undefined,
    );
    const scheduler = startRecomputeScheduler({ ...deps, intervalMinutes: config.DATA_DRIVEN_RECOMPUTE_MINUTES });

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
        {
          name: 'attribution consumer',
          check: async () => {
            if (!consumerReady) throw new Error('not yet joined its group and fetching');
          },
        },
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
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
