import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './env-schemas.ts';

export type { Logger } from 'pino';

/**
 * A JSON logger to stdout (or `destination`), one line per entry, with the service name,
 * an ISO timestamp and the level as a word so log pipelines need no pino-specific mapping.
 */
export function createLogger(options: { name: string; level?: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
    },
    options.destination,
  );
}
