import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { consumerGroup, databasePoolSize, host, topicNamespace } from './env-schemas.ts';
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
