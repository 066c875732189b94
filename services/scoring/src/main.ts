import { consumerReadiness, kafkaReadiness, startInBackground } from '@l2o/bus';
import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool, migrateModules } from '@l2o/pg';
import {
  consumerTimingOf,
  createLogger,
  createPeriodicTask,
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
import { scoringConfigSchema } from './config.ts';
import { createLeadEventsConsumer, startLeadEventsConsumer } from './lead-events/lead-events-consumer.ts';
import { migrateScoring } from './migrate-scoring.ts';
import { learnPendingOutcomes } from './outcomes/learn-outcomes.ts';
import { createOutcomesConsumer, startOutcomesConsumer } from './outcomes/outcomes-consumer.ts';
import { createScoringMetrics } from './prometheus-scoring-metrics.ts';
import { createRescoreTask } from './rescore/rescore-scheduler.ts';

const config = loadConfig(scoringConfigSchema);
const logger = createLogger({ name: 'scoring', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-scoring', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'scoring',
  logger,
  // A stop during a group join waits for the join (up to a session timeout) before leaving the group.
  shutdownTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS + 10_000,
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
    const connection = {
      brokers: config.KAFKA_BROKERS,
      topicNamespace: config.TOPIC_NAMESPACE,
      timing: consumerTimingOf(config),
      logger,
      metrics,
    };
    const leadEventsConsumer = createLeadEventsConsumer({
      pool,
      store,
      clock,
      rescoreIntervalMs,
      metrics: scoringMetrics,
      logger,
    });
    // Joined in the background: the API serves while the groups rebalance, and the consumers catch up behind.
    const leadEvents = startInBackground({
      name: 'lead events consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'lead events consumer' }),
      start: (onFatalError) =>
        startLeadEventsConsumer({
          ...connection,
          groupId: config.LEAD_CONSUMER_GROUP,
          consumer: leadEventsConsumer,
          onFatalError,
        }),
    });
    const outcomes = startInBackground({
      name: 'outcomes consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'outcomes consumer' }),
      start: (onFatalError) =>
        startOutcomesConsumer({
          ...connection,
          groupId: config.OUTCOMES_CONSUMER_GROUP,
          consumer: createOutcomesConsumer({ pool, store, clock, logger }),
          onFatalError,
        }),
    });
    const tickMs = config.RESCORE_TICK_SECONDS * 1000;
    const tasks = [
      createRescoreTask({
        pool,
        store,
        clock,
        rescoreIntervalMs,
        batchSize: config.RESCORE_BATCH_SIZE,
        metrics: scoringMetrics,
        intervalMs: tickMs,
        logger,
      }),
      // Outcomes that closed before scoring saw their lead (both topics replayed from the start).
      createPeriodicTask({
        name: 'learn pending outcomes',
        intervalMs: tickMs,
        logger,
        tick: () => learnPendingOutcomes({ pool, now: clock() }),
      }),
      // Scores a batch committed but could not send (a crash, the store unreachable) go out again.
      createOutboxSweepTask({ name: 'score outbox sweep', handlers: leadEventsConsumer, logger }),
    ];
    for (const task of tasks) task.start();
    const app = await buildApp({
      pool,
      logger,
      clock,
      metrics,
      verifyApiKey: createApiKeyVerifier({ pool }),
      readiness: [
        { name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) },
        kafkaReadiness({ brokers: config.KAFKA_BROKERS }),
        consumerReadiness(leadEvents),
        consumerReadiness(outcomes),
      ],
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            { name: 'http', stop: () => app.close() },
            { name: 'periodic tasks', stop: async () => void (await Promise.all(tasks.map((task) => task.stop()))) },
            { name: 'lead events consumer', stop: () => leadEvents.stop() },
            { name: 'outcomes consumer', stop: () => outcomes.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
