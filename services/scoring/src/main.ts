import { consumerReadiness } from '@l2o/bus';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import {
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
import { scoringConfigSchema } from './config.ts';
import { startLeadEventsConsumer } from './lead-events/lead-events-consumer.ts';
import { migrateScoring } from './migrate-scoring.ts';
import { startOutcomesConsumer } from './outcomes/outcomes-consumer.ts';
import { createScoringMetrics } from './prometheus-scoring-metrics.ts';
import { createRescoreScheduler, startRescoreLoop } from './rescore/rescore-scheduler.ts';

const config = loadConfig(scoringConfigSchema);
const logger = createLogger({ name: 'scoring', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-scoring', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'scoring',
  logger,
  start: async () => {
    await migrateModules({
      databaseUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      modules: [migrateEventStore, migrateTenancy, migrateScoring],
    });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      max: config.DATABASE_POOL_SIZE,
      applicationName: 'l2o-scoring',
    });
    const store = createPostgresEventStore({ pool, schema: config.DATABASE_SCHEMA });
    const clock = () => new Date();
    const metrics = createMetrics({ serviceName: 'l2o-scoring' });
    const scoringMetrics = createScoringMetrics({ registry: metrics });
    const rescoreIntervalMs = config.RESCORE_INTERVAL_MINUTES * 60_000;
    const leadEvents = await startLeadEventsConsumer({
      brokers: config.KAFKA_BROKERS,
      topicNamespace: config.TOPIC_NAMESPACE,
      groupId: config.LEAD_CONSUMER_GROUP,
      pool,
      store,
      clock,
      rescoreIntervalMs,
      scoringMetrics,
      logger,
      metrics,
      onFatalError: exitOnFatalError({ logger, part: 'lead events consumer' }),
    });
    const outcomes = await startOutcomesConsumer({
      brokers: config.KAFKA_BROKERS,
      topicNamespace: config.TOPIC_NAMESPACE,
      groupId: config.OUTCOMES_CONSUMER_GROUP,
      pool,
      clock,
      logger,
      metrics,
      onFatalError: exitOnFatalError({ logger, part: 'outcomes consumer' }),
    });
    const rescoreLoop = startRescoreLoop({
      scheduler: createRescoreScheduler({
        pool,
        store,
        clock,
        rescoreIntervalMs,
        batchSize: config.RESCORE_BATCH_SIZE,
        metrics: scoringMetrics,
        logger,
      }),
      tickMs: config.RESCORE_TICK_SECONDS * 1000,
      logger,
    });
    const app = await buildApp({
      pool,
      logger,
      clock,
      metrics,
      verifyApiKey: createApiKeyVerifier({ pool }),
      readiness: [
        { name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) },
        consumerReadiness('lead events consumer', leadEvents),
        consumerReadiness('outcomes consumer', outcomes),
      ],
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            { name: 'http', stop: () => app.close() },
            { name: 'rescore scheduler', stop: () => rescoreLoop.stop() },
            { name: 'lead events consumer', stop: () => leadEvents.stop() },
            { name: 'outcomes consumer', stop: () => outcomes.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
