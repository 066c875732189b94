import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from '@l2o/service-kit';

const kafkaName = /^[a-zA-Z0-9._-]*$/;
const kafkaNameError = { error: 'expected only letters, digits, ".", "_" or "-"' };

export const routingConfigSchema = z.object({
  PORT: port(4003),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Prefix of every topic name, so several environments can share one cluster; empty in production. */
  TOPIC_NAMESPACE: z.string().regex(kafkaName, kafkaNameError).default(''),
  LEAD_CONSUMER_GROUP: z.string().min(1).regex(kafkaName, kafkaNameError).default('routing'),
  /** How often due first-response timers are fired. */
  SLA_TICK_SECONDS: z.coerce.number().positive().max(3600).default(5),
  /** How often leads that found nobody eligible are tried again. */
  WAITING_RETRY_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  /** A tenant that gets the demo team (reps, pools, rules, SLA) at start-up when it has no routing set up; `scripts/start` sets it. */
  DEMO_TENANT: z.string().min(1).max(64).optional(),
  LOG_LEVEL: logLevel(),
});

export type RoutingConfig = z.output<typeof routingConfigSchema>;
