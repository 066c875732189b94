import { z } from 'zod';
import { databaseSchema, databaseUrl, logLevel, port } from '@l2o/service-kit';

export const ingestionConfigSchema = z.object({
  PORT: port(4001),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  LOG_LEVEL: logLevel(),
});

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
