import { createPostgresEventStore, migrateEventStore } from '@l2o/event-store';
import { createPool } from '@l2o/pg';
import { createLogger, loadConfig, runService, startTelemetry, stopInOrder } from '@l2o/service-kit';
import { createApiKeyVerifier, migrateTenancy } from '@l2o/tenancy';
import { buildApp } from './app.ts';
import { ingestionConfigSchema } from './config.ts';

const config = loadConfig(ingestionConfigSchema);
const logger = createLogger({ name: 'ingestion', level: config.LOG_LEVEL });
const telemetry = startTelemetry({ serviceName: 'l2o-ingestion', serviceVersion: '0.1.0', env: process.env, logger });

await runService({
  name: 'ingestion',
  logger,
  start: async () => {
    await migrateEventStore({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    await migrateTenancy({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const pool = createPool({
      connectionString: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      applicationName: 'l2o-ingestion',
    });
    const store = createPostgresEventStore({ pool, schema: config.DATABASE_SCHEMA });
    const app = await buildApp({
      store,
      logger,
      clock: () => new Date(),
      verifyApiKey: createApiKeyVerifier({ pool }),
      readiness: [{ name: 'postgresql', check: async () => void (await pool.query('SELECT 1')) }],
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    return {
      stop: () =>
        stopInOrder({
          logger,
          steps: [
            { name: 'http', stop: () => app.close() },
            { name: 'postgresql', stop: () => pool.end() },
            { name: 'telemetry', stop: () => telemetry.shutdown() },
          ],
        }),
    };
  },
});
