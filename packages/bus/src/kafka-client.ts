import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, LogEntry } from 'kafkajs';
import type { BusLogger } from './logger.ts';

const { Kafka, logLevel } = kafkajs;

/**
 * A kafkajs client whose own log lines (WARN and above) go to our logger instead of the console.
 * `retries` bounds the retries of connections and requests (kafkajs's default otherwise).
 */
export function createKafkaClient(options: {
  brokers: string[];
  clientId: string;
  logger: BusLogger;
  retries?: number;
}): KafkaClient {
  const { logger } = options;
  return new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, timestamp: _timestamp, ...fields } = entry.log;
      const obj = { component: 'kafkajs', namespace: entry.namespace, ...fields };
      if (entry.level === logLevel.ERROR) logger.error(obj, message);
      else if (entry.level === logLevel.WARN) logger.warn(obj, message);
      else logger.debug(obj, message);
    },
  });
}
