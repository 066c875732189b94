import { describe, expect, it } from 'vitest';
import { kafkaBrokers } from '@l2o/testing';
import { kafkaReadiness } from './kafka-readiness.ts';

describe('kafkaReadiness', () => {
  it('passes while the broker answers', async () => {
    const readiness = kafkaReadiness({ brokers: kafkaBrokers() });
    expect(readiness.name).toBe('kafka');
    await expect(readiness.check({ signal: new AbortController().signal })).resolves.toBeUndefined();
  });

  it('fails with the connection error when nothing listens at the brokers', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const readiness = kafkaReadiness({ brokers: ['127.0.0.1:1'] });
    await expect(readiness.check({ signal: new AbortController().signal })).rejects.toThrow(/ECONNREFUSED|connect/i);
  });
});
