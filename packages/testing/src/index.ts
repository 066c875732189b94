export { freshSchema, testDatabaseUrl } from './fresh-schema.ts';
export { runSqlMigrationsThrough } from './earlier-migrations.ts';
export { waitFor } from './wait-for.ts';
export { kafkaBrokers, uniqueSuffix } from './kafka.ts';
export { freePorts } from './free-port.ts';
export { spawnService, withServiceOutput, type ServiceProcess } from './spawn-service.ts';
export { expectFieldError, type ExpectedFieldError } from './expect-field-error.ts';
export {
  requestWithApiKey,
  type ApiKeyRequest,
  type InjectableApp,
  type TestResponse,
} from './request-with-api-key.ts';
export {
  advanceTransactionIdsPast,
  idsAroundBoundaries,
  spreadTransactionIdsAcrossDigits,
  transactionIdDigitBoundaries,
} from './transaction-ids.ts';
