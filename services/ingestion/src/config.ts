import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  checkConsumerTiming,
  consumerGroup,
  consumerTimingEnv,
  databasePoolSize,
  databaseSchema,
  databaseUrl,
  host,
  kafkaBrokers,
  logLevel,
  port,
  topicNamespace,
} from '@l2o/service-kit';

export const ingestionConfigSchema = z
  .object({
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
    /** Imports one replica works on at once, taken fairly across tenants. */
    IMPORT_PARALLEL_IMPORTS: z.coerce.number().int().min(1).max(32).default(4),
    /** Captures in flight within one import, each a chunk of IMPORT_CHUNK_ROWS rows holding pool connections. */
    IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** Rows captured together: one identity transaction and a few multi-stream appends per chunk. */
    IMPORT_CHUNK_ROWS: z.coerce.number().int().min(1).max(1000).default(100),
    /** Runs in a row failing for a reason outside the file (the database away) before an import is failed. */
    IMPORT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
    ...consumerTimingEnv(),
    LOG_LEVEL: logLevel(),
  })
  .superRefine(checkConsumerTiming);

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
