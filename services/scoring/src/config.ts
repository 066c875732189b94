import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;
const kafkaNameError = { error: 'expected only letters, digits, ".", "_" or "-"' };

export const scoringConfigSchema = z.object({
  PORT: port(4002),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(4).max(200).default(10),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
  TOPIC_NAMESPACE: z.string().regex(kafkaName, kafkaNameError).default(''),
  LEAD_CONSUMER_GROUP: z.string().min(1).regex(kafkaName, kafkaNameError).default('scoring'),
  OUTCOMES_CONSUMER_GROUP: z.string().min(1).regex(kafkaName, kafkaNameError).default('scoring-outcomes'),
  /** How long after a scoring a lead whose engagement still decays is scored again. */
  RESCORE_INTERVAL_MINUTES: z.coerce.number().positive().max(10_080).default(60),
  /** How often each replica looks for leads due for a rescore. */
  RESCORE_TICK_SECONDS: z.coerce.number().positive().max(3_600).default(30),
  /** Leads claimed at once; a replica that dies holding a claim leaves it to the others after a few minutes. */
  RESCORE_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
  LOG_LEVEL: logLevel(),
});

export type ScoringConfig = z.output<typeof scoringConfigSchema>;
