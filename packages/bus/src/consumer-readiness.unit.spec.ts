import { describe, expect, it } from 'vitest';
import { consumerReadiness } from './consumer-readiness.ts';

describe('consumerReadiness', () => {
  it('is named as asked', () => {
    expect(consumerReadiness('lead consumer', { ready: new Promise(() => {}) }).name).toBe('lead consumer');
  });

  it('fails while the consumer has not joined its group', async () => {
    const readiness = consumerReadiness('lead consumer', { ready: new Promise(() => {}) });
    await expect(readiness.check()).rejects.toThrow('not yet joined its group and fetching');
  });

  it('passes once the consumer is ready', async () => {
    const ready = Promise.resolve();
    const readiness = consumerReadiness('lead consumer', { ready });
    await ready;
    await expect(readiness.check()).resolves.toBeUndefined();
  });

  it('stays unready when the consumer failed before it was ready', async () => {
    const ready = Promise.reject(new Error('group coordinator not available'));
    const readiness = consumerReadiness('lead consumer', { ready });
    await ready.catch(() => undefined);
    await expect(readiness.check()).rejects.toThrow('not yet joined its group and fetching');
  });
});
