import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;

export const projectionsConfigSchema = z.object({
  PORT: port(4006),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
  TOPIC_NAMESPACE: z.string().regex(kafkaName, { error: 'expected only letters, digits, ".", "_" or "-"' }).default(''),
  CONSUMER_GROUP: z
    .string()
    .min(1)
    .regex(kafkaName, { error: 'expected only letters, digits, ".", "_" or "-"' })
    .default('projections.leads'),
  LOG_LEVEL: logLevel(),
});

export type ProjectionsConfig = z.output<typeof projectionsConfigSchema>;
