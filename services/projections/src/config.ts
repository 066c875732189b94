import { z } from 'zod';
import {
  checkConsumerTiming,
  consumerTimingEnv,
  databaseSchema,
  databaseUrl,
  kafkaBrokers,
  logLevel,
  port,
} from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;

export const projectionsConfigSchema = z
  .object({
    PORT: port(4006),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: databaseSchema(),
    KAFKA_BROKERS: kafkaBrokers(),
    /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
    TOPIC_NAMESPACE: z
      .string()
      .regex(kafkaName, { error: 'expected only letters, digits, ".", "_" or "-"' })
      .default(''),
    CONSUMER_GROUP: z
      .string()
      .min(1)
      .regex(kafkaName, { error: 'expected only letters, digits, ".", "_" or "-"' })
      .default('projections.leads'),
    ...consumerTimingEnv(),
    LOG_LEVEL: logLevel(),
  })
  .superRefine(checkConsumerTiming);

export type ProjectionsConfig = z.output<typeof projectionsConfigSchema>;
