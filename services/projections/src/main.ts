import { createPool } from '@l2o/pg';
import { createLogger, createMetrics, loadConfig, runService, startTelemetry, stopInOrder } from '@l2o/service-kit';
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
  start: async () => {
    await migrateProjections({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    await migrateTenancy({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      applicationName: 'l2o-projections',
    });
    const metrics = createMetrics({ serviceName: 'l2o-projections' });
    let consumerReady = false;
    const consumer = await startReadModelConsumer({
      brokers: config.KAFKA_BROKERS,
      topicNamespace: config.TOPIC_NAMESPACE,
      groupId: config.CONSUMER_GROUP,
      pool,
      readModels,
      logger,
      metrics,
      // Crash-only: a consumer kafkajs gave up on is not restarted in-process; the supervisor restarts us.
      onFatalError: (error) => {
        logger.fatal({ err: error }, 'read model consumer stopped for good');
        process.exit(1);
      },
    });
    consumer.ready.then(
      () => {
        consumerReady = true;
      },
      () => undefined,
    );

    const app = await buildApp({
      pool,
      logger,
      verifyApiKey: createApiKeyVerifier({ pool }),
      metrics,
      readiness: [
        { name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) },
        {
          name: 'read model consumer',
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
            { name: 'read model consumer', stop: () => consumer.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
