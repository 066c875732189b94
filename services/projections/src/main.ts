import { consumerReadiness, kafkaReadiness, startInBackground } from '@l2o/bus';
import { createPool } from '@l2o/pg';
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
import { createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from './app.ts';
import { projectionsConfigSchema } from './config.ts';
import { migrateProjections } from './migrations.ts';
import { startReadModelConsumer } from './read-model/read-model-consumer.ts';
import { readModels } from './read-models.ts';

const config = loadConfig(projectionsConfigSchema);
const logger = createLogger({ name: 'projections', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-projections', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'projections',
  logger,
  // A stop during a group join waits for the join (up to a session timeout) before leaving the group.
  shutdownTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS + 10_000,
  start: async () => {
    await migrateProjections({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    await migrateTenancy({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      applicationName: 'l2o-projections',
    });
    const metrics = createMetrics({ serviceName: 'l2o-projections' });
    // Joined in the background: the query API serves while the group rebalances, and the read models catch up behind.
    const consumer = startInBackground({
      name: 'read model consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'read model consumer' }),
      start: (onFatalError) =>
        startReadModelConsumer({
          brokers: config.KAFKA_BROKERS,
          topicNamespace: config.TOPIC_NAMESPACE,
          groupId: config.CONSUMER_GROUP,
          timing: consumerTimingOf(config),
          pool,
          readModels,
          logger,
          metrics,
          onFatalError,
        }),
    });

    const app = await buildApp({
      pool,
      logger,
      verifyApiKey: createApiKeyVerifier({ pool }),
      metrics,
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
            { name: 'read model consumer', stop: () => consumer.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
