/**
 * What every L2O service shares: configuration from the environment, the Fastify app
 * (OpenAPI, health, readiness, auth, error format, request tracing), logging, OpenTelemetry
 * set-up, Prometheus metrics and graceful shutdown.
 * @packageDocumentation
 */
export { loadConfig, ConfigError } from './load-config.ts';
export type { ConfigIssue } from './load-config.ts';
export {
  port,
  host,
  databaseUrl,
  databaseSchema,
  databasePoolSize,
  kafkaBrokers,
  topicNamespace,
  consumerGroup,
  consumerTimingEnv,
  checkConsumerTiming,
  consumerTimingOf,
  logLevel,
  logLevels,
} from './env-schemas.ts';
export type { LogLevel } from './env-schemas.ts';
export { createLogger } from './create-logger.ts';
export type { Logger } from './create-logger.ts';
export { createMetrics } from './create-metrics.ts';
export type { MetricsRegistry } from './create-metrics.ts';
export { buildServer } from './build-server.ts';
export type { BuildServerOptions, ServiceServer } from './build-server.ts';
export type { ReadinessCheck } from './health.routes.ts';
export { tenantOf } from './api-key-auth.ts';
export type { ApiScope, AuthOptions, Principal } from './api-key-auth.ts';
export { HttpError, errorCodes, errorResponseSchema } from './http-error.ts';
export { fieldErrorOf } from './field-error.ts';
export type { FieldError, IssueLike } from './field-error.ts';
export type { ErrorCode, ErrorResponse } from './http-error.ts';
export { requestContext } from './request-tracing.ts';
export { startTelemetry, currentTraceparent } from './telemetry.ts';
export type { Telemetry, TelemetryOptions } from './telemetry.ts';
export { runService, stopInOrder, exitOnFatalError } from './run-service.ts';
export { createPeriodicTask } from './periodic-task.ts';
export type { PeriodicTask } from './periodic-task.ts';
export type { RunningService, RunServiceOptions } from './run-service.ts';
export type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
