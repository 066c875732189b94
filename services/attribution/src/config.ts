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

export const attributionServiceConfigSchema = z
  .object({
    PORT: port(4005),
    HOST: host(),
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: databaseSchema(),
    DATABASE_POOL_SIZE: databasePoolSize(10),
    KAFKA_BROKERS: kafkaBrokers(),
    TOPIC_NAMESPACE: topicNamespace(),
    /** One group reads both l2o.lead.v1 and l2o.opportunity.v1. */
    CONSUMER_GROUP: consumerGroup('attribution'),
    /** How often each tenant's Markov and Shapley weights are learned again from all journeys. */
    DATA_DRIVEN_RECOMPUTE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
    ...consumerTimingEnv(),
    LOG_LEVEL: logLevel(),
  })
  .superRefine(checkConsumerTiming);

export type AttributionServiceConfig = z.output<typeof attributionServiceConfigSchema>;
