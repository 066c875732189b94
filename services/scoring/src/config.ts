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

export const scoringConfigSchema = z
  .object({
    PORT: port(4002),
    HOST: host(),
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: databaseSchema(),
    DATABASE_POOL_SIZE: databasePoolSize(10, { min: 4 }),
    KAFKA_BROKERS: kafkaBrokers(),
    TOPIC_NAMESPACE: topicNamespace(),
    LEAD_CONSUMER_GROUP: consumerGroup('scoring'),
    OUTCOMES_CONSUMER_GROUP: consumerGroup('scoring-outcomes'),
    /** How long after a scoring a lead whose engagement still decays is scored again. */
    RESCORE_INTERVAL_MINUTES: z.coerce.number().positive().max(10_080).default(60),
    /** How often each replica looks for leads due for a rescore. */
    RESCORE_TICK_SECONDS: z.coerce.number().positive().max(3_600).default(30),
    /** Leads claimed at once; a replica that dies holding a claim leaves it to the others after a few minutes. */
    RESCORE_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
    ...consumerTimingEnv(),
    LOG_LEVEL: logLevel(),
  })
  .superRefine(checkConsumerTiming);

export type ScoringConfig = z.output<typeof scoringConfigSchema>;
