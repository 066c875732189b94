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

export const routingConfigSchema = z
  .object({
    PORT: port(4003),
    HOST: host(),
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: databaseSchema(),
    DATABASE_POOL_SIZE: databasePoolSize(10),
    KAFKA_BROKERS: kafkaBrokers(),
    TOPIC_NAMESPACE: topicNamespace(),
    LEAD_CONSUMER_GROUP: consumerGroup('routing'),
    /** How often due first-response timers are fired. */
    SLA_TICK_SECONDS: z.coerce.number().positive().max(3600).default(5),
    /** How often leads that found nobody eligible are tried again. */
    WAITING_RETRY_SECONDS: z.coerce.number().positive().max(86_400).default(60),
    /** A tenant that gets the demo team (reps, pools, rules, SLA) at start-up when it has no routing set up; `scripts/start` sets it. */
    DEMO_TENANT: z.string().min(1).max(64).optional(),
    ...consumerTimingEnv(),
    LOG_LEVEL: logLevel(),
  })
  .superRefine(checkConsumerTiming);

export type RoutingConfig = z.output<typeof routingConfigSchema>;
