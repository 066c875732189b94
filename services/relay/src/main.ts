import { createPublisher, kafkaReadiness } from '@l2o/bus';
import {
  createPostgresEventStore,
  loadCheckpoint,
  migrateEventStore,
  saveCheckpoint,
  takeCheckpointRewind,
} from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import {
  createLogger,
  createMetrics,
  createPeriodicTask,
  loadConfig,
  runService,
  startTelemetry,
  stopInOrder,
} from '@l2o/service-kit';
import { buildApp } from './app.ts';
import { relayConfigSchema } from './config.ts';
import { acquireLeaderLock } from './leader-lock.ts';
import { settleLegacyCheckpoint } from './legacy-checkpoint.ts';
import { runRelay } from './relay.ts';
import { createRelayMetrics } from './relay-metrics.ts';
import { toOutgoingMessage } from './to-cloud-event.ts';

const CHECKPOINT = 'relay';
const config = loadConfig(relayConfigSchema);
const logger = createLogger({ name: 'relay', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-relay', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'relay',
  logger,
  start: async () => {
    await migrateEventStore({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      max: 4,
      applicationName: 'l2o-relay',
    });
    const store = createPostgresEventStore({
      pool,
      schema: config.DATABASE_SCHEMA,
      pollIntervalMs: config.RELAY_IDLE_POLL_MS,
    });
    const registry = createMetrics({ serviceName: 'l2o-relay' });
    const metrics = createRelayMetrics({ registry });
    const publisher = createPublisher({
      brokers: config.KAFKA_BROKERS,
      clientId: 'l2o-relay',
      logger,
      metrics: registry,
    });
    const stopping = new AbortController();
    let cursor = await loadCheckpoint(pool, CHECKPOINT);

    const app = await buildApp({
      logger,
      metrics: registry,
      readiness: [
        { name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) },
        kafkaReadiness({ brokers: config.KAFKA_BROKERS }),
      ],
    });
    await app.listen({ port: config.PORT, host: config.HOST });

    const lagSampler = createPeriodicTask({
      name: 'feed lag sample',
      intervalMs: 5_000,
      logger,
      tick: async () => {
        const lag = await store.feedLag(cursor);
        metrics.feedLag.set({ state: 'readable' }, lag.readable);
        metrics.feedLag.set({ state: 'held_back' }, lag.heldBack);
        return 0;
      },
    });
    lagSampler.start();

    const relaying = (async () => {
      const lock = await acquireLeaderLock({
        connectionString: config.DATABASE_URL,
        schema: config.DATABASE_SCHEMA,
        signal: stopping.signal,
        onWaiting: () => logger.info('another relay is publishing; waiting as a standby'),
      });
      if (!lock) return;
      metrics.leader.set(1);
      logger.info('relay lock acquired; publishing the event store feed');
      try {
        await settleLegacyCheckpoint({ db: pool, name: CHECKPOINT, logger });
        await publisher.connect();
        await Promise.race([
          lock.lost,
          runRelay({
            subscribe: (subscription) => store.subscribeToFeed(subscription),
            loadCursor: () => loadCheckpoint(pool, CHECKPOINT),
            takeRewind: () => takeCheckpointRewind(pool, CHECKPOINT),
            saveCursor: async (next) => {
              await saveCheckpoint(pool, CHECKPOINT, next);
              cursor = next;
            },
            publish: (topic, messages) => publisher.publish(topic, messages),
            toMessage: (event) => toOutgoingMessage(event, { topicNamespace: config.TOPIC_NAMESPACE }),
            batchSize: config.RELAY_BATCH_SIZE,
            signal: stopping.signal,
            onProgress: (progress) => {
              metrics.published.inc(progress.lastBatch);
              logger.debug(progress, 'published');
            },
          }),
        ]);
      } finally {
        metrics.leader.set(0);
        await lock.release();
      }
    })();
    // Crash-only: a relay that cannot publish exits, and the supervisor or a standby takes over.
    relaying.catch((error: unknown) => {
      logger.fatal({ err: error }, 'relay stopped publishing');
      process.exit(1);
    });

    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            {
              name: 'relay loop',
              stop: async () => {
                stopping.abort();
                await relaying.catch(() => undefined);
              },
            },
            { name: 'http', stop: () => app.close() },
            { name: 'kafka', stop: () => publisher.disconnect() },
            {
              name: 'postgresql',
              stop: async () => {
                // After the running sample, so it does not query a closed pool.
                await lagSampler.stop();
                await pool.end();
              },
            },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
