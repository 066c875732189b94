import { z } from 'zod';
import { databaseSchema, databaseUrl, host, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

export const relayConfigSchema = z.object({
  PORT: port(4007),
  HOST: host(),
  DATABASE_URL: databaseUrl('postgres://postgres@127.0.0.1:5432/l2o'),
  DATABASE_SCHEMA: databaseSchema(),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix for every topic name, so several environments can share one cluster. */
  TOPIC_NAMESPACE: z.string().default(''),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  RELAY_IDLE_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(100),
  LOG_LEVEL: logLevel(),
});

export type RelayConfig = z.infer<typeof relayConfigSchema>;
