import type { BaseOptions } from '@platformatic/kafka';

/** Retries of a failed connection or request before the call fails (as kafkajs's default). */
const defaultRetries = 5;

/**
 * What every `@platformatic/kafka` client of the bus is built with: brokers, client id, and retries
 * that back off from 300 ms, doubling up to 30 s, so a broker restart is ridden out rather than
 * hammered. `retries: 0` makes a call fail at the first error.
 */
export function clientOptions(options: {
  brokers: string[];
  clientId: string;
  retries?: number;
}): Pick<BaseOptions, 'bootstrapBrokers' | 'clientId' | 'retries' | 'retryDelay'> {
  return {
    bootstrapBrokers: options.brokers,
    clientId: options.clientId,
    retries: options.retries ?? defaultRetries,
    retryDelay: (_client, _operation, attempt) => Math.min(30_000, 300 * 2 ** Math.max(0, attempt - 1)),
  };
}
