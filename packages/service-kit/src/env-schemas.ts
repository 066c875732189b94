import { z } from 'zod';

/** Log levels a service accepts in `LOG_LEVEL`. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** A whole number from `min` to `max` read from the env's text, refused with one message whatever is wrong. */
function wholeNumber(options: { min: number; max: number; defaultValue: number; message: string }) {
  const error = { error: options.message };
  return z.coerce
    .number(error)
    .int(error)
    .min(options.min, error)
    .max(options.max, error)
    .default(options.defaultValue);
}

/** A TCP port, e.g. `PORT: port(4001)`. */
export function port(defaultPort: number) {
  return wholeNumber({
    min: 1,
    max: 65535,
    defaultValue: defaultPort,
    message: 'expected a number between 1 and 65535',
  });
}

/** The interface a service listens on, e.g. `HOST: host()`; loopback unless set. */
export function host(defaultHost = '127.0.0.1') {
  return z.string().min(1).default(defaultHost);
}

/** A PostgreSQL connection URL, e.g. `DATABASE_URL: databaseUrl()`. */
export function databaseUrl(defaultUrl = 'postgres://postgres@127.0.0.1:5432/l2o') {
  return z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// URL' }).default(defaultUrl);
}

/** The PostgreSQL schema a service keeps its tables in, e.g. `DATABASE_SCHEMA: databaseSchema()`. */
export function databaseSchema(defaultSchema = 'l2o') {
  return z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'expected a lower-case SQL identifier of at most 63 characters' })
    .default(defaultSchema);
}

/**
 * Connections in a service's PostgreSQL pool per replica, e.g. `DATABASE_POOL_SIZE: databasePoolSize(20)`;
 * `min` is what the service needs at the least (work that holds one connection while it uses another).
 */
export function databasePoolSize(defaultSize = 10, options: { min?: number } = {}) {
  return z.coerce
    .number()
    .int()
    .min(options.min ?? 2)
    .max(200)
    .default(defaultSize);
}

// Kafka's topic name characters; group ids keep to them too, as they end dead-letter topic names.
const kafkaName = /^[a-zA-Z0-9._-]*$/;
const kafkaNameError = { error: 'expected only letters, digits, ".", "_" or "-"' };

/** Prefix of every topic name, so several environments can share one cluster; empty (the default) in production. */
export function topicNamespace() {
  return z.string().regex(kafkaName, kafkaNameError).default('');
}

/** A Kafka consumer group id, e.g. `LEAD_CONSUMER_GROUP: consumerGroup('routing')`. */
export function consumerGroup(defaultGroup: string) {
  return z.string().min(1).regex(kafkaName, kafkaNameError).default(defaultGroup);
}

const brokersMessage = 'expected a comma-separated list of host:port';
const brokerList = z
  .array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, { error: brokersMessage }))
  .min(1, { error: brokersMessage });

/** Kafka bootstrap brokers as a comma-separated `host:port` list, parsed to an array. */
export function kafkaBrokers(defaultBrokers = '127.0.0.1:9092') {
  return z
    .string()
    .prefault(defaultBrokers)
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker !== ''),
    )
    .pipe(brokerList);
}

/** A pino log level, e.g. `LOG_LEVEL: logLevel()`. */
export function logLevel(defaultLevel: LogLevel = 'info') {
  return z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default(defaultLevel);
}

/**
 * The consumer group timings of a service, spread into its schema (`...consumerTimingEnv()`) together
 * with `.superRefine(checkConsumerTiming)`. Defaults and why: docs/design/consumer-recovery.md.
 */
export function consumerTimingEnv() {
  return {
    /**
     * The broker drops a member it has not heard from for this long; a member restarted after a crash
     * gets its partitions back only then. A process stalled for longer loses its partitions to a rebalance.
     */
    KAFKA_SESSION_TIMEOUT_MS: wholeNumber({
      min: 6_000,
      max: 300_000,
      defaultValue: 10_000,
      message: 'expected whole milliseconds from 6000 (the broker default group.min.session.timeout.ms) to 300000',
    }),
    /** How often a member heartbeats; at most a third of the session timeout. */
    KAFKA_HEARTBEAT_INTERVAL_MS: wholeNumber({
      min: 100,
      max: 100_000,
      defaultValue: 3_000,
      message: 'expected whole milliseconds from 100 to 100000',
    }),
  };
}

type ConsumerTimingConfig = { KAFKA_SESSION_TIMEOUT_MS: number; KAFKA_HEARTBEAT_INTERVAL_MS: number };

/** Refuses a heartbeat interval above a third of the session timeout: two lost heartbeats must not drop a member. */
export function checkConsumerTiming(config: ConsumerTimingConfig, context: z.RefinementCtx): void {
  if (config.KAFKA_HEARTBEAT_INTERVAL_MS * 3 <= config.KAFKA_SESSION_TIMEOUT_MS) return;
  context.addIssue({
    code: 'custom',
    path: ['KAFKA_HEARTBEAT_INTERVAL_MS'],
    message: `expected at most a third of KAFKA_SESSION_TIMEOUT_MS (${config.KAFKA_SESSION_TIMEOUT_MS} ms)`,
  });
}

/** The bus's consumer timing (`ConsumerTiming`) from a config holding {@link consumerTimingEnv}. */
export function consumerTimingOf(config: ConsumerTimingConfig): {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
} {
  return { sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS };
}
