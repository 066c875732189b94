import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;
const kafkaNameError = { error: 'expected only letters, digits, ".", "_" or "-"' };

export const attributionServiceConfigSchema = z.object({
  PORT: port(4005),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
  TOPIC_NAMESPACE: z.string().regex(kafkaName, kafkaNameError).default(''),
  /** One group reads both l2o.lead.v1 and l2o.opportunity.v1. */
  CONSUMER_GROUP: z.string().min(1).regex(kafkaName, kafkaNameError).default('attribution'),
  /** How often each tenant's Markov and Shapley weights are learned again from all journeys. */
  DATA_DRIVEN_RECOMPUTE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  LOG_LEVEL: logLevel(),
});

export type AttributionServiceConfig = z.output<typeof attributionServiceConfigSchema>;
