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
import { createWaitingRetryTask } from './assign/retry-waiting-leads.ts';
import { routingConfigSchema } from './config.ts';
import { createLeadEventConsumer, startLeadEventConsumer } from './lead-events/lead-event-consumer.ts';
import { installDemoRouting } from './demo/demo-routing.ts';
import { migrateRouting } from './migrate-routing.ts';
import { createSlaTimerTask } from './sla-timers/fire-due-sla-timers.ts';

const config = loadConfig(routingConfigSchema);
const logger = createLogger({ name: 'routing', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-routing', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'routing',
  logger,
  // A stop during a group join waits for the join (up to a session timeout) before leaving the group.
  shutdownTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS + 10_000,
  start: async () => {
    await migrateModules({
      databaseUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      modules: [migrateEventStore, migrateTenancy, migrateRouting],
    });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      max: config.DATABASE_POOL_SIZE,
      applicationName: 'l2o-routing',
    });
    const store = createPostgresEventStore({ pool, schema: config.DATABASE_SCHEMA });
    const clock = () => new Date();
    if (config.DEMO_TENANT !== undefined) {
      const outcome = await installDemoRouting({ pool, tenantId: config.DEMO_TENANT, now: clock() });
      logger.info({ tenantId: config.DEMO_TENANT, outcome }, 'demo routing set-up');
    }
    const metrics = createMetrics({ serviceName: 'l2o-routing' });
    const waitingRetryMs = config.WAITING_RETRY_SECONDS * 1000;
    const handlers = createLeadEventConsumer({ pool, store, clock, logger, waitingRetryMs });
    // Joined in the background: the API serves while the group rebalances, and the consumer catches up behind.
    const consumer = startInBackground({
      name: 'lead consumer',
      logger,
      onFatalError: exitOnFatalError({ logger, part: 'lead consumer' }),
      start: (onFatalError) =>
        startLeadEventConsumer({
          handlers,
          brokers: config.KAFKA_BROKERS,
          topicNamespace: config.TOPIC_NAMESPACE,
          groupId: config.LEAD_CONSUMER_GROUP,
          logger,
          timing: consumerTimingOf(config),
          metrics,
          onFatalError,
        }),
    });
    const tasks = [
      createSlaTimerTask({ handlers, clock, logger, intervalMs: config.SLA_TICK_SECONDS * 1000 }),
      createWaitingRetryTask({ handlers, clock, logger, waitingRetryMs, intervalMs: waitingRetryMs }),
      // Lead commands (of batches, timers and retries) whose send after the commit failed or was cut short by a stop.
      createOutboxSweepTask({ name: 'lead command outbox', handlers, logger, intervalMs: 5_000 }),
    ];
    for (const task of tasks) task.start();

    const app = await buildApp({
      pool,
      store,
      logger,
      clock,
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
            {
              name: 'timers, retries and outbox sweep',
              stop: async () => void (await Promise.all(tasks.map((task) => task.stop()))),
            },
            { name: 'lead consumer', stop: () => consumer.stop() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
