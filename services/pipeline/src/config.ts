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

export const pipelineConfigSchema = z
  .object({
    PORT: port(4004),
    HOST: host(),
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: databaseSchema(),
    /** Connections per replica: the API, the consumer's partitions side by side, the stage SLA poller. */
    DATABASE_POOL_SIZE: databasePoolSize(10),
    KAFKA_BROKERS: kafkaBrokers(),
    TOPIC_NAMESPACE: topicNamespace(),
    OPPORTUNITY_CONSUMER_GROUP: consumerGroup('pipeline'),
    /** How often due stage SLA timers are fired. */
    STAGE_SLA_TICK_SECONDS: z.coerce.number().positive().max(3600).default(60),
    ...consumerTimingEnv(),
    LOG_LEVEL: logLevel(),
  })
  .superRefine(checkConsumerTiming);

export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
