import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createLogger, loadConfig, runService, stopInOrder } from '@l2o/service-kit';
import { buildApp } from './app.ts';
import { ingestionConfigSchema } from './config.ts';

const config = loadConfig(ingestionConfigSchema);
const logger = createLogger({ name: 'ingestion', level: config.LOG_LEVEL });

await runService({
  name: 'ingestion',
  logger,
  start: async () => {
    await migrateEventStore({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const store = createPostgresEventStore({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const app = await buildApp({
      store,
      logger,
      clock: () => new Date(),
      readiness: [{ name: 'postgresql', check: async () => void (await store.pool.query('SELECT 1')) }],
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            { name: 'http', stop: () => app.close() },
            { name: 'event store', stop: () => store.close() },
          ],
        }),
    };
  },
});
