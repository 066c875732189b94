import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;
const kafkaNameError = { error: 'expected only letters, digits, ".", "_" or "-"' };

export const pipelineConfigSchema = z.object({
  PORT: port(4004),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  /** Connections per replica; a stage SLA tick holds one while its command uses another. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
  TOPIC_NAMESPACE: z.string().regex(kafkaName, kafkaNameError).default(''),
  OPPORTUNITY_CONSUMER_GROUP: z.string().min(1).regex(kafkaName, kafkaNameError).default('pipeline'),
  /** How often due stage SLA timers are fired. */
  STAGE_SLA_TICK_SECONDS: z.coerce.number().positive().max(3600).default(60),
  LOG_LEVEL: logLevel(),
});

export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
