import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseSchema, databaseUrl, kafkaBrokers, logLevel, port } from './env-schemas.ts';
import { ConfigError, loadConfig } from './load-config.ts';

const schema = z.object({
  PORT: port(4001),
  DATABASE_URL: databaseUrl(),
  DATABASE_SCHEMA: databaseSchema(),
  KAFKA_BROKERS: kafkaBrokers(),
  LOG_LEVEL: logLevel(),
  INTAKE_API_SECRET: z.string().min(16),
});

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const secret = { INTAKE_API_SECRET: 'a-long-enough-secret' };

describe('loadConfig', () => {
  it('applies the defaults, treating empty variables as unset', () => {
    expect(loadConfig(schema, { ...secret, PORT: '' })).toEqual({
      PORT: 4001,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/l2o',
      DATABASE_SCHEMA: 'l2o',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      LOG_LEVEL: 'info',
      INTAKE_API_SECRET: 'a-long-enough-secret',
    });
  });

  it('parses the values it is given', () => {
    const config = loadConfig(schema, {
      ...secret,
      PORT: '8080',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({ PORT: 8080, KAFKA_BROKERS: ['k1:9092', 'k2:9093'], LOG_LEVEL: 'debug' });
  });

  it('names the bad variable, why, and the value it got', () => {
    expect(errorOf({ ...secret, PORT: 'abc' }).message).toBe(
      'invalid configuration: PORT: expected a number between 1 and 65535 (got "abc")',
    );
  });

  it('names every bad variable at once', () => {
    const error = errorOf({
      PORT: '70000',
      KAFKA_BROKERS: 'k1:9092,k2',
      LOG_LEVEL: 'loud',
      DATABASE_SCHEMA: 'L2O-prod',
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'PORT',
      'DATABASE_SCHEMA',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
      'INTAKE_API_SECRET',
    ]);
    expect(error.message).toContain('INTAKE_API_SECRET: required (not set)');
    expect(error.message).toContain('KAFKA_BROKERS: expected a comma-separated list of host:port (got "k1:9092,k2")');
  });

  it('never repeats a secret or a password from a URL', () => {
    const message = errorOf({ INTAKE_API_SECRET: 'short', DATABASE_URL: 'mysql://admin:hunter2@db/l2o' }).message;
    expect(message).toContain('INTAKE_API_SECRET: Too small: expected string to have >=16 characters (value hidden)');
    expect(message).toContain('DATABASE_URL: expected a postgres:// URL (got "mysql://admin:***@db/l2o")');
    expect(message).not.toMatch(/short|hunter2/);
  });
});
