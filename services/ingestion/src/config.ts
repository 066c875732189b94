import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;
const kafkaNameError = { error: 'expected only letters, digits, ".", "_" or "-"' };

export const ingestionConfigSchema = z.object({
  PORT: port(4001),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  /** Connections per replica; batch captures run 16 items at a time per request. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
  TOPIC_NAMESPACE: z.string().regex(kafkaName, kafkaNameError).default(''),
  INTAKE_CONSUMER_GROUP: z.string().min(1).regex(kafkaName, kafkaNameError).default('ingestion.intake'),
  LOG_LEVEL: logLevel(),
});

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
