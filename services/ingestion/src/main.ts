import { consumerReadiness, kafkaReadiness, startInBackground } from '@l2o/bus';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import {
  consumerTimingOf,
  createLogger,
  createMetrics,
  createPeriodicTask,
  exitOnFatalError,
  loadConfig,
  runService,
  startTelemetry,
  stopInOrder,
} from '@l2o/service-kit';
import { createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from './app.ts';
import { createLeadCapturer } from './capture/create-lead-capturer.ts';
import { purgeExpiredIdempotencyKeys } from './capture-lead/idempotency-keys.ts';
import { ingestionConfigSchema } from './config.ts';
import { createImportProcessor } from './imports/import-processor.ts';
import { startIntakeConsumer } from './intake/intake-consumer.ts';
import { migrateIngestion } from './migrate-ingestion.ts';
import { createIngestionSettingsRepository } from './settings/ingestion-settings.repository.ts';

const config = loadConfig(ingestionConfigSchema);
const logger = createLogger({ name: 'ingestion', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-ingestion', serviceVersion: '0.1.0', env: process.env, logger });

const purgeIntervalMs = 60 * 60 * 1000;

await runService({
  name: 'ingestion',
  logger,
  // A stop during a group join waits for the join (up to a session timeout) before leaving the group.
  shutdownTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS + 10_000,
  start: async () => {
    await migrateModules({
      databaseUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      modules: [migrateEventStore, migrateTenancy, migrateIngestion],
    });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      max: config.DATABASE_POOL_SIZE,
      applicationName: 'l2o-ingestion',
    });
    const store = createPostgresEventStore({ pool, schema: config.DATABASE_SCHEMA });
    const clock = () => new Date();
    const metrics = createMetrics({ serviceName: 'l2o-ingestion' });
    const settings = createIngestionSettingsRepository({ pool });
    // One capturer for every channel, so this process's captures of one lead queue instead of conflicting.
    const capturer = createLeadCapturer({ pool, store, clock, logger, settings });
    // Joined in the background: the API serves while the group rebalances, and the consumer catches up behind.
    const intake = startInBackground({
      name: 'intake consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'intake consumer' }),
      start: (onFatalError) =>
        startIntakeConsumer({
          brokers: config.KAFKA_BROKERS,
          topicNamespace: config.TOPIC_NAMESPACE,
          groupId: config.INTAKE_CONSUMER_GROUP,
          timing: consumerTimingOf(config),
          capturer,
          logger,
          metrics,
          onFatalError,
        }),
    });
    const app = await buildApp({
      pool,
      store,
      logger,
      clock,
      settings,
      capturer,
      metrics,
      importSpoolDir: config.IMPORT_SPOOL_DIR,
      importMaxBytes: config.IMPORT_MAX_BYTES,
      verifyApiKey: createApiKeyVerifier({ pool }),
      readiness: [
        { name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) },
        kafkaReadiness({ brokers: config.KAFKA_BROKERS }),
        consumerReadiness(intake),
      ],
    });
    const purge = createPeriodicTask({
      name: 'idempotency key purge',
      intervalMs: purgeIntervalMs,
      logger,
      tick: () => purgeExpiredIdempotencyKeys({ pool, now: clock() }),
    });
    purge.start();
    const importProcessor = createImportProcessor({
      pool,
      capturer,
      logger,
      parallelImports: config.IMPORT_PARALLEL_IMPORTS,
      concurrency: config.IMPORT_CONCURRENCY,
      chunkRows: config.IMPORT_CHUNK_ROWS,
      maxAttempts: config.IMPORT_MAX_ATTEMPTS,
    });
    importProcessor.start();
    await app.listen({ port: config.PORT, host: config.HOST });
    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            { name: 'idempotency key purge', stop: () => purge.stop() },
            { name: 'http', stop: () => app.close() },
            { name: 'import processor', stop: () => importProcessor.stop() },
            { name: 'intake consumer', stop: () => intake.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
