import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  consumerGroup,
  databasePoolSize,
  databaseSchema,
  databaseUrl,
  host,
  kafkaBrokers,
  logLevel,
  port,
  topicNamespace,
} from '@l2o/service-kit';

export const ingestionConfigSchema = z.object({
  PORT: port(4001),
  HOST: host(),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  /** Connections per replica; batch captures run 16 items at a time per request. */
  DATABASE_POOL_SIZE: databasePoolSize(20),
  KAFKA_BROKERS: kafkaBrokers(),
  TOPIC_NAMESPACE: topicNamespace(),
  INTAKE_CONSUMER_GROUP: consumerGroup('ingestion.intake'),
  /** Where CSV uploads wait for the import processor; every replica that processes imports must see it. */
  IMPORT_SPOOL_DIR: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../../../.data/imports', import.meta.url))),
  /** Largest CSV upload, in bytes. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 3),
  /** Rows of one import captured at once (each holds a pool connection while it runs). */
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  LOG_LEVEL: logLevel(),
});

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
