import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkConsumerTiming,
  consumerGroup,
  consumerTimingEnv,
  consumerTimingOf,
  databasePoolSize,
  host,
  topicNamespace,
} from './env-schemas.ts';
import { ConfigError, loadConfig } from './load-config.ts';

const schema = z.object({
  HOST: host(),
  DATABASE_POOL_SIZE: databasePoolSize(20, { min: 4 }),
  TOPIC_NAMESPACE: topicNamespace(),
  LEAD_CONSUMER_GROUP: consumerGroup('routing'),
});

function messageOf(env: Record<string, string>): string {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('service env pieces', () => {
  it('default to loopback, the given pool size, no namespace and the given group', () => {
    expect(loadConfig(schema, {})).toEqual({
      HOST: '127.0.0.1',
      DATABASE_POOL_SIZE: 20,
      TOPIC_NAMESPACE: '',
      LEAD_CONSUMER_GROUP: 'routing',
    });
  });

  it('take the values they are given', () => {
    const config = loadConfig(schema, {
      HOST: '0.0.0.0',
      DATABASE_POOL_SIZE: '32',
      TOPIC_NAMESPACE: 'staging.eu',
      LEAD_CONSUMER_GROUP: 'routing-blue',
    });
    expect(config).toEqual({
      HOST: '0.0.0.0',
      DATABASE_POOL_SIZE: 32,
      TOPIC_NAMESPACE: 'staging.eu',
      LEAD_CONSUMER_GROUP: 'routing-blue',
    });
  });

  it('refuse a pool below the minimum the service needs', () => {
    expect(messageOf({ DATABASE_POOL_SIZE: '3' })).toMatch(/^invalid configuration: DATABASE_POOL_SIZE: .*>=4/);
  });

  it('refuse characters Kafka does not allow in names', () => {
    const message = messageOf({ TOPIC_NAMESPACE: 'staging/eu', LEAD_CONSUMER_GROUP: 'routing blue' });
    expect(message).toContain('TOPIC_NAMESPACE: expected only letters, digits, ".", "_" or "-" (got "staging/eu")');
    expect(message).toContain(
      'LEAD_CONSUMER_GROUP: expected only letters, digits, ".", "_" or "-" (got "routing blue")',
    );
  });
});

describe('consumer timing env', () => {
  const timingSchema = z.object({ ...consumerTimingEnv() }).superRefine(checkConsumerTiming);

  it('defaults to a 10 s session and a 3 s heartbeat, in the bus’s terms', () => {
    expect(consumerTimingOf(loadConfig(timingSchema, {}))).toEqual({
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 3_000,
    });
  });

  it('refuses a session timeout the broker would refuse', () => {
    expect(() => loadConfig(timingSchema, { KAFKA_SESSION_TIMEOUT_MS: '5000' })).toThrow(
      /KAFKA_SESSION_TIMEOUT_MS: expected whole milliseconds from 6000 .*group\.min\.session\.timeout\.ms.* \(got "5000"\)/,
    );
  });

  it('refuses a heartbeat interval above a third of the session timeout, naming the variable', () => {
    expect(() =>
      loadConfig(timingSchema, { KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2500' }),
    ).toThrow(
      'KAFKA_HEARTBEAT_INTERVAL_MS: expected at most a third of KAFKA_SESSION_TIMEOUT_MS (6000 ms) (got "2500")',
    );
  });
});
