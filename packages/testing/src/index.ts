export { freshSchema, testDatabaseUrl } from './fresh-schema.ts';
export { waitFor } from './wait-for.ts';
export { kafkaBrokers, uniqueSuffix } from './kafka.ts';
